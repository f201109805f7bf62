import "server-only";
import { salesCursor, salesFilterInput, type SalesFilter } from "@/lib/sales/filter";
import { findSales } from "@/lib/sales/find-sales";
import { saleJson, type SaleJson } from "@/lib/sales/sale-json";
import type { z } from "zod";

export const exportSalesInput = salesFilterInput;
export type ExportSalesInput = z.input<typeof exportSalesInput>;

/** Rows fetched per database round trip while streaming. */
const BATCH = 500;

/** CSV columns, in order. Amounts are exact decimals made from atomic units, never floats. */
const COLUMNS: [header: string, value: (s: SaleJson) => string | number | null][] = [
  ["settled_at", (s) => s.settledAt],
  ["payment_id", (s) => s.id],
  ["link_id", (s) => s.link.id],
  ["link_title", (s) => s.link.title ?? s.link.objectName],
  ["object_name", (s) => s.link.objectName],
  ["payer", (s) => s.payer],
  ["amount_usdc", (s) => s.price],
  ["amount_atomic", (s) => s.amount],
  ["asset", (s) => s.asset],
  ["network", (s) => s.network],
  ["network_name", (s) => s.networkName],
  ["transaction", (s) => s.transaction],
  ["transaction_url", (s) => s.transactionUrl],
  ["status", (s) => s.status],
  ["refunded_at", (s) => s.refund?.refundedAt ?? null],
  ["refund_usdc", (s) => s.refund?.price ?? null],
  ["refund_atomic", (s) => s.refund?.amount ?? null],
  ["refund_transaction", (s) => s.refund?.transaction ?? null],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start — only in free text such as
 * titles) is prefixed with `'` (OWASP CSV injection).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV line of a sale (CRLF-terminated). */
export function csvLine(sale: SaleJson): string {
  return `${COLUMNS.map(([, value]) => csvField(value(sale))).join(",")}\r\n`;
}

/** The CSV header line. */
export const CSV_HEADER = `${COLUMNS.map(([h]) => h).join(",")}\r\n`;

/**
 * Streams the creator's sales matching the filter (status, link, network, `[from, to)`) as CSV,
 * newest first — a refunded sale with `status` `refunded` and its refund's time, amount and
 * transaction — reading the database in batches so memory stays flat whatever the count.
 * @returns `{ stream, filename }` — `filename` like `vend-sales-2026-05-01.csv`.
 * @throws ZodError (→ 400 `invalid_request`) on a bad filter (thrown before streaming starts).
 */
export async function exportSales(input: ExportSalesInput) {
  const filter: SalesFilter = exportSalesInput.parse(input);
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_HEADER));
        return;
      }
      const rows = await findSales(filter, cursor, BATCH);
      if (rows.length) controller.enqueue(encoder.encode(rows.map((r) => csvLine(saleJson(r))).join("")));
      if (rows.length < BATCH) controller.close();
      else cursor = salesCursor(rows.at(-1)!);
    },
  });
  return { stream, filename: `vend-sales-${new Date().toISOString().slice(0, 10)}.csv` };
}
