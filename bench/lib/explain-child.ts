/**
 * Child process of the bench (run by explain.ts as `tsx --conditions=react-server`, while the app
 * is stopped): runs the list use cases behind `GET /api/objects`, `/api/links`, `/api/sales` and
 * the sales export (and the gate's 402 work) in process, on the bench database, with a Prisma client
 * that records every SQL statement and its duration; times them after two warm-up runs, then runs
 * `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON)` on each distinct statement of the last run (TIMING
 * OFF: per-node clocks cost more than the work on PGlite and would inflate the execution time).
 * Prints one JSON line `@@explain@@{…}` ({@link ExplainReport} in explain.ts).
 */
import path from "node:path";
import { acquireDirectoryLock, releaseDirectoryLock } from "@/lib/db-lock";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { ExplainReport, QueryPlan } from "./explain";
import { median } from "./stats";

type Captured = { query: string; params: string; duration: number; end: number };

const config = JSON.parse(process.env.BENCH_EXPLAIN ?? "{}") as {
  databaseUrl: string;
  ownerId: string;
  from: string;
  linkId: string;
  slug: string;
  runs: number;
};

type LoggedClient = PrismaClient<"query">;

async function open(): Promise<{ prisma: LoggedClient; explain: (sql: string, params: unknown[]) => Promise<unknown>; close(): Promise<void> }> {
  const log: { emit: "event"; level: "query" }[] = [{ emit: "event", level: "query" }];
  if (config.databaseUrl.startsWith("pglite:")) {
    const dir = path.resolve(config.databaseUrl.slice("pglite:".length));
    acquireDirectoryLock(dir);
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import("@electric-sql/pglite"), import("pglite-prisma-adapter")]);
    const pglite = await PGlite.create(dir);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), log });
    return {
      prisma,
      explain: async (sql, params) => (await pglite.query<Record<string, unknown>>(sql, params)).rows[0]?.["QUERY PLAN"],
      async close() {
        await prisma.$disconnect();
        await pglite.close();
        releaseDirectoryLock(dir);
      },
    };
  }
  const [{ PrismaPg }, pg] = await Promise.all([import("@prisma/adapter-pg"), import("pg")]);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.databaseUrl }), log });
  const client = new pg.default.Client({ connectionString: config.databaseUrl });
  await client.connect();
  return {
    prisma,
    explain: async (sql, params) => (await client.query(sql, params)).rows[0]?.["QUERY PLAN"],
    async close() {
      await prisma.$disconnect();
      await client.end();
    },
  };
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Actual Rows"?: number; Plans?: PlanNode[] };

function nodes(plan: PlanNode, depth = 0, out: string[] = []): string[] {
  const on = plan["Relation Name"] ? ` on "${plan["Relation Name"]}"` : "";
  const via = plan["Index Name"] ? ` using ${plan["Index Name"]}` : "";
  out.push(`${"  ".repeat(depth)}${plan["Node Type"]}${on}${via} (rows ${plan["Actual Rows"]})`);
  for (const child of plan.Plans ?? []) nodes(child, depth + 1, out);
  return out;
}

/**
 * Wall time during which at least one statement was in flight (union of [end − duration, end]):
 * statements of one use case issued together (Promise.all) queue on one PGlite connection, and
 * their summed durations would count the waiting twice.
 */
function busy(statements: Captured[]): number {
  const spans = statements.map((c) => [c.end - c.duration, c.end] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const [a, b] of spans) {
    if (a > to) {
      if (to > from) total += to - from;
      [from, to] = [a, b];
    } else to = Math.max(to, b);
  }
  return to > from ? total + (to - from) : total;
}

async function main(): Promise<void> {
  const db = await open();
  let captured: Captured[] = [];
  db.prisma.$on("query", (e) => captured.push({ query: e.query, params: e.params, duration: e.duration, end: performance.now() }));
  const holder = globalThis as typeof globalThis & { __vendDb?: { prisma?: Promise<PrismaClient> } };
  holder.__vendDb = { prisma: Promise.resolve(db.prisma as unknown as PrismaClient) };

  const [{ listObjects }, { listLinks }, { listSales }, { salesSummary }, { exportSales }, { loadLinkForSale }, { paymentRequiredResponse }] =
    await Promise.all([
      import("@/lib/objects/list-objects"),
      import("@/lib/links/list-links"),
      import("@/lib/sales/list-sales"),
      import("@/lib/sales/sales-summary"),
      import("@/lib/sales/export-sales"),
      import("@/lib/purchases/sale"),
      import("@/lib/purchases/responses"),
    ]);
  const ownerId = config.ownerId;
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    while (!(await reader.read()).done);
  };
  const objectsCursor = (await listObjects({ ownerId })).nextCursor ?? undefined;
  const salesCursor = (await listSales({ ownerId, from: config.from })).nextCursor ?? undefined;
  // [name, run, timed runs]: names are the bench's list figures; the export runs once (seconds).
  const cases: [string, () => Promise<unknown>, number][] = [
    ["gate 402 (load link + build challenge)", async () => paymentRequiredResponse(await loadLinkForSale(config.slug)), config.runs * 10],
    ["GET /api/objects", () => listObjects({ ownerId }), config.runs],
    ["GET /api/objects (page 2)", () => listObjects({ ownerId, cursor: objectsCursor }), config.runs],
    ["GET /api/links", () => listLinks({ ownerId }), config.runs],
    ["GET /api/sales?from=30d", () => Promise.all([listSales({ ownerId, from: config.from }), salesSummary({ ownerId, from: config.from })]), config.runs],
    [
      "GET /api/sales?from=30d (page 2)",
      () => Promise.all([listSales({ ownerId, from: config.from, cursor: salesCursor }), salesSummary({ ownerId, from: config.from })]),
      config.runs,
    ],
    ["GET /api/sales?linkId", () => Promise.all([listSales({ ownerId, linkId: config.linkId }), salesSummary({ ownerId, linkId: config.linkId })]), config.runs],
    ["GET /api/sales/export?from=30d (CSV)", async () => drain((await exportSales({ ownerId, from: config.from })).stream), 1],
  ];

  const report: ExplainReport = { cases: [] };
  for (const [name, run, runs] of cases) {
    const times: number[] = [];
    const dbTimes: number[] = [];
    const warmups = runs > 1 ? 5 : 0;
    for (let i = 0; i < warmups + runs; i++) {
      captured = [];
      const t0 = performance.now();
      await run();
      if (i < warmups) continue;
      times.push(performance.now() - t0);
      dbTimes.push(busy(captured));
    }
    const statements = captured.filter((c) => /^\s*(SELECT|WITH)\b/i.test(c.query));
    // The export repeats one statement per batch of 500: explain each distinct statement once, with
    // the parameters of its first call (the cursor batch reading the most rows).
    const distinct: Captured[] = [];
    for (const s of statements) if (!distinct.some((d) => d.query === s.query)) distinct.push(s);
    const plans: QueryPlan[] = [];
    for (const s of distinct) {
      const params = JSON.parse(s.params) as unknown[];
      const explained = (await db.explain(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${s.query}`, params)) as [
        { Plan: PlanNode; "Execution Time": number },
      ];
      const calls = statements.filter((x) => x.query === s.query);
      plans.push({
        sql: s.query,
        params,
        calls: calls.length,
        asRunMs: median(calls.map((x) => x.duration)),
        executionMs: explained[0]["Execution Time"],
        plan: nodes(explained[0].Plan),
      });
    }
    report.cases.push({ name, inProcessMs: median(times), dbMs: median(dbTimes), statements: captured.length, plans });
  }
  await db.close();
  process.stdout.write(`@@explain@@${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
