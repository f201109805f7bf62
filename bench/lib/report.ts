import os from "node:os";
import type { ExplainReport } from "./explain";
import type { LatencyResult } from "./latency";
import type { LighthouseResult } from "./lighthouse";
import type { PageWeight, PaywallReference } from "./page-weight";
import type { ConcurrencyResult } from "./concurrency";
import type { NetworkReport } from "./network";
import type { PaidResult, PaidSample } from "./paid";
import { diffTally, tallyTotals } from "./rpc-proxy";
import { median, percentile } from "./stats";
import type { LoadResult } from "./throughput";

/** Everything one bench run measured, as {@link printReport} takes it. */
export type BenchReport = {
  config: { connections: number; seconds: number; rounds: number; purchases: number; database: string; price: string; scale: string };
  paid: PaidResult;
  load: Map<string, LoadResult>;
  lists: { name: string; result: LatencyResult; goalMs?: number }[];
  explain?: ExplainReport;
  /** Lighthouse scores (mobile profile) of the pay page, the sign-in page and the overview. */
  lighthouse?: LighthouseResult[];
  pages: PageWeight[];
  paywall: PaywallReference;
  seconds: number;
};

type Row = { figure: string; vend: string; baseline: string; ratio: string; goal: string; met: string };

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const rps = (v: number) => `${Math.round(v).toLocaleString("en-US")}/s`;
const kb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
const x = (v: number) => `${v.toFixed(2)}×`;
const yesNo = (ok: boolean) => (ok ? "yes" : "**no**");

/** Prints rows as a Markdown table with padded columns (readable raw and rendered). */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** Vend's own time in a paid request: Server-Timing `total − verify − settle` (ms). */
function ownMs(s: PaidSample): number {
  const t = s.spans ?? {};
  return (t.total ?? NaN) - (t.verify ?? 0) - (t.settle ?? 0);
}

function rpcBreakdown(samples: PaidSample[]): Map<string, { calls: number; ms: number }> {
  const methods = new Set(samples.flatMap((s) => Object.keys(s.rpc.calls)));
  return new Map(
    [...methods].sort().map((m) => [m, { calls: median(samples.map((s) => s.rpc.calls[m] ?? 0)), ms: median(samples.map((s) => s.rpc.ms[m] ?? 0)) }]),
  );
}

/** Prints the summary table (figure, Vend, baseline, ratio, goal, met) and the details behind it. */
export function printReport(r: BenchReport): void {
  const floor = r.load.get("floor")!;
  const reference = r.load.get("reference")!;
  const vend402 = r.load.get("vend402")!;
  const receipt = r.load.get("receipt")!;
  const retry = r.load.get("retry")!;
  const loadCell = (l: LoadResult) => `${rps(l.rps)} (p50 ${l.p50} / p99 ${l.p99} ms)`;

  const paidMs = (k: "vend" | "reference" | "floor") => median(r.paid[k].map((s) => s.ms));
  const vendPaid = paidMs("vend");
  const refPaid = paidMs("reference");
  const floorPaid = paidMs("floor");
  const own = median(r.paid.vend.map(ownMs));
  const rpcCalls = (k: "vend" | "reference" | "floor") => median(r.paid[k].map((s) => tallyTotals(s.rpc).calls));
  const rpcMs = (k: "vend" | "reference" | "floor") => median(r.paid[k].map((s) => tallyTotals(s.rpc).ms));

  const payPage = r.pages.find((p) => p.route === "/pay/[slug]");
  const explained = (name: string) => r.explain?.cases.find((e) => name === e.name);
  const rows: Row[] = [
    {
      figure: `402 challenge throughput, ${r.config.connections} conn. (vs floor)`,
      vend: loadCell(vend402),
      baseline: `floor: ${loadCell(floor)}`,
      ratio: x(vend402.rps / floor.rps),
      goal: "≥ 0.80×",
      met: yesNo(vend402.rps / floor.rps >= 0.8),
    },
    {
      figure: `402 challenge throughput, ${r.config.connections} conn. (vs reference)`,
      vend: loadCell(vend402),
      baseline: `@x402/express: ${loadCell(reference)}`,
      ratio: x(vend402.rps / reference.rps),
      goal: "≥ 1.00×",
      met: yesNo(vend402.rps / reference.rps >= 1),
    },
    {
      figure: `Paid request latency, median of ${r.paid.vend.length} (vs reference)`,
      vend: ms(vendPaid),
      baseline: `@x402/express: ${ms(refPaid)}`,
      ratio: x(vendPaid / refPaid),
      goal: "≤ 0.50×",
      met: yesNo(vendPaid / refPaid <= 0.5),
    },
    {
      figure: `Paid request latency, median of ${r.paid.vend.length} (vs floor)`,
      vend: ms(vendPaid),
      baseline: `verify+settle in process: ${ms(floorPaid)}`,
      ratio: x(vendPaid / floorPaid),
      goal: "≤ 1.20×",
      met: yesNo(vendPaid / floorPaid <= 1.2),
    },
    {
      figure: "Vend's own time in a paid request (total − verify − settle), median",
      vend: ms(own),
      baseline: "—",
      ratio: "—",
      goal: "≤ 3 ms",
      met: yesNo(own <= 3),
    },
    {
      figure: "JSON-RPC calls per purchase (time in RPC), median",
      vend: `${rpcCalls("vend")} (${ms(rpcMs("vend"))})`,
      baseline: `@x402/express ${rpcCalls("reference")} (${ms(rpcMs("reference"))}), floor ${rpcCalls("floor")} (${ms(rpcMs("floor"))})`,
      ratio: x(rpcCalls("vend") / rpcCalls("floor")),
      goal: "—",
      met: "—",
    },
    {
      figure: `Receipted download of 1 KiB, ${r.config.connections} conn. (vs floor)`,
      vend: loadCell(receipt),
      baseline: `floor: ${loadCell(floor)}`,
      ratio: x(receipt.rps / floor.rps),
      goal: "—",
      met: "—",
    },
    {
      figure: `Buyer's idempotent retry (same payload + payment-identifier), 1 KiB, ${r.config.connections} conn. (vs floor)`,
      vend: loadCell(retry),
      baseline: `floor: ${loadCell(floor)}`,
      ratio: x(retry.rps / floor.rps),
      goal: "—",
      met: "—",
    },
  ];
  if (payPage) {
    rows.push({
      figure: "/pay/[slug] JS: first load, gzip (+ lazy wallet panel)",
      vend: `${kb(payPage.firstLoad.gzip)} (${kb(payPage.withLazy.gzip)})`,
      baseline: `@x402/paywall /evm: ${kb(r.paywall.raw)} raw${r.paywall.gzip ? `, ${kb(r.paywall.gzip)} gzip` : ""}`,
      ratio: `${x(payPage.withLazy.raw / r.paywall.raw)} raw (${kb(payPage.withLazy.raw)} vs ${kb(r.paywall.raw)})`,
      goal: "—",
      met: "—",
    });
  }
  for (const p of r.pages.filter((p) => p.route.startsWith("/dashboard"))) {
    rows.push({ figure: `${p.route} first-load JS, gzip`, vend: kb(p.firstLoad.gzip), baseline: "—", ratio: "—", goal: "—", met: "—" });
  }
  for (const l of r.lighthouse ?? []) {
    rows.push({
      figure: `${l.name} Lighthouse, mobile: performance / accessibility / best practices${
        new URL(l.finalUrl).pathname === new URL(l.url).pathname ? "" : ` (ended on ${new URL(l.finalUrl).pathname})`
      }`,
      vend: `${l.performance} / ${l.accessibility} / ${l.bestPractices}`,
      baseline: `LCP ${(l.lcpMs / 1000).toFixed(1)} s, TBT ${Math.round(l.tbtMs)} ms, CLS ${l.cls.toFixed(2)}`,
      ratio: "—",
      goal: l.name.startsWith("/pay/") ? "performance ≥ 90" : "—",
      met: l.name.startsWith("/pay/") ? yesNo(l.performance >= 90) : "—",
    });
  }
  for (const l of r.lists) {
    rows.push({
      figure: `${l.name}, median at scale`,
      vend: ms(l.result.median),
      baseline: "—",
      ratio: "—",
      goal: l.goalMs ? `≤ ${l.goalMs} ms` : "—",
      met: l.goalMs ? yesNo(l.result.median <= l.goalMs) : "—",
    });
  }

  console.log(`\n## Results\n\nDatabase: ${r.config.database}, seeded with ${r.config.scale} ("at scale").\n`);
  console.log(
    markdownTable(
      ["Figure", "Vend", "Baseline", "Ratio", "Goal", "Met"],
      rows.map((row) => [row.figure, row.vend, row.baseline, row.ratio, row.goal, row.met]),
    ),
  );

  console.log("\n### 402 and receipt throughput (medians over rounds; req/s of each round)\n");
  console.log(
    markdownTable(
      ["Endpoint", "req/s", "p50", "p99", "rounds (req/s)"],
      [
        ["floor: bare route, fixed 402", floor],
        ["reference: @x402/express, 402", reference],
        ["Vend gate: 402 from the link row", vend402],
        ["Vend gate: receipted 1 KiB download", receipt],
        ["Vend gate: buyer's idempotent retry, 1 KiB", retry],
      ].map(([name, l]) => {
        const v = l as LoadResult;
        return [name as string, rps(v.rps), `${v.p50} ms`, `${v.p99} ms`, v.rounds.map((n) => Math.round(n)).join(", ")];
      }),
    ),
  );

  const gate = r.explain?.cases.find((c) => c.name.startsWith("gate 402"));
  if (gate) {
    console.log(
      `\nThe gate's 402 work in process (load the link row + build the challenge): ${ms(gate.inProcessMs)}, ` +
        `of which ${ms(gate.dbMs)} in ${gate.statements} SQL statement(s).`,
    );
  }

  const spans = (k: string) => median(r.paid.vend.map((s) => s.spans?.[k] ?? 0));
  console.log("\n### Paid requests (ms; median / p90)\n");
  console.log(
    markdownTable(
      ["Path", "median", "p90", "RPC calls", "time in RPC"],
      (["vend", "reference", "floor"] as const).map((k) => [
        { vend: "Vend gate (HTTP)", reference: "reference @x402/express (HTTP)", floor: "floor: verify + settle in process" }[k],
        ms(paidMs(k)),
        ms(percentile(r.paid[k].map((s) => s.ms), 90)),
        String(rpcCalls(k)),
        ms(rpcMs(k)),
      ]),
    ),
  );
  console.log(
    `\nVend Server-Timing medians: db ${ms(spans("db"))}, verify ${ms(spans("verify"))}, settle ${ms(spans("settle"))}, ` +
      `total ${ms(spans("total"))}; own (total − verify − settle) ${ms(own)}; ` +
      `client-side latency − verify − settle ${ms(median(r.paid.vend.map((s) => s.ms - (s.spans?.verify ?? 0) - (s.spans?.settle ?? 0))))}.`,
  );
  const floorVerify = r.paid.floor.map((s) => ({ ...s, rpc: s.verifyRpc ?? { calls: {}, ms: {}, requests: 0 } }));
  const floorSettle = r.paid.floor.map((s) => ({ ...s, rpc: diffTally(s.verifyRpc ?? { calls: {}, ms: {}, requests: 0 }, s.rpc) }));
  const breakdown = [r.paid.vend, r.paid.reference, r.paid.floor, floorVerify, floorSettle].map(rpcBreakdown);
  const methods = [...new Set(breakdown.flatMap((b) => [...b.keys()]))].sort();
  const cell = (b: Map<string, { calls: number; ms: number }>, m: string) => (b.get(m) ? `${b.get(m)!.calls} (${ms(b.get(m)!.ms)})` : "0");
  const floorSpan = (k: string) => ms(median(r.paid.floor.map((s) => s.spans?.[k] ?? 0)));
  console.log("\nJSON-RPC per purchase (median calls of each method, and median ms spent in them):\n");
  console.log(
    markdownTable(
      ["Method", "Vend", "reference", "floor", "floor: in verify", "floor: in settle"],
      [
        ...methods.map((m) => [m, ...breakdown.map((b) => cell(b, m))]),
        ["wall time (median)", ms(vendPaid), ms(refPaid), ms(floorPaid), floorSpan("verify"), floorSpan("settle")],
      ],
    ),
  );

  console.log("\n### Page weight (JavaScript; bytes on disk and gzip)\n");
  console.log(
    markdownTable(
      ["Route", "first load", "first load gzip", "+ lazy chunks", "+ lazy gzip"],
      r.pages.map((p) => [p.route, kb(p.firstLoad.raw), kb(p.firstLoad.gzip), kb(p.withLazy.raw), kb(p.withLazy.gzip)]),
    ),
  );
  console.log(`\nReference: @x402/paywall /evm ${kb(r.paywall.raw)} (${r.paywall.source}).`);

  console.log("\n### List APIs at scale\n");
  console.log(
    markdownTable(
      ["Request", "HTTP median", "HTTP p90", "bytes", "in process", "of which DB", "statements", "slowest statement: as run / EXPLAIN"],
      r.lists.map((l) => {
        const c = explained(l.name);
        const slow = c?.plans.slice().sort((a, b) => b.asRunMs - a.asRunMs)[0];
        return [
          l.name,
          ms(l.result.median),
          ms(l.result.p90),
          String(l.result.bytes),
          c ? ms(c.inProcessMs) : "—",
          c ? ms(c.dbMs) : "—",
          c ? String(c.statements) : "—",
          slow ? `${ms(slow.asRunMs)} / ${ms(slow.executionMs)}${slow.calls > 1 ? ` (× ${slow.calls})` : ""}` : "—",
        ];
      }),
    ),
  );
  console.log(
    "\nIn process = the use case called directly (no HTTP, no API-key lookup), after warm-up; of which DB = " +
      "time with a statement in flight (Prisma query events); as run = one statement's round trip, queueing included; " +
      "EXPLAIN = (ANALYZE, TIMING OFF) execution time inside the database.",
  );
  // Plans of the figures that miss their goal (or have none, like the export): the statements that
  // page without LIMIT first, then those doing the most work inside the database.
  const clean = (sql: string) => sql.replace(/\s+/g, " ").replace(/"public"\./g, "");
  const noLimit = (sql: string) => /\bORDER BY\b/i.test(sql) && !/\bLIMIT\b/i.test(sql);
  const weight = (p: { sql: string; executionMs: number }) => (noLimit(p.sql) ? Infinity : p.executionMs);
  for (const l of r.lists) {
    const c = explained(l.name);
    if (!c || (l.goalMs !== undefined && l.result.median <= l.goalMs)) continue;
    console.log(`\n${c.name}: ${ms(l.result.median)} over HTTP; its heaviest statements`);
    for (const p of c.plans.slice().sort((a, b) => weight(b) - weight(a)).slice(0, 2)) {
      const sql = clean(p.sql);
      console.log(
        `\n  as run ${ms(p.asRunMs)}, EXPLAIN ${ms(p.executionMs)}${p.calls > 1 ? `, × ${p.calls} calls` : ""}` +
          (noLimit(sql) ? " — ORDER BY without LIMIT: every following row is read and the page is cut in JavaScript" : ""),
      );
      console.log(`  ${sql.length > 420 ? `${sql.slice(0, 260)} … ${sql.slice(-150)}` : sql}`);
      console.log(p.plan.map((line) => `    ${line}`).join("\n"));
    }
  }

  const load = os.loadavg().map((n) => n.toFixed(2)).join(" ");
  console.log(
    `\nRun: ${r.config.database} database, price ${r.config.price} USDC, ${r.config.rounds} rounds × ${r.config.seconds} s at ` +
      `${r.config.connections} connections, ${r.config.purchases} purchases per paid path; ${os.cpus().length} CPUs, ` +
      `Node ${process.version}, load average ${load}; ${r.seconds.toFixed(0)} s in all.`,
  );
}


/**
 * Prints the real-network run as one table with its same-run anchors — paid latency (Vend's gate,
 * the `@x402/express` anchor, the floor: a pre-signed send + receipt), JSON-RPC calls per purchase,
 * concurrent distinct purchases per level on one and two instances — and the details behind it
 * (Server-Timing spans, calls per method).
 */
export function printNetworkReport(n: NetworkReport, run: { appDir: string; seconds: number }): void {
  const paidMs = (k: "vend" | "reference" | "floor") => median(n.paid[k].map((s) => s.ms));
  const p90 = (k: "vend" | "reference" | "floor") => percentile(n.paid[k].map((s) => s.ms), 90);
  const calls = (k: "vend" | "reference" | "floor") => median(n.paid[k].map((s) => tallyTotals(s.rpc).calls));
  const trips = (k: "vend" | "reference" | "floor") => median(n.paid[k].map((s) => s.rpc.requests));
  const [vend, anchor, floor] = [paidMs("vend"), paidMs("reference"), paidMs("floor")];
  const paidCell = (k: "vend" | "reference" | "floor") => `${ms(paidMs(k))} (p90 ${ms(p90(k))})`;
  const rows: string[][] = [
    [
      `Paid latency, median of ${n.paid.vend.length} sequential`,
      paidCell("vend"),
      paidCell("reference"),
      paidCell("floor"),
      `${x(vend / anchor)} anchor, ${x(vend / floor)} floor`,
      "≤ 1.00× anchor, ≤ 2.50× floor",
      yesNo(vend <= anchor && vend <= 2.5 * floor),
    ],
    [
      "JSON-RPC calls per purchase, median (HTTP round trips)",
      `${calls("vend")} (${trips("vend")})`,
      `${calls("reference")} (${trips("reference")})`,
      `${calls("floor")} (${trips("floor")})`,
      `${x(calls("vend") / calls("floor"))} floor`,
      "≤ 4 (EOA payer)",
      yesNo(calls("vend") <= 4),
    ],
  ];
  const retried = n.retry.samples;
  rows.push([
    `Buyer's idempotent retry (same PAYMENT-SIGNATURE + payment-identifier), median of ${retried.length || "—"} sequential: latency, RPC calls (round trips)`,
    retried.length
      ? `${ms(median(retried.map((s) => s.ms)))} (p90 ${ms(percentile(retried.map((s) => s.ms), 90))}), ` +
        `${median(retried.map((s) => tallyTotals(s.rpc).calls))} (${median(retried.map((s) => s.rpc.requests))})`
      : `not answered with the file: ${n.retry.failure}`,
    "—",
    "—",
    retried.length ? `${x(median(retried.map((s) => s.ms)) / floor)} floor` : "—",
    "—",
    "—",
  ]);
  const failures = (c: ConcurrencyResult) => {
    const total = c.concurrency - c.settled;
    return total === 0 ? "0" : `${total}: ${Object.entries(c.failures).map(([k, v]) => `${v}× ${k}`).join(", ")}`;
  };
  for (const c of n.concurrency) {
    const top = c.concurrency === Math.max(...n.concurrency.map((d) => d.concurrency));
    rows.push([
      `${c.concurrency} concurrent distinct purchases, ${c.instances} instance${c.instances > 1 ? "s" : ""}: settled/s, p50 / p99, failures`,
      `${c.settledPerSecond.toFixed(1)}/s, ${Number.isNaN(c.p50) ? "—" : `${ms(c.p50)} / ${ms(c.p99)}`}, ${failures(c)}`,
      "—",
      "—",
      `${c.callsPerPurchase.toFixed(1)} calls (${c.requestsPerPurchase.toFixed(1)} round trips) per purchase`,
      top ? "every purchase settles" : "—",
      top ? yesNo(c.settled === c.concurrency) : "—",
    ]);
  }
  if (n.skippedTwo) rows.push(["Two instances", `not measured: ${n.skippedTwo}`, "—", "—", "—", "every purchase settles", "**no**"]);
  console.log(
    `\n## Real-network cost: every JSON-RPC round trip + ${n.latencyMs} ms\n\n` +
      `App: ${run.appDir}; database: ${n.database}; one settlement key shared by the instances; the anchor and the floor settle from their own keys.\n`,
  );
  console.log(markdownTable(["Figure", "Vend", "@x402/express anchor", "floor: send + receipt", "Ratio", "Goal", "Met"], rows));

  const spans = (k: string) => median(n.paid.vend.map((s) => s.spans?.[k] ?? 0));
  console.log(
    `\nVend Server-Timing medians: verify ${ms(spans("verify"))}, settle ${ms(spans("settle"))}, db ${ms(spans("db"))}, total ${ms(spans("total"))}; ` +
      `client-side latency − total ${ms(median(n.paid.vend.map((s) => s.ms - (s.spans?.total ?? 0))))}. ` +
      `Floor: send ${ms(median(n.paid.floor.map((s) => s.spans?.send ?? 0)))}, receipt ${ms(median(n.paid.floor.map((s) => s.spans?.receipt ?? 0)))}.`,
  );
  const breakdown = [n.paid.vend, n.paid.reference, n.paid.floor].map(rpcBreakdown);
  const methods = [...new Set(breakdown.flatMap((b) => [...b.keys()]))].sort();
  const cell = (b: Map<string, { calls: number; ms: number }>, m: string) => (b.get(m) ? `${b.get(m)!.calls} (${ms(b.get(m)!.ms)})` : "0");
  console.log("\nJSON-RPC per purchase (median calls of each method, and median ms spent in them, latency included):\n");
  console.log(
    markdownTable(
      ["Method", "Vend", "anchor", "floor"],
      [...methods.map((m) => [m, ...breakdown.map((b) => cell(b, m))]), ["wall time (median)", ms(vend), ms(anchor), ms(floor)]],
    ),
  );
  const load = os.loadavg().map((v) => v.toFixed(2)).join(" ");
  console.log(`\nRun: ${os.cpus().length} CPUs, Node ${process.version}, load average ${load}; ${run.seconds.toFixed(0)} s in all.`);
}
