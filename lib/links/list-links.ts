import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { linkJson } from "@/lib/links/link-json";

export const LINK_STATUSES = ["active", "expired", "revoked", "sold_out", "object_gone"] as const;

export const listLinksInput = z.object({
  ownerId: z.string().min(1),
  status: z.enum(LINK_STATUSES).optional(),
  objectId: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListLinksInput = z.input<typeof listLinksInput>;

/** SQL conditions matching {@link linkState} for one status. */
export function statusWhere(status: (typeof LINK_STATUSES)[number], now: Date, fields: { maxPurchases: Prisma.FieldRef<"PaymentLink", "Int"> }): Prisma.PaymentLinkWhereInput {
  const live: Prisma.PaymentLinkWhereInput = { object: { deletedAt: null } };
  const notSoldOut: Prisma.PaymentLinkWhereInput = {
    OR: [{ maxPurchases: null }, { purchaseCount: { lt: fields.maxPurchases } }],
  };
  switch (status) {
    case "object_gone":
      return { object: { deletedAt: { not: null } } };
    case "revoked":
      return { ...live, revokedAt: { not: null } };
    case "sold_out":
      return { ...live, revokedAt: null, maxPurchases: { not: null }, purchaseCount: { gte: fields.maxPurchases } };
    case "expired":
      return { ...live, revokedAt: null, expiresAt: { lte: now }, ...notSoldOut };
    case "active":
      return { ...live, revokedAt: null, expiresAt: { gt: now }, ...notSoldOut };
  }
}

/**
 * The creator's links, newest first, cursor-paginated, optionally filtered by status or object,
 * each with its settled sales count and revenue (atomic units).
 * @returns `{ links, nextCursor }`.
 */
export async function listLinks(input: ListLinksInput) {
  const { ownerId, status, objectId, cursor, limit } = listLinksInput.parse(input);
  const prisma = await db();
  const rows = await prisma.paymentLink.findMany({
    where: {
      ownerId,
      ...(objectId ? { objectId } : {}),
      ...(status ? statusWhere(status, new Date(), prisma.paymentLink.fields) : {}),
    },
    include: { object: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const sales = await prisma.payment.groupBy({
    by: ["linkId"],
    where: { linkId: { in: page.map((l) => l.id) }, status: "settled" },
    _count: { _all: true },
    _sum: { amount: true },
  });
  const byLink = new Map(sales.map((s) => [s.linkId, { count: s._count._all, revenue: s._sum.amount ?? 0n }]));
  return {
    links: page.map((l) => linkJson(l, byLink.get(l.id) ?? { count: 0, revenue: 0n })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
