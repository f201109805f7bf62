import "server-only";
import { cache } from "react";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { addressUrl, getNetwork, publicNetwork } from "@/lib/networks";
import { receiptAccess } from "@/lib/purchases/access";
import { linkState, linkUrl, loadLinkForSale, saleTerms, type LinkForSale } from "@/lib/purchases/sale";
import { paymentRequired } from "@/lib/x402/requirements";
import { describeType, formatBytes, formatMoney } from "@/lib/format";
import type { PayView } from "@/lib/pay/types";

/**
 * Loads a link and its seller's address by slug, once per request (shared by the page, its
 * metadata and its Open Graph image). Unknown slug → null.
 */
export const loadLinkWithSeller = cache(async (slug: string): Promise<{ link: LinkForSale; seller: string } | null> => {
  let link: LinkForSale;
  try {
    link = await loadLinkForSale(slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
  const prisma = await db();
  const owner = await prisma.user.findUnique({ where: { id: link.ownerId }, select: { address: true } });
  return { link, seller: owner?.address ?? link.payTo };
});

/**
 * The pay page's view of a link (see {@link PayView}): its public details, state, the exact x402
 * challenge to sign, and whether `receiptToken` (the request's `vend_r_<slug>` cookie) opens its
 * payment now (lib/purchases/access.ts: settled, not refunded, within the access window, the bytes
 * kept) — then the buyer already paid and goes straight to the download, whatever the link's state
 * now (access outlives expiry, revocation and even deletion while the bytes are kept).
 * @returns null for an unknown slug.
 */
export async function loadPayView(slug: string, receiptToken?: string | null, now = new Date()): Promise<PayView | null> {
  const loaded = await loadLinkWithSeller(slug);
  if (!loaded) return null;
  const { link, seller } = loaded;
  const network = getNetwork(link.network);
  const saleState = linkState(link, now);
  const state = saleState === "active" && !network?.rpcUrl ? "unavailable" : saleState;
  const access = await receiptAccess(link, receiptToken, now);
  const decimals = network?.decimals ?? 6;
  return {
    slug: link.slug,
    title: link.title?.trim() || link.object.name,
    description: link.description?.trim() || null,
    file: {
      name: link.object.name,
      contentType: link.object.contentType,
      kind: describeType(link.object.contentType, link.object.name),
      size: link.object.size.toString(),
      sizeLabel: formatBytes(link.object.size),
    },
    amount: link.amount.toString(),
    price: formatMoney(link.amount, decimals),
    network: network
      ? { ...publicNetwork(network), rpcUrl: network.local ? (network.rpcUrl ?? null) : null }
      : {
          id: link.network,
          chainId: Number(link.network.split(":")[1] ?? 0),
          name: link.network,
          testnet: false,
          local: false,
          asset: link.asset as `0x${string}`,
          decimals,
          explorer: null,
          rpcUrl: null,
        },
    payTo: link.payTo,
    payToUrl: network ? (addressUrl(network, link.payTo) ?? null) : null,
    creator: seller,
    creatorUrl: network ? (addressUrl(network, seller) ?? null) : null,
    expiresAt: link.expiresAt.toISOString(),
    accessSeconds: link.accessSeconds,
    remaining: link.maxPurchases === null ? null : Math.max(0, link.maxPurchases - link.purchaseCount),
    state,
    linkUrl: linkUrl(link.slug),
    paymentRequired: state === "active" ? paymentRequired(saleTerms(link)).v2 : null,
    paid: access?.kind === "open" ? { expiresAt: access.until.toISOString(), downloadUrl: `/l/${link.slug}` } : null,
  };
}
