import type { PaymentRequired } from "@x402/core/types";
import type { ClientNetwork } from "@/lib/wagmi";

/** A link's state as the pay page shows it (the sale states, plus a network this server cannot use). */
export type PayState = "active" | "expired" | "revoked" | "sold_out" | "object_gone" | "unavailable";

/**
 * The public view of a payment link for `/pay/{slug}`: everything the page and its wallet panel
 * show, serializable (amounts are atomic-unit strings, dates ISO strings). Built server-side by
 * `loadPayView` (lib/pay/view.ts); holds no secret.
 */
export type PayView = {
  slug: string;
  title: string;
  description: string | null;
  file: { name: string; contentType: string; kind: string; size: string; sizeLabel: string };
  /** Price in atomic units of the asset, and as display text (`"1,234.50"`, lib/format.ts `formatMoney`). */
  amount: string;
  price: string;
  network: ClientNetwork;
  payTo: string;
  /** Explorer page of the payee on real networks. */
  payToUrl: string | null;
  creator: string;
  creatorUrl: string | null;
  expiresAt: string;
  /** Seconds a receipt re-opens the download after a purchase. */
  accessSeconds: number;
  /** Purchases left when the link is capped. */
  remaining: number | null;
  state: PayState;
  /** The shareable URL (`{APP_URL}/l/{slug}`) agents pay. */
  linkUrl: string;
  /** The exact x402 v2 challenge the gate answers with (what the browser signs against). */
  paymentRequired: PaymentRequired | null;
  /** A valid receipt cookie came with this request: the buyer already paid. */
  paid: { expiresAt: string; downloadUrl: string } | null;
};

/** What the wallet panel needs (a subset of {@link PayView}). */
export type CheckoutProps = Pick<
  PayView,
  "slug" | "title" | "amount" | "price" | "network" | "payTo" | "file" | "expiresAt" | "accessSeconds"
> & { paymentRequired: PaymentRequired };
