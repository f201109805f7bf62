import autocannon from "autocannon";
import { median } from "./stats";

/** One endpoint under load and the status every answer must have. */
export type LoadTarget = { name: string; url: string; expectStatus: number; headers?: Record<string, string> };

/** Medians over the rounds of one target. */
export type LoadResult = { name: string; rps: number; p50: number; p99: number; rounds: number[] };

/**
 * Loads each target with autocannon (`connections` concurrent keep-alive connections, no pipelining)
 * for `seconds` per round, `rounds` times, rotating the order of targets each round so that drifting
 * machine load spreads evenly; one unrecorded 1-second warm-up per target first. Requests/s is
 * completed requests over the round's duration; p50/p99 are autocannon's latency percentiles (ms).
 * Returns the medians over rounds.
 * @throws Error when a target answers anything else than its expected status, or errors/times out.
 */
export async function measureThroughput(
  targets: LoadTarget[],
  opts: { connections: number; seconds: number; rounds: number; log?: (line: string) => void },
): Promise<Map<string, LoadResult>> {
  const samples = new Map(targets.map((t) => [t.name, { rps: [] as number[], p50: [] as number[], p99: [] as number[] }]));
  for (const target of targets) await run(target, opts.connections, 1);
  for (let round = 0; round < opts.rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const target of order) {
      const r = await run(target, opts.connections, opts.seconds);
      const s = samples.get(target.name)!;
      s.rps.push(r.rps);
      s.p50.push(r.p50);
      s.p99.push(r.p99);
      opts.log?.(`  round ${round + 1}/${opts.rounds} ${target.name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
    }
  }
  return new Map(
    [...samples].map(([name, s]) => [name, { name, rps: median(s.rps), p50: median(s.p50), p99: median(s.p99), rounds: s.rps }]),
  );
}

async function run(target: LoadTarget, connections: number, seconds: number): Promise<{ rps: number; p50: number; p99: number }> {
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    headers: { accept: "application/json", ...target.headers },
    timeout: 10,
  });
  const statuses = Object.keys(result.statusCodeStats);
  if (result.errors || result.timeouts || statuses.some((s) => Number(s) !== target.expectStatus)) {
    throw new Error(
      `${target.name} (${target.url}): expected only ${target.expectStatus}, got statuses ${JSON.stringify(result.statusCodeStats)}, ` +
        `${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { rps: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99 };
}
