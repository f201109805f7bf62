import "server-only";
import type { Payment, PaymentLink, StoredObject } from "@/lib/generated/prisma/client";
import { formatAmount } from "@/lib/money";
import { getNetwork, txUrl } from "@/lib/networks";

/** A settled (or refunded) payment with the link (and object) it bought. */
export type SaleRow = Payment & {
  link: Pick<PaymentLink, "id" | "slug" | "title" | "payTo"> & { object: Pick<StoredObject, "name"> };
};

/** Prisma `include` that loads what {@link saleJson} needs. */
export const SALE_INCLUDE = {
  link: { select: { id: true, slug: true, title: true, payTo: true, object: { select: { name: true } } } },
} as const;

/**
 * The API view of a sale. `amount` is atomic units (string), `price` the exact decimal USDC string
 * (never a float); `transactionUrl` is null on chains without an explorer (the local chain).
 * `status` is `settled` or `refunded`; `refund` (null until refunded) gives the refund's
 * transaction, amount (atomic and decimal) and time. `link.payTo` is the payee, who refunds.
 */
export function saleJson(p: SaleRow) {
  const network = getNetwork(p.network);
  const refund =
    p.status === "refunded" && p.refundTransaction
      ? {
          transaction: p.refundTransaction,
          transactionUrl: network ? (txUrl(network, p.refundTransaction) ?? null) : null,
          amount: (p.refundAmount ?? p.amount).toString(),
          price: formatAmount(p.refundAmount ?? p.amount, network?.decimals),
          refundedAt: (p.refundedAt ?? p.updatedAt).toISOString(),
        }
      : null;
  return {
    id: p.id,
    status: p.status === "refunded" ? ("refunded" as const) : ("settled" as const),
    settledAt: (p.settledAt ?? p.updatedAt).toISOString(),
    payer: p.payer,
    amount: p.amount.toString(),
    price: formatAmount(p.amount, network?.decimals),
    network: p.network,
    networkName: network?.name ?? p.network,
    asset: p.asset,
    transaction: p.transaction,
    transactionUrl: network && p.transaction ? (txUrl(network, p.transaction) ?? null) : null,
    x402Version: p.x402Version,
    refund,
    link: { id: p.link.id, slug: p.link.slug, title: p.link.title, objectName: p.link.object.name, payTo: p.link.payTo },
  };
}
export type SaleJson = ReturnType<typeof saleJson>;
