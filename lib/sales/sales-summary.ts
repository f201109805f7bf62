import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { rangeCheck, saleStatuses, salesFilterFields, salesWhere } from "@/lib/sales/filter";

/** Days in the revenue chart (today included). */
export const SUMMARY_DAYS = 30;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** IANA time zone the day buckets are cut in (the creator's, from the browser). Default UTC. */
export const timeZoneField = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.string().max(64).refine(validTimeZone, "Unknown time zone.").default("UTC"),
);

export const salesSummaryInput = rangeCheck(z.object({ ownerId: z.string().min(1), ...salesFilterFields, tz: timeZoneField }));
export type SalesSummaryInput = z.input<typeof salesSummaryInput>;

/**
 * One day of the chart: `date` is `YYYY-MM-DD` in the requested time zone; `count` / `revenue` the
 * sales made that day (refunded later or not), `refunds` / `refunded` the refunds made that day
 * (count, atomic units sent back). Amounts are atomic units.
 */
export type DayBucket = { date: string; count: number; revenue: string; refunds: number; refunded: string };

/** `YYYY-MM-DD` of an instant in a time zone. */
function dayKey(at: Date, tz: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The last `n` calendar days ending with `today` (`YYYY-MM-DD`), oldest first. */
function lastDays(today: string, n: number): string[] {
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(y, m - 1, d - (n - 1 - i))).toISOString().slice(0, 10));
}

/**
 * Totals and the revenue-over-time series of the creator's sales, refunds shown apart (as payment
 * dashboards do: a sale counts on the day it was made, its refund on the day it was made):
 * - `totals` `{count, revenue, refunds, refunded, net}`: sales settled in the filter (link,
 *   network, range; refunded later or not), refunds made in the range, `net` = revenue − refunded;
 * - `days`: the last 30 calendar days in `tz` (oldest first, empty days included) for the link and
 *   network filter — the chart always shows the last 30 days, whatever the range;
 * - `last30`: the same totals over `days`.
 * A `status` filter narrows the sales counted (`refunded`: only sales refunded since). Amounts are
 * atomic units as decimal strings (exact; sums are computed by PostgreSQL on BIGINT).
 * @throws ZodError (→ 400 `invalid_request`) on a bad filter or time zone.
 */
export async function salesSummary(input: SalesSummaryInput): Promise<SalesSummary> {
  const parsed = salesSummaryInput.parse(input);
  const key = JSON.stringify([parsed.status, parsed.linkId, parsed.network, parsed.from, parsed.to, parsed.tz, dayKey(new Date(), parsed.tz)]);
  const owner = summaryCache.get(parsed.ownerId);
  const hit = owner?.get(key);
  if (hit && Date.now() - hit.at < SUMMARY_CACHE_MS) return hit.value;
  const value = await computeSummary(parsed);
  if (summaryCache.size >= SUMMARY_CACHE_OWNERS) summaryCache.clear();
  summaryCache.set(parsed.ownerId, (owner ?? new Map()).set(key, { at: Date.now(), value }));
  return value;
}

/**
 * How long a creator's computed summary is reused by this process. Aggregating a busy creator's
 * sales costs tens of milliseconds and the dashboard asks on every page; this process forgets a
 * creator's summaries as soon as it settles a sale for them ({@link forgetSalesSummary}).
 */
const SUMMARY_CACHE_MS = 10_000;
const SUMMARY_CACHE_OWNERS = 1_000;
const summaryCache = new Map<string, Map<string, { at: number; value: SalesSummary }>>();

/** Drops the cached summaries of one creator, or of everyone. */
export function forgetSalesSummary(ownerId?: string): void {
  if (ownerId === undefined) summaryCache.clear();
  else summaryCache.delete(ownerId);
}

/** Totals of sales and refunds, with `net` = revenue − refunded (atomic units as strings). */
function totalsOf(count: number, revenue: bigint, refunds: number, refunded: bigint) {
  return { count, revenue: revenue.toString(), refunds, refunded: refunded.toString(), net: (revenue - refunded).toString() };
}

async function computeSummary(parsed: z.output<typeof salesSummaryInput>) {
  const { tz, ...filter } = parsed;
  const prisma = await db();
  const statuses = saleStatuses(filter);
  const refundedIn =
    filter.from || filter.to
      ? { refundedAt: { ...(filter.from ? { gte: new Date(filter.from) } : {}), ...(filter.to ? { lt: new Date(filter.to) } : {}) } }
      : {};
  const [sold, refundTotals] = await Promise.all([
    Promise.all(
      statuses.map((status) => prisma.payment.aggregate({ where: salesWhere(filter, status), _count: { _all: true }, _sum: { amount: true } })),
    ),
    prisma.payment.aggregate({
      where: { ...salesWhere({ ...filter, from: undefined, to: undefined }, "refunded"), ...refundedIn },
      _count: { _all: true },
      _sum: { refundAmount: true },
    }),
  ]);

  // Day buckets in the creator's time zone. `settledAt` / `refundedAt` are UTC TIMESTAMPs without zone.
  // 31 days back covers any zone offset; buckets outside the 30 calendar days are dropped below.
  const conditions = [Prisma.sql`l."ownerId" = ${filter.ownerId}`];
  if (filter.linkId) conditions.push(Prisma.sql`p."linkId" = ${filter.linkId}`);
  if (filter.network) conditions.push(Prisma.sql`p."network" = ${filter.network}`);
  const since = Prisma.sql`(now() AT TIME ZONE 'UTC') - interval '31 days'`;
  const [salesRows, refundRows] = await Promise.all([
    prisma.$queryRaw<{ day: string; count: number; revenue: string }[]>`
      SELECT to_char((p."settledAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day,
             count(*)::int AS count,
             sum(p."amount")::text AS revenue
      FROM "Payment" p JOIN "PaymentLink" l ON l."id" = p."linkId"
      WHERE ${Prisma.join(conditions, " AND ")}
        AND p."status"::text IN (${Prisma.join(statuses)}) AND p."settledAt" >= ${since}
      GROUP BY 1`,
    prisma.$queryRaw<{ day: string; count: number; refunded: string }[]>`
      SELECT to_char((p."refundedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day,
             count(*)::int AS count,
             sum(p."refundAmount")::text AS refunded
      FROM "Payment" p JOIN "PaymentLink" l ON l."id" = p."linkId"
      WHERE ${Prisma.join(conditions, " AND ")} AND p."status" = 'refunded' AND p."refundedAt" >= ${since}
      GROUP BY 1`,
  ]);
  const salesByDay = new Map(salesRows.map((r) => [r.day, r]));
  const refundsByDay = new Map(refundRows.map((r) => [r.day, r]));
  const days: DayBucket[] = lastDays(dayKey(new Date(), tz), SUMMARY_DAYS).map((date) => {
    const sale = salesByDay.get(date);
    const refund = refundsByDay.get(date);
    return {
      date,
      count: sale ? Number(sale.count) : 0,
      revenue: sale ? BigInt(sale.revenue).toString() : "0",
      refunds: refund ? Number(refund.count) : 0,
      refunded: refund ? BigInt(refund.refunded).toString() : "0",
    };
  });
  const sum = (pick: (d: DayBucket) => bigint) => days.reduce((n, d) => n + pick(d), 0n);
  return {
    totals: totalsOf(
      sold.reduce((n, t) => n + t._count._all, 0),
      sold.reduce((n, t) => n + (t._sum.amount ?? 0n), 0n),
      refundTotals._count._all,
      refundTotals._sum.refundAmount ?? 0n,
    ),
    last30: totalsOf(
      days.reduce((n, d) => n + d.count, 0),
      sum((d) => BigInt(d.revenue)),
      days.reduce((n, d) => n + d.refunds, 0),
      sum((d) => BigInt(d.refunded)),
    ),
    days,
    tz,
  };
}
export type SalesSummary = Awaited<ReturnType<typeof computeSummary>>;
