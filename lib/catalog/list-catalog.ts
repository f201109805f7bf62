import "server-only";
import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { notFound } from "@/lib/errors";
import type { PaymentLink, StoredObject, User } from "@/lib/generated/prisma/client";
import { statusWhere } from "@/lib/links/list-links";
import { formatAmount } from "@/lib/money";
import { getNetwork } from "@/lib/networks";
import { linkUrl, saleTerms } from "@/lib/purchases/sale";
import { listingFacts } from "@/lib/catalog/bazaar";
import { requirementsV2 } from "@/lib/x402/requirements";

export const catalogInput = z.object({
  /** A creator's EVM address: only their listed links. */
  creator: z.string().optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type CatalogInput = z.input<typeof catalogInput>;

type CatalogLink = PaymentLink & { object: StoredObject; owner: User };

/**
 * One catalog entry, shaped like an x402 discovery (bazaar) resource — `resource`, `type: "http"`,
 * `x402Version`, `accepts` (the link's exact PaymentRequirements), `lastUpdated`, `description`,
 * `mimeType` — plus what a buyer wants before paying: title, size (bytes, string), price (USDC
 * decimal and atomic units), network, expiry, creator, and the browser's pay page.
 */
function catalogItem(link: CatalogLink) {
  const facts = listingFacts(link);
  return {
    resource: linkUrl(link.slug),
    type: "http" as const,
    x402Version: 2,
    accepts: [requirementsV2(saleTerms(link))],
    lastUpdated: link.createdAt.toISOString(),
    description: facts.description ?? facts.title,
    mimeType: facts.mimeType,
    title: facts.title,
    size: facts.size,
    price: formatAmount(link.amount),
    amount: link.amount.toString(),
    asset: link.asset,
    network: link.network,
    expiresAt: link.expiresAt.toISOString(),
    creator: link.owner.address,
    payUrl: `${env().appUrl}/pay/${link.slug}`,
  };
}
export type CatalogItem = ReturnType<typeof catalogItem>;

/**
 * The catalog of links their creators listed (`listed`) and that sell now (active: not expired,
 * revoked, sold out, nor deleted), newest first, cursor-paginated; for the whole deployment or
 * one creator (by address). Unlisted links never appear. Links on a network this server no longer
 * serves are left out.
 * @returns `{x402Version: 2, items, nextCursor}` (see {@link CatalogItem}).
 * @throws ZodError (400) for a bad limit or cursor; AppError `not_found` for a malformed creator address.
 */
export async function listCatalog(input: CatalogInput) {
  const { creator, cursor, limit } = catalogInput.parse(input);
  if (creator !== undefined && !isAddress(creator, { strict: false })) throw notFound("Creator");
  const prisma = await db();
  const rows = await prisma.paymentLink.findMany({
    where: {
      listed: true,
      ...statusWhere("active", new Date(), prisma.paymentLink.fields),
      ...(creator ? { owner: { address: getAddress(creator) } } : {}),
    },
    include: { object: true, owner: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  return {
    x402Version: 2,
    items: page.filter((link) => getNetwork(link.network)?.rpcUrl).map(catalogItem),
    nextCursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}
