import "server-only";
import type { Payment, PaymentLink, StoredObject } from "@/lib/generated/prisma/client";
import { formatAmount } from "@/lib/money";
import { getNetwork, txUrl } from "@/lib/networks";

/** A settled payment with the link (and object) it bought. */
export type SaleRow = Payment & {
  link: Pick<PaymentLink, "id" | "slug" | "title"> & { object: Pick<StoredObject, "name"> };
};

/** Prisma `include` that loads what {@link saleJson} needs. */
export const SALE_INCLUDE = {
  link: { select: { id: true, slug: true, title: true, object: { select: { name: true } } } },
} as const;

/**
 * The API view of a sale. `amount` is atomic units (string), `price` the exact decimal USDC string
 * (never a float); `transactionUrl` is null on chains without an explorer (the local chain).
 */
export function saleJson(p: SaleRow) {
  const network = getNetwork(p.network);
  return {
    id: p.id,
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
    link: { id: p.link.id, slug: p.link.slug, title: p.link.title, objectName: p.link.object.name },
  };
}
export type SaleJson = ReturnType<typeof saleJson>;
