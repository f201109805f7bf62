import { z } from "zod";
import { json, parseQuery, withCreator } from "@/lib/http";
import { rangeCheck, salesFilterFields, salesPageFields } from "@/lib/sales/filter";
import { listSales } from "@/lib/sales/list-sales";
import { salesSummary, timeZoneField } from "@/lib/sales/sales-summary";

export const dynamic = "force-dynamic";

const query = rangeCheck(z.object({ ...salesFilterFields, ...salesPageFields, tz: timeZoneField }));

/**
 * `GET /api/sales?linkId=&network=&from=&to=&cursor=&limit=&tz=` — the creator's settled payments,
 * newest first (`from`/`to`: ISO instants, `[from, to)`; `tz`: IANA zone of the day buckets).
 * 200 → `{ sales: [{id, settledAt, payer, amount (atomic), price (decimal), network, networkName,
 * transaction, transactionUrl, link: {id, slug, title, objectName}}], nextCursor,
 * totals: {count, revenue}, last30: {count, revenue}, days: [{date, count, revenue}] (30, oldest first) }`.
 * Errors: 400 `invalid_request` (bad filter), 401.
 */
export const GET = withCreator(async ({ req, creator }) => {
  const { cursor, limit, tz, ...filter } = parseQuery(req, query);
  const ownerId = creator.userId;
  const [page, summary] = await Promise.all([
    listSales({ ...filter, cursor, limit, ownerId }),
    salesSummary({ ...filter, tz, ownerId }),
  ]);
  return json({ ...page, ...summary });
});
