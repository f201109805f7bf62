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

/** `expiresIn` as seconds (number) or a duration string: `90m`, `1h`, `7d`, `30d`. */
const durationSchema = z.union([
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
    /** CAIP-2 network id, e.g. `eip155:8453`. */
    network: z.string().trim(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    expiresIn: durationSchema.optional(),
    maxPurchases: z.number().int().min(1, "At least 1.").max(1_000_000_000).nullish(),
    accessSeconds: z.number().int().min(60, "At least 60 seconds.").max(MAX_EXPIRY_SECONDS).default(DAY),
    title: z.string().trim().max(200, "At most 200 characters.").nullish(),
    description: z.string().trim().max(2000, "At most 2000 characters.").nullish(),
    /** Listed in the catalog and declared to x402 discovery (`bazaar`); default unlisted. */
    listed: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const price = parsePrice(v.price);
    if (!price.ok) ctx.addIssue({ code: "custom", path: ["price"], message: PRICE_ERROR_MESSAGES[price.error] });
    const network = getNetwork(v.network);
    if (!network) ctx.addIssue({ code: "custom", path: ["network"], message: `Unknown network ${v.network}.` });
    else if (!network.rpcUrl) {
      ctx.addIssue({ code: "custom", path: ["network"], message: `${network.name} is not configured on this server.` });
    }
    if ((v.expiresAt === undefined) === (v.expiresIn === undefined)) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Give exactly one of expiresAt or expiresIn." });
      return;
    }
    const seconds = v.expiresIn ?? (new Date(v.expiresAt!).getTime() - Date.now()) / 1000;
    if (seconds <= 0) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "The expiry must be in the future." });
    if (seconds > MAX_EXPIRY_SECONDS) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "The expiry can be at most 365 days away." });
    }
  });
export type CreateLinkInput = z.input<typeof createLinkInput>;

/**
 * Creates a payment link for one of the creator's objects.
 * The price is stored as atomic units (`parseUnits(price, 6)`); `asset` is the network's USDC.
 * @returns the link (see {@link linkJson}), including its shareable `url` (`/l/{slug}`).
 * @throws ZodError (→ 400 `invalid_request` with `details.fields`) for bad input;
 *   AppError `not_found` when the object is not the caller's.
 */
export async function createLink(input: CreateLinkInput) {
  const v = createLinkInput.parse(input);
  const object = await getOwnedObject(v.ownerId, v.objectId);
  const network = getNetwork(v.network)!;
  // createLinkInput has validated the price.
  const price = parsePrice(v.price) as { ok: true; amount: bigint };
  const expiresAt = v.expiresIn !== undefined ? new Date(Date.now() + v.expiresIn * 1000) : new Date(v.expiresAt!);
  const prisma = await db();
  const link = await prisma.paymentLink.create({
    data: {
      id: newId("lnk"),
      slug: newSlug(),
      objectId: object.id,
      ownerId: v.ownerId,
      payTo: v.payTo,
      amount: price.amount,
      network: network.id,
      asset: network.asset,
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
