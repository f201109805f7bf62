import { median, percentile, since } from "./stats";

/** Sequential request latencies to a full response body (ms). */
export type LatencyResult = { median: number; p90: number; samples: number[]; bytes: number };

/**
 * Times `samples` sequential GETs of `url` (each to the last byte of its body) after `warmup`
 * unrecorded ones.
 * @throws Error when an answer is not 200.
 */
export async function measureLatency(
  url: string,
  opts: { headers?: Record<string, string>; samples: number; warmup: number },
): Promise<LatencyResult> {
  const out: number[] = [];
  let bytes = 0;
  for (let i = 0; i < opts.samples + opts.warmup; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: opts.headers });
    const body = await res.arrayBuffer();
    const ms = since(t0);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
    bytes = body.byteLength;
    if (i >= opts.warmup) out.push(ms);
  }
  return { median: median(out), p90: percentile(out, 90), samples: out, bytes };
}
