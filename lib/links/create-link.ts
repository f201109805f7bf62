import "server-only";
import { getAddress, isAddress, zeroAddress } from "viem";
import { z } from "zod";
import { db } from "@/lib/db";
import { newId, newSlug } from "@/lib/ids";
import { parsePrice, PRICE_ERROR_MESSAGES } from "@/lib/money";
import { getNetwork } from "@/lib/networks";
import { getOwnedObject } from "@/lib/objects/get-object";
import { linkJson } from "@/lib/links/link-json";

const DAY = 86_400;
const MAX_EXPIRY_SECONDS = 365 * DAY;
/** Networks one link may sell on. */
const MAX_NETWORKS = 10;

/** Link fields a creator sets at creation and may edit later (lib/links/update-link.ts). */
export const linkTitleField = z.string().trim().max(200, "At most 200 characters.").nullish();
export const linkDescriptionField = z.string().trim().max(2000, "At most 2000 characters.").nullish();
/** Purchases allowed in all; null = no limit. */
export const maxPurchasesField = z.number().int().min(1, "At least 1.").max(1_000_000_000).nullish();
/** Seconds a receipt re-opens the download after purchase. */
export const accessSecondsField = z.number().int().min(60, "At least 60 seconds.").max(MAX_EXPIRY_SECONDS);

/** `expiresIn` as seconds (number) or a duration string: `90m`, `1h`, `7d`, `30d`. */
export const durationSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+[smhd]$/, "Use a duration like 30m, 1h, 7d.")
    .transform((v) => Number(v.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: DAY }[v.at(-1) as "s" | "m" | "h" | "d"]),
]);

export const createLinkInput = z
  .object({
    ownerId: z.string().min(1),
    objectId: z.string().min(1, "Choose an object."),
    payTo: z
      .string()
      .trim()
      .refine((v) => isAddress(v, { strict: false }), "Enter a valid EVM address (0x followed by 40 hex characters).")
      .refine((v) => v.toLowerCase() !== zeroAddress, "The payee cannot be the zero address.")
      .transform((v) => getAddress(v)),
    /** USDC price as a decimal string, e.g. "0.01" (→ 10000 atomic units). */
    price: z.string().trim(),
    /** CAIP-2 network id, e.g. `eip155:8453` — or `networks`. */
    network: z.string().trim().optional(),
    /** Several CAIP-2 networks, in the order buyers are offered them (x402 `accepts`). */
    networks: z.array(z.string().trim()).min(1, "Choose a network.").max(MAX_NETWORKS).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    expiresIn: durationSchema.optional(),
    maxPurchases: maxPurchasesField,
    accessSeconds: accessSecondsField.default(DAY),
    title: linkTitleField,
    description: linkDescriptionField,
    /** Listed in the catalog and declared to x402 discovery (`bazaar`); default unlisted. */
    listed: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const price = parsePrice(v.price);
    if (!price.ok) ctx.addIssue({ code: "custom", path: ["price"], message: PRICE_ERROR_MESSAGES[price.error] });
    if ((v.network === undefined) === (v.networks === undefined)) {
      ctx.addIssue({ code: "custom", path: ["network"], message: "Choose a network (give network, or networks for several)." });
    }
    const ids = v.networks ?? (v.network === undefined ? [] : [v.network]);
    const path = v.networks ? "networks" : "network";
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: [path], message: "List each network once." });
    for (const id of ids) {
      const network = getNetwork(id);
      if (!network) ctx.addIssue({ code: "custom", path: [path], message: `Unknown network ${id}.` });
      else if (!network.rpcUrl) {
        ctx.addIssue({ code: "custom", path: [path], message: `${network.name} is not configured on this server.` });
      }
    }
    if ((v.expiresAt === undefined) === (v.expiresIn === undefined)) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Give exactly one of expiresAt or expiresIn." });
      return;
    }
    checkExpiry(v, ctx);
  });
export type CreateLinkInput = z.input<typeof createLinkInput>;

/** Adds an issue when the expiry given (`expiresAt` or `expiresIn`) is not in the next 365 days. */
export function checkExpiry(v: { expiresAt?: string; expiresIn?: number }, ctx: z.RefinementCtx): void {
  const seconds = v.expiresIn ?? (new Date(v.expiresAt!).getTime() - Date.now()) / 1000;
  if (seconds <= 0) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "The expiry must be in the future." });
  if (seconds > MAX_EXPIRY_SECONDS) {
    ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "The expiry can be at most 365 days away." });
  }
}

/** The expiry instant of a validated `expiresAt` / `expiresIn`. */
export function expiryOf(v: { expiresAt?: string; expiresIn?: number }): Date {
  return v.expiresIn !== undefined ? new Date(Date.now() + v.expiresIn * 1000) : new Date(v.expiresAt!);
}

/**
 * Creates a payment link for one of the creator's objects, sold on one network or several (the same
 * price and payee on each, each network's USDC; the first is the link's `network`).
 * The price is stored as atomic units (`parseUnits(price, 6)`); `asset` is the network's USDC.
 * @returns the link (see {@link linkJson}), including its shareable `url` (`/l/{slug}`).
 * @throws ZodError (→ 400 `invalid_request` with `details.fields`) for bad input;
 *   AppError `not_found` when the object is not the caller's.
 */
export async function createLink(input: CreateLinkInput) {
  const v = createLinkInput.parse(input);
  const object = await getOwnedObject(v.ownerId, v.objectId);
  // createLinkInput has validated the networks.
  const networks = (v.networks ?? [v.network!]).map((id) => getNetwork(id)!);
  // createLinkInput has validated the price.
  const price = parsePrice(v.price) as { ok: true; amount: bigint };
  const expiresAt = expiryOf(v);
  const prisma = await db();
  const link = await prisma.paymentLink.create({
    data: {
      id: newId("lnk"),
      slug: newSlug(),
      objectId: object.id,
      ownerId: v.ownerId,
      payTo: v.payTo,
      amount: price.amount,
      network: networks[0]!.id,
      asset: networks[0]!.asset,
      networks: networks.map((n) => n.id),
      assets: networks.map((n) => n.asset),
      title: v.title || null,
      description: v.description || null,
      expiresAt,
      maxPurchases: v.maxPurchases ?? null,
      accessSeconds: v.accessSeconds,
      listed: v.listed,
    },
    include: { object: true },
  });
  return linkJson(link, { count: 0, revenue: 0n });
}
