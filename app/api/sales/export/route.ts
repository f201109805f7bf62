import { z } from "zod";
import { parseQuery, withCreator } from "@/lib/http";
import { exportSales } from "@/lib/sales/export-sales";
import { rangeCheck, salesFilterFields } from "@/lib/sales/filter";

export const dynamic = "force-dynamic";

const query = rangeCheck(z.object(salesFilterFields));

/**
 * `GET /api/sales/export?linkId=&network=&from=&to=` — the same sales as `GET /api/sales` with the
 * same filter, every page, as a CSV download (UTF-8, CRLF, RFC 4180). Amounts: `amount_usdc` is the
 * exact decimal made from `amount_atomic`. Errors: 400 `invalid_request`, 401.
 */
export const GET = withCreator(async ({ req, creator }) => {
  const filter = parseQuery(req, query);
  const { stream, filename } = await exportSales({ ...filter, ownerId: creator.userId });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
