import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { linkJson } from "@/lib/links/link-json";
import { forgetLinks } from "@/lib/purchases/sale";

/**
 * Revokes one of the creator's links: the gate answers 410 `link_revoked` to new buyers; buyers
 * holding a valid receipt keep their access window. Idempotent (the first revocation time stays).
 * Returns the link with its settled sales, like `GET /api/links/{id}`.
 * @throws AppError `not_found`.
 */
export async function revokeLink(ownerId: string, id: string) {
  const prisma = await db();
  const link = await prisma.paymentLink.findFirst({ where: { id, ownerId } });
  if (!link) throw notFound("Payment link");
  const [updated, totals] = await Promise.all([
    prisma.paymentLink.update({
      where: { id: link.id },
      data: link.revokedAt ? {} : { revokedAt: new Date(), version: { increment: 1 } },
      include: { object: true },
    }),
    prisma.payment.aggregate({ where: { linkId: link.id, status: "settled" }, _count: { _all: true }, _sum: { amount: true } }),
  ]);
  forgetLinks(updated.slug);
  return linkJson(updated, { count: totals._count._all, revenue: totals._sum.amount ?? 0n });
}
