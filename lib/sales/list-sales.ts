import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import {
  afterSalesCursor,
  rangeCheck,
  SALES_ORDER,
  salesCursor,
  salesFilterFields,
  salesPageFields,
  salesWhere,
} from "@/lib/sales/filter";
import { SALE_INCLUDE, saleJson } from "@/lib/sales/sale-json";

export const listSalesInput = rangeCheck(
  z.object({ ownerId: z.string().min(1), ...salesFilterFields, ...salesPageFields }),
);
export type ListSalesInput = z.input<typeof listSalesInput>;

/**
 * One page of the creator's settled payments (sales), newest first, narrowed by the shared sales
 * filter (link, network, `[from, to)`).
 * @returns `{ sales, nextCursor }` — `nextCursor` is null on the last page.
 * @throws ZodError (→ 400 `invalid_request`) on a bad filter.
 */
export async function listSales(input: ListSalesInput) {
  const { cursor, limit, ...filter } = listSalesInput.parse(input);
  const prisma = await db();
  const rows = await prisma.payment.findMany({
    where: { AND: [salesWhere(filter), afterSalesCursor(cursor)] },
    include: SALE_INCLUDE,
    orderBy: SALES_ORDER,
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { sales: page.map(saleJson), nextCursor: rows.length > limit && last ? salesCursor(last) : null };
}
