import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import {
  accessSecondsField,
  checkExpiry,
  durationSchema,
  expiryOf,
  linkDescriptionField,
  linkTitleField,
  maxPurchasesField,
} from "@/lib/links/create-link";
import { linkJson } from "@/lib/links/link-json";
import { forgetLinks } from "@/lib/purchases/sale";

/**
 * What a buyer pays is fixed at creation: changing it would change the x402 requirements buyers
 * may already have signed. Each names the field and says what to do instead.
 */
const FIXED: Record<string, string> = {
  price: "The price cannot change: create a new link.",
  amount: "The price cannot change: create a new link.",
  payTo: "The payee cannot change: create a new link.",
  network: "The network cannot change: create a new link.",
  networks: "The networks cannot change: create a new link.",
  asset: "The token cannot change: create a new link.",
  objectId: "The file cannot change: create a new link.",
};

const editable = z.object({
  title: linkTitleField,
  description: linkDescriptionField,
  /** A new expiry, earlier or later (ISO 8601), or … */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** … a duration from now (`7d`, seconds). */
  expiresIn: durationSchema.optional(),
  /** null removes the limit; never below the purchases made so far. */
  maxPurchases: maxPurchasesField,
  accessSeconds: accessSecondsField.optional(),
});

export const updateLinkInput = editable
  .catchall(z.unknown())
  .superRefine((v, ctx) => {
    for (const key of Object.keys(v)) {
      if (key in editable.shape) continue;
      ctx.addIssue({ code: "custom", path: [key], message: FIXED[key] ?? `Unknown field “${key}”.` });
    }
    if (v.expiresAt !== undefined && v.expiresIn !== undefined) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Give expiresAt or expiresIn, not both." });
    } else if (v.expiresAt !== undefined || v.expiresIn !== undefined) {
      checkExpiry(v, ctx);
    }
    if (!Object.values(v).some((x) => x !== undefined)) ctx.addIssue({ code: "custom", path: [], message: "Nothing to change." });
  });
export type UpdateLinkInput = z.input<typeof updateLinkInput>;

/**
 * Edits one of the creator's links: title, description, expiry (extend or shorten, at most 365
 * days away), max purchases (null = no limit; never below the purchases made, checked in the same
 * UPDATE so a concurrent sale cannot slip under it) and the access window (every buyer's window
 * runs from their own purchase: see `accessEnds`). Price, payee, token, networks and file cannot change.
 *
 * The change is visible at once: the version of the link is bumped in the same statement (instances
 * holding a loaded copy check it, see `loadLinkForSale`) and this process forgets its copy. Lowering
 * max purchases to the sales made records `link.sold_out` (webhooks) in the same transaction.
 *
 * @returns the link with its settled sales, like `GET /api/links/{id}`.
 * @throws ZodError (→ 400 `invalid_request`, `details.fields`: a fixed field, a bad value,
 *   max purchases below the purchases made); `not_found` (404); `conflict` (409) when the link is
 *   revoked or its file deleted and the change is about selling (expiry, limit, access window).
 */
export async function updateLink(ownerId: string, id: string, input: UpdateLinkInput) {
  const v = updateLinkInput.parse(input);
  const prisma = await db();
  const link = await prisma.paymentLink.findFirst({ where: { id, ownerId }, include: { object: true } });
  if (!link) throw notFound("Payment link");
  const selling = v.expiresAt !== undefined || v.expiresIn !== undefined || v.maxPurchases !== undefined || v.accessSeconds !== undefined;
  if (selling && (link.revokedAt || link.object.deletedAt)) {
    throw new AppError(
      "conflict",
      link.revokedAt ? "This link is revoked and cannot sell again: create a new link." : "This link's file was deleted: create a new link.",
    );
  }
  const limit = v.maxPurchases;
  const updated = await prisma.$transaction(async (tx) => {
    const changed = await tx.paymentLink.updateMany({
      where: { id: link.id, ...(typeof limit === "number" ? { purchaseCount: { lte: limit } } : {}) },
      data: {
        ...(v.title !== undefined ? { title: v.title || null } : {}),
        ...(v.description !== undefined ? { description: v.description || null } : {}),
        ...(v.expiresAt !== undefined || v.expiresIn !== undefined ? { expiresAt: expiryOf(v) } : {}),
        ...(limit !== undefined ? { maxPurchases: limit } : {}),
        ...(v.accessSeconds !== undefined ? { accessSeconds: v.accessSeconds } : {}),
        version: { increment: 1 },
      },
    });
    if (changed.count !== 1) return null;
    if (limit !== undefined) await tx.$executeRaw`SELECT vend_webhook_check_sold_out(${link.id})`;
    return tx.paymentLink.findUniqueOrThrow({ where: { id: link.id }, include: { object: true } });
  });
  if (!updated) {
    const { purchaseCount } = await prisma.paymentLink.findUniqueOrThrow({ where: { id: link.id }, select: { purchaseCount: true } });
    throw new z.ZodError([
      { code: "custom", path: ["maxPurchases"], input: limit, message: `At least ${purchaseCount}: ${purchaseCount} purchases were made already.` },
    ]);
  }
  forgetLinks(updated.slug);
  const totals = await prisma.payment.aggregate({ where: { linkId: link.id, status: "settled" }, _count: { _all: true }, _sum: { amount: true } });
  return linkJson(updated, { count: totals._count._all, revenue: totals._sum.amount ?? 0n });
}
