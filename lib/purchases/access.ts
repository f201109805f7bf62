import "server-only";
import { db } from "@/lib/db";
import type { Payment, StoredObject } from "@/lib/generated/prisma/client";
import { reconcilePayment } from "@/lib/purchases/reconcile";
import { verifyReceipt } from "@/lib/purchases/receipts";
import type { LinkForSale } from "@/lib/purchases/sale";

/**
 * Re-access: how a buyer who paid gets the file again, with what only they hold (ARCHITECTURE §1
 * step 6) — never with anything readable from the chain. A receipt token proves this server gave it
 * to the request that reserved the payment; the payment row decides what it opens now.
 */

/** What a buyer's own payment opens at a moment. */
export type Access =
  /** Settled, not refunded, within the access window, the bytes still kept: deliver. */
  | { kind: "open"; payment: Payment; until: Date }
  /** Reserved and still settling: the chain has not decided yet (retry shortly). */
  | { kind: "pending"; payment: Payment }
  /** Nothing to deliver: the window closed, the payment was refunded or never happened, or the bytes are gone. */
  | { kind: "closed"; payment: Payment; reason: "access_expired" | "refunded" | "not_paid" | "object_gone" };

/** End of a settled payment's access window: its settlement time + the link's `accessSeconds`. */
export function accessEnds(link: Pick<LinkForSale, "accessSeconds">, payment: Pick<Payment, "settledAt" | "createdAt">): Date {
  return new Date((payment.settledAt ?? payment.createdAt).getTime() + link.accessSeconds * 1000);
}

/** True while a deleted object's bytes are still kept for the buyers owed them. */
export function bytesKept(object: Pick<StoredObject, "purgedAt">): boolean {
  return object.purgedAt === null;
}

/**
 * What `payment` (the buyer's own, on `link`) opens at `now`. A payment still settling is decided
 * from the chain first (the reconciler), so a buyer's retry is also what finishes a lost settlement.
 */
export async function accessOf(link: LinkForSale, payment: Payment, now = new Date()): Promise<Access> {
  const current = payment.status === "settling" ? await reconcilePayment(payment) : payment;
  switch (current.status) {
    case "settling":
      return { kind: "pending", payment: current };
    case "refunded":
      return { kind: "closed", payment: current, reason: "refunded" };
    case "failed":
    case "cancelled":
      return { kind: "closed", payment: current, reason: "not_paid" };
    case "settled": {
      if (!bytesKept(link.object)) return { kind: "closed", payment: current, reason: "object_gone" };
      const until = accessEnds(link, current);
      if (until.getTime() <= now.getTime()) return { kind: "closed", payment: current, reason: "access_expired" };
      return { kind: "open", payment: current, until };
    }
  }
}

/**
 * What a presented receipt token opens on `link`: null when there is no token or it is not one of
 * ours for this link (forged, malformed, another link's); otherwise the {@link Access} of its payment.
 */
export async function receiptAccess(link: LinkForSale, token: string | null | undefined, now = new Date()): Promise<Access | null> {
  const receipt = verifyReceipt(token, link.id);
  if (!receipt) return null;
  const prisma = await db();
  const payment = await prisma.payment.findUnique({ where: { id: receipt.paymentId } });
  if (!payment || payment.linkId !== link.id) return null;
  return accessOf(link, payment, now);
}
