import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { SALE_INCLUDE, saleJson, type SaleRow } from "@/lib/sales/sale-json";

/** One of the creator's sales (a settled or refunded payment). @throws AppError `not_found` (404). */
export async function ownedSale(ownerId: string, id: string): Promise<SaleRow> {
  const prisma = await db();
  const sale = await prisma.payment.findFirst({
    where: { id, link: { ownerId }, status: { in: ["settled", "refunded"] } },
    include: SALE_INCLUDE,
  });
  if (!sale) throw notFound("Sale");
  return sale;
}

/**
 * One of the creator's sales, as in the sales list (see `saleJson`), with its refund once refunded.
 * @throws AppError `not_found` (404) for another creator's payment or one that never settled.
 */
export async function getSale(ownerId: string, id: string) {
  return saleJson(await ownedSale(ownerId, id));
}
