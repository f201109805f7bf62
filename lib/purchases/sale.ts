import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import type { PaymentLink, StoredObject } from "@/lib/generated/prisma/client";
import { getNetwork, type NetworkConfig } from "@/lib/networks";
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

/** The link's network from the registry; a link on a network no longer configured → 503. */
export function linkNetwork(link: PaymentLink): NetworkConfig {
  const network = getNetwork(link.network);
  if (!network?.rpcUrl) {
    throw new AppError("unavailable", `Network ${link.network} is not configured on this server right now.`);
  }
  return network;
}

/** Absolute URL of the gate for a slug. */
export function linkUrl(slug: string): string {
  return `${env().appUrl}/l/${slug}`;
}

/** What the buyer must pay for this link, for building x402 PaymentRequirements. */
export function saleTerms(link: LinkForSale): SaleTerms {
  return {
    amount: link.amount,
    payTo: link.payTo,
    asset: link.asset,
    network: linkNetwork(link),
    url: linkUrl(link.slug),
    description: link.title ?? link.object.name,
    mimeType: link.object.contentType,
  };
}
