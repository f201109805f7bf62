import { decodePaymentResponseHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import type { Account } from "../../scripts/lib/agent";
import { challenge, signAhead } from "./paid";
import { diffTally, tallyTotals, type RpcProxy } from "./rpc-proxy";
import { percentile, since } from "./stats";

/** How long one purchase may take before it counts as a failure (`timeout`), ms. */
const REQUEST_TIMEOUT_MS = 120_000;

/** One burst of concurrent distinct purchases; see {@link measureConcurrency}. */
export type ConcurrencyResult = {
  concurrency: number;
  instances: number;
  settled: number;
  /** Answers that were not a settled 200, by status and code or x402 reason (e.g. `409 settlement_pending`, `timeout`). */
  failures: Record<string, number>;
  /** From the first request sent to the last answer, ms. */
  wallMs: number;
  /** Settled purchases per second of wall time. */
  settledPerSecond: number;
  /** Latency percentiles of the settled purchases (ms), or NaN when none settled. */
  p50: number;
  p99: number;
  /** JSON-RPC calls and HTTP round trips to the node during the burst, per settled purchase. */
  callsPerPurchase: number;
  requestsPerPurchase: number;
};

/**
 * Concurrent distinct purchases: for each level, `level` authorizations of `payers` (taken in turn;
 * each a fresh EIP-3009 nonce) are signed ahead for the link, then all are sent at once as
 * `GET /l/{slug}` with `PAYMENT-SIGNATURE`, spread evenly over `linkUrls` (the same link on each
 * instance). A purchase counts as settled on a 200 whose `PAYMENT-RESPONSE` says success; one with
 * no answer within 120 s is a `timeout` failure.
 */
export async function measureConcurrency(opts: {
  linkUrls: string[];
  payers: Account[];
  levels: number[];
  proxy: RpcProxy;
  log?: (line: string) => void;
}): Promise<ConcurrencyResult[]> {
  const required = await challenge(opts.linkUrls[0]!);
  const out: ConcurrencyResult[] = [];
  for (const level of opts.levels) {
    const perPayer = Math.ceil(level / opts.payers.length);
    const signed = (await Promise.all(opts.payers.map((p) => signAhead(p, required, perPayer)))).flat().slice(0, level);
    const before = opts.proxy.snapshot();
    const t0 = performance.now();
    const answers = await Promise.all(
      signed.map(async (payload, i) => {
        const start = performance.now();
        try {
          const res = await fetch(opts.linkUrls[i % opts.linkUrls.length]!, {
            headers: { accept: "application/json", "PAYMENT-SIGNATURE": encodePaymentSignatureHeader(payload) },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          const text = res.status === 200 ? "" : await res.text();
          if (res.status === 200) await res.body?.cancel();
          const header = res.headers.get("payment-response");
          const ok = res.status === 200 && !!header && decodePaymentResponseHeader(header).success;
          let code = "";
          try {
            const body = JSON.parse(text) as { code?: string; error?: string | { code?: string } };
            code = (typeof body.error === "string" ? body.error : body.error?.code) ?? body.code ?? "";
          } catch {
            code = text.slice(0, 40);
          }
          return { ok, ms: since(start), failure: ok ? undefined : `${res.status}${code ? ` ${code}` : ""}` };
        } catch (error) {
          const e = error as Error;
          return { ok: false, ms: since(start), failure: e.name === "TimeoutError" ? "timeout" : e.message };
        }
      }),
    );
    const wallMs = since(t0);
    const rpc = diffTally(before, opts.proxy.snapshot());
    const settledMs = answers.filter((a) => a.ok).map((a) => a.ms);
    const failures: Record<string, number> = {};
    for (const a of answers) if (a.failure) failures[a.failure] = (failures[a.failure] ?? 0) + 1;
    const result: ConcurrencyResult = {
      concurrency: level,
      instances: opts.linkUrls.length,
      settled: settledMs.length,
      failures,
      wallMs,
      settledPerSecond: settledMs.length / (wallMs / 1000),
      p50: settledMs.length ? percentile(settledMs, 50) : NaN,
      p99: settledMs.length ? percentile(settledMs, 99) : NaN,
      callsPerPurchase: tallyTotals(rpc).calls / Math.max(1, settledMs.length),
      requestsPerPurchase: rpc.requests / Math.max(1, settledMs.length),
    };
    out.push(result);
    opts.log?.(
      `  ${level} at once on ${result.instances} instance(s): ${result.settled}/${level} settled, ${result.settledPerSecond.toFixed(1)}/s, ` +
        `p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, ${result.callsPerPurchase.toFixed(1)} RPC calls ` +
        `(${result.requestsPerPurchase.toFixed(1)} round trips) per settled purchase` +
        (Object.keys(failures).length ? `; failures ${JSON.stringify(failures)}` : ""),
    );
  }
  return out;
}
