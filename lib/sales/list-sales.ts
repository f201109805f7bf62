import "server-only";
import { z } from "zod";
import { rangeCheck, salesCursor, salesFilterFields, salesPageFields } from "@/lib/sales/filter";
import { findSales } from "@/lib/sales/find-sales";
import { saleJson } from "@/lib/sales/sale-json";

export const listSalesInput = rangeCheck(
  z.object({ ownerId: z.string().min(1), ...salesFilterFields, ...salesPageFields }),
);
export type ListSalesInput = z.input<typeof listSalesInput>;

/**
 * One page of the creator's sales (settled payments, refunded ones included with their refund),
 * newest first, narrowed by the shared sales filter (status, link, network, `[from, to)`).
 * @returns `{ sales, nextCursor }` — `nextCursor` is null on the last page.
 * @throws ZodError (→ 400 `invalid_request`) on a bad filter.
 */
export async function listSales(input: ListSalesInput) {
  const { cursor, limit, ...filter } = listSalesInput.parse(input);
  const rows = await findSales(filter, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { sales: page.map(saleJson), nextCursor: rows.length > limit && last ? salesCursor(last) : null };
}
