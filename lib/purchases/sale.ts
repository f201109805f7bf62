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
 * Loads a link and its object by slug. Unknown slug → AppError `not_found` (404).
 * Does not judge the state: callers decide with {@link linkState}.
 */
export async function loadLinkForSale(slug: string): Promise<LinkForSale> {
  if (!/^[0-9A-Za-z]{1,64}$/.test(slug)) throw notFound("Payment link");
  const prisma = await db();
  const link = await prisma.paymentLink.findUnique({ where: { slug }, include: { object: true } });
  if (!link) throw notFound("Payment link");
  return link;
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
