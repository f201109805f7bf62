import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { linkJson } from "@/lib/links/link-json";
import { forgetLinks } from "@/lib/purchases/sale";

/**
 * Lists or unlists one of the creator's links. A listed link's 402 declares the x402 `bazaar`
 * (discovery) extension and the link appears in `/api/catalog` and `/llms.txt` while it sells; an
 * unlisted one is reachable only by its unguessable URL. Idempotent. Returns the link with its
 * settled sales, like `GET /api/links/{id}`.
 * @throws AppError `not_found`.
 */
export async function setListed(ownerId: string, id: string, listed: boolean) {
  const prisma = await db();
  const link = await prisma.paymentLink.findFirst({ where: { id, ownerId }, select: { id: true } });
  if (!link) throw notFound("Payment link");
  const [updated, totals] = await Promise.all([
    prisma.paymentLink.update({ where: { id: link.id }, data: { listed }, include: { object: true } }),
    prisma.payment.aggregate({ where: { linkId: link.id, status: "settled" }, _count: { _all: true }, _sum: { amount: true } }),
  ]);
  forgetLinks(updated.slug);
  return linkJson(updated, { count: totals._count._all, revenue: totals._sum.amount ?? 0n });
}
