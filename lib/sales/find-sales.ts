import "server-only";
import { db } from "@/lib/db";
import { afterSalesCursor, SALES_ORDER, saleStatuses, salesWhere, type SalesFilter } from "@/lib/sales/filter";
import { SALE_INCLUDE, type SaleRow } from "@/lib/sales/sale-json";

/** Newest first by (settledAt, id), as {@link SALES_ORDER}. */
function newerFirst(a: SaleRow, b: SaleRow): number {
  const at = (b.settledAt?.getTime() ?? 0) - (a.settledAt?.getTime() ?? 0);
  return at !== 0 ? at : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Up to `take` sales matching the filter after `cursor`, newest first: one keyset query per status
 * (each an ordered range of the `(status, settledAt, …)` index, so a page costs `take` rows
 * whatever the number of sales), merged.
 */
export async function findSales(filter: SalesFilter, cursor: string | undefined, take: number): Promise<SaleRow[]> {
  const prisma = await db();
  const after = afterSalesCursor(cursor);
  const pages = await Promise.all(
    saleStatuses(filter).map((status) =>
      prisma.payment.findMany({ where: { AND: [salesWhere(filter, status), after] }, include: SALE_INCLUDE, orderBy: SALES_ORDER, take }),
    ),
  );
  return pages.flat().sort(newerFirst).slice(0, take);
}
