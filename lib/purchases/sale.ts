import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import type { PaymentLink, StoredObject } from "@/lib/generated/prisma/client";
import { getNetwork, getNetworkByV1Name } from "@/lib/networks";
import type { SaleTerms } from "@/lib/x402/requirements";

export type LinkForSale = PaymentLink & { object: StoredObject };

/** A link's state for buyers (ARCHITECTURE §1 step 2). */
export type LinkState = "active" | "expired" | "revoked" | "sold_out" | "object_gone";

/** Decides the state of a link at `now`. Object deletion wins, then revocation, sell-out, expiry. */
export function linkState(link: LinkForSale, now: Date = new Date()): LinkState {
  if (link.object.deletedAt) return "object_gone";
  if (link.revokedAt) return "revoked";
  if (link.maxPurchases !== null && link.purchaseCount >= link.maxPurchases) return "sold_out";
  if (link.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

const GONE: Record<Exclude<LinkState, "active">, { code: "link_expired" | "link_revoked" | "link_sold_out" | "object_gone"; message: string }> = {
  expired: { code: "link_expired", message: "This payment link has expired." },
  revoked: { code: "link_revoked", message: "The creator revoked this payment link." },
  sold_out: { code: "link_sold_out", message: "This payment link is sold out." },
  object_gone: { code: "object_gone", message: "The file behind this link is no longer available." },
};

/** The 410 AppError for a non-active state. */
export function goneError(state: Exclude<LinkState, "active">): AppError {
  const { code, message } = GONE[state];
  return new AppError(code, message);
}

/**
 * How long a loaded link is reused by this process. The terms a buyer pays (amount, payTo, asset,
 * network) never change after creation; the state fields (revocation, purchase count, deletion)
 * may be this old when the gate reads them, which is safe: a purchase slot is claimed by a
 * conditional UPDATE on the fresh row (revoked, expired or sold-out links cannot sell), and this
 * process forgets a link as soon as it revokes it, deletes its object or sells it. What a creator
 * edits (title, description, expiry, limit, access window) and revocation bump the link's
 * `version`, checked before a copy is reused (see {@link isCurrent}): an edit shows at once.
 */
const LINK_CACHE_MS = 2_000;
const LINK_CACHE_MAX = 5_000;
const linkCache = new Map<string, { link: LinkForSale; at: number }>();

/** Drops cached links: one slug, or all of them (after an object is deleted). */
export function forgetLinks(slug?: string): void {
  if (slug === undefined) linkCache.clear();
  else linkCache.delete(slug);
}

/**
 * Loads a link and its object by slug, in one SQL statement (a join), reusing a copy loaded in the
 * last {@link LINK_CACHE_MS} ms. Unknown slug → AppError `not_found` (404).
 * Does not judge the state: callers decide with {@link linkState}.
 */
export async function loadLinkForSale(slug: string): Promise<LinkForSale> {
  if (!/^[0-9A-Za-z]{1,64}$/.test(slug)) throw notFound("Payment link");
  const now = Date.now();
  const cached = linkCache.get(slug);
  if (cached && now - cached.at < LINK_CACHE_MS && (await isCurrent(cached.link))) return cached.link;
  const prisma = await db();
  const link = await prisma.paymentLink.findUnique({
    where: { slug },
    include: { object: true },
    relationLoadStrategy: "join",
  });
  if (!link) throw notFound("Payment link");
  if (linkCache.size >= LINK_CACHE_MAX) linkCache.clear();
  linkCache.set(slug, { link, at: now });
  return link;
}

/**
 * Whether a loaded copy still has the link's current `version`. With PGlite this process is the
 * only one using the database, so every edit went through it and already forgot the copy: nothing
 * to read. With a PostgreSQL server another instance may have edited it: one indexed read.
 */
async function isCurrent(link: LinkForSale): Promise<boolean> {
  if (env().databaseUrl.startsWith("pglite:")) return true;
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ version: number }[]>`SELECT "version" FROM "PaymentLink" WHERE "id" = ${link.id}`;
  return rows[0]?.version === link.version;
}

/** Absolute URL of the gate for a slug. */
export function linkUrl(slug: string): string {
  return `${env().appUrl}/l/${slug}`;
}

/** One network a link sells on (CAIP-2) and the token paid there. */
export type LinkOffer = { network: string; asset: string };

/** Every network the link sells on, in the creator's order (links made before multi-network: their one). */
export function linkOffers(link: Pick<PaymentLink, "network" | "asset" | "networks" | "assets">): LinkOffer[] {
  if (!link.networks.length) return [{ network: link.network, asset: link.asset }];
  return link.networks.map((network, i) => ({ network, asset: link.assets[i] ?? link.asset }));
}

/**
 * The link's network and token a payment is for: the one it claims (x402 v2 `accepted.network`, a
 * v1 network name), else the link's first — the authorization key of a payment that matches none.
 */
export function offerFor(link: PaymentLink, claimedNetwork: string): LinkOffer {
  const offers = linkOffers(link);
  const claimed = getNetwork(claimedNetwork)?.id ?? getNetworkByV1Name(claimedNetwork)?.id ?? claimedNetwork;
  return offers.find((o) => o.network === claimed) ?? offers[0]!;
}

/**
 * What the buyer may pay for this link, one {@link SaleTerms} per network it sells on that this
 * server can settle on now, in the creator's order (x402 `accepts`). None configured → 503.
 */
export function saleOffers(link: LinkForSale): SaleTerms[] {
  const terms = linkOffers(link).flatMap(({ network: id, asset }) => {
    const network = getNetwork(id);
    if (!network?.rpcUrl) return [];
    return [
      {
        amount: link.amount,
        payTo: link.payTo,
        asset,
        network,
        url: linkUrl(link.slug),
        description: link.title ?? link.object.name,
        mimeType: link.object.contentType,
      },
    ];
  });
  if (!terms.length) {
    throw new AppError("unavailable", `${linkOffers(link).map((o) => o.network).join(", ")} is not configured on this server right now.`);
  }
  return terms;
}

/** The terms on the link's first network this server can settle on (see {@link saleOffers}). */
export function saleTerms(link: LinkForSale): SaleTerms {
  return saleOffers(link)[0]!;
}
