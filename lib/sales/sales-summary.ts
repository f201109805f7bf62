import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { rangeCheck, salesFilterFields, salesWhere } from "@/lib/sales/filter";

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

/** One day of the chart: `date` is `YYYY-MM-DD` in the requested time zone, `revenue` atomic units. */
export type DayBucket = { date: string; count: number; revenue: string };

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
 * Totals and the revenue-over-time series of the creator's sales.
 * - `totals` `{count, revenue}`: every settled payment matching the filter (link, network, range);
 * - `days`: the last 30 calendar days in `tz` (oldest first, empty days included) for the link and
 *   network filter — the chart always shows the last 30 days, whatever the range;
 * - `last30` `{count, revenue}`: the sum of `days`.
 * Amounts are atomic units as decimal strings (exact; sums are computed by PostgreSQL on BIGINT).
 * @throws ZodError (→ 400 `invalid_request`) on a bad filter or time zone.
 */
export async function salesSummary(input: SalesSummaryInput): Promise<SalesSummary> {
  const parsed = salesSummaryInput.parse(input);
  const key = JSON.stringify([parsed.linkId, parsed.network, parsed.from, parsed.to, parsed.tz, dayKey(new Date(), parsed.tz)]);
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

async function computeSummary(parsed: z.output<typeof salesSummaryInput>) {
  const { tz, ...filter } = parsed;
  const prisma = await db();
  const totals = await prisma.payment.aggregate({
    where: salesWhere(filter),
    _count: { _all: true },
    _sum: { amount: true },
  });

  // Day buckets in the creator's time zone. `settledAt` is a UTC TIMESTAMP without zone.
  // 31 days back covers any zone offset; buckets outside the 30 calendar days are dropped below.
  const conditions = [
    Prisma.sql`l."ownerId" = ${filter.ownerId}`,
    Prisma.sql`p."status" = 'settled'`,
    Prisma.sql`p."settledAt" >= (now() AT TIME ZONE 'UTC') - interval '31 days'`,
  ];
  if (filter.linkId) conditions.push(Prisma.sql`p."linkId" = ${filter.linkId}`);
  if (filter.network) conditions.push(Prisma.sql`p."network" = ${filter.network}`);
  const rows = await prisma.$queryRaw<{ day: string; count: number; revenue: string }[]>`
    SELECT to_char((p."settledAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day,
           count(*)::int AS count,
           sum(p."amount")::text AS revenue
    FROM "Payment" p JOIN "PaymentLink" l ON l."id" = p."linkId"
    WHERE ${Prisma.join(conditions, " AND ")}
    GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days: DayBucket[] = lastDays(dayKey(new Date(), tz), SUMMARY_DAYS).map((date) => {
    const r = byDay.get(date);
    return { date, count: r ? Number(r.count) : 0, revenue: r ? BigInt(r.revenue).toString() : "0" };
  });
  const last30 = days.reduce((acc, d) => ({ count: acc.count + d.count, revenue: acc.revenue + BigInt(d.revenue) }), {
    count: 0,
    revenue: 0n,
  });
  return {
    totals: { count: totals._count._all, revenue: (totals._sum.amount ?? 0n).toString() },
    last30: { count: last30.count, revenue: last30.revenue.toString() },
    days,
    tz,
  };
}
export type SalesSummary = Awaited<ReturnType<typeof computeSummary>>;
