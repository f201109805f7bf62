import "server-only";
import type { PaymentLink, StoredObject } from "@/lib/generated/prisma/client";
import { formatAmount } from "@/lib/money";
import { linkState, linkUrl } from "@/lib/purchases/sale";
import { env } from "@/lib/env";

/**
 * The API view of a payment link. `amount` is atomic units (string), `price` the same as a USDC
 * decimal string; `status` is the buyer-facing state; `url` is the shareable gate URL and
 * `payUrl` the browser pay page.
 */
export function linkJson(
  link: PaymentLink & { object: StoredObject },
  sales?: { count: number; revenue: bigint },
) {
  return {
    id: link.id,
    slug: link.slug,
    url: linkUrl(link.slug),
    payUrl: `${env().appUrl}/pay/${link.slug}`,
    objectId: link.objectId,
    object: {
      id: link.object.id,
      name: link.object.name,
      contentType: link.object.contentType,
      size: link.object.size.toString(),
      dataItemId: link.object.dataItemId,
      deleted: link.object.deletedAt !== null,
    },
    payTo: link.payTo,
    amount: link.amount.toString(),
    price: formatAmount(link.amount),
    network: link.network,
    asset: link.asset,
    title: link.title,
    description: link.description,
    expiresAt: link.expiresAt.toISOString(),
    maxPurchases: link.maxPurchases,
    purchaseCount: link.purchaseCount,
    accessSeconds: link.accessSeconds,
    listed: link.listed,
    status: linkState(link),
    revokedAt: link.revokedAt?.toISOString() ?? null,
    createdAt: link.createdAt.toISOString(),
    ...(sales ? { sales: { count: sales.count, revenue: sales.revenue.toString() } } : {}),
  };
}
export type LinkJson = ReturnType<typeof linkJson>;
