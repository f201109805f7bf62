import { randomUUID } from "node:crypto";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequired } from "@x402/core/types";
import { appendPaymentIdentifierToExtensions } from "@x402/extensions/payment-identifier";
import { payer, type Account } from "../../scripts/lib/agent";
import type { LocalFacilitator } from "./facilitator";
import { diffTally, type RpcProxy, type RpcTally } from "./rpc-proxy";
import { since } from "./stats";

/**
 * One timed purchase: wall time (ms), the JSON-RPC traffic it caused, and spans — Vend's
 * Server-Timing for the gate; the floor's own (`verify` / `settle` in process, whose RPC traffic is
 * also split between the two in `verifyRpc`; or `send` / `receipt`).
 */
export type PaidSample = { ms: number; rpc: RpcTally; spans?: Record<string, number>; verifyRpc?: RpcTally };

/**
 * Samples per path, in the order taken; `receipt` is a Vend receipt and `retry` the
 * `PAYMENT-SIGNATURE` of a settled Vend purchase that carries its x402 `payment-identifier`: the
 * buyer's own idempotent retry (answered again with the file, no chain work).
 */
export type PaidResult = { vend: PaidSample[]; reference: PaidSample[]; floor: PaidSample[]; receipt: string; retry: string };

/**
 * Pause before each timed purchase, ms: whatever a path does after its answer (Vend records the
 * receipt and may refresh its fee cache once the buyer has the file) ends before the next path's
 * clock starts, so no path is timed while another's work is still running on these few cores.
 */
const PAUSE_MS = 250;
const pause = () => new Promise((r) => setTimeout(r, PAUSE_MS));

/** The floor path: prepared for `count` purchases (untimed), then run `i` = 0, 1, … in order. */
export type FloorPath = (count: number) => Promise<(i: number) => Promise<PaidSample>>;

/**
 * The in-process floor: the anchor's facilitator's `verify` then `settle` on the anchor's
 * requirements, called in this process (no HTTP), each with a fresh authorization of `account`
 * signed before any timing; its RPC traffic is split between the two (`verifyRpc`).
 */
export function inProcessFloor(opts: { facilitator: LocalFacilitator; account: Account; referenceUrl: string; proxy: RpcProxy }): FloorPath {
  return async (count) => {
    const required = await challenge(opts.referenceUrl);
    const requirements = required.accepts[0]!;
    const payloads = await signAhead(opts.account, required, count);
    return async (i) => {
      const payload = payloads[i]!;
      const before = opts.proxy.snapshot();
      const t0 = performance.now();
      const verified = await opts.facilitator.verify(payload, requirements);
      const verifyMs = since(t0);
      const afterVerify = opts.proxy.snapshot();
      if (!verified.isValid) throw new Error(`floor: verify failed: ${verified.invalidReason} ${verified.invalidMessage ?? ""}`);
      const settled = await opts.facilitator.settle(payload, requirements);
      const ms = since(t0);
      if (!settled.success) throw new Error(`floor: settle failed: ${settled.errorReason}`);
      return {
        ms,
        rpc: diffTally(before, opts.proxy.snapshot()),
        verifyRpc: diffTally(before, afterVerify),
        spans: { verify: verifyMs, settle: ms - verifyMs },
      };
    };
  };
}

/** Sums a `Server-Timing` header per metric name (`db` appears once per query group). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const spans: Record<string, number> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /^\s*([\w-]+)\s*;.*?dur=([\d.]+)/.exec(part);
    if (m) spans[m[1]!] = (spans[m[1]!] ?? 0) + Number(m[2]);
  }
  return spans;
}

/** The 402 challenge of `url`, decoded. */
export async function challenge(url: string): Promise<PaymentRequired> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  await res.arrayBuffer();
  const header = res.headers.get("payment-required");
  if (res.status !== 402 || !header) throw new Error(`${url}: expected a 402 with PAYMENT-REQUIRED, got ${res.status}`);
  return decodePaymentRequiredHeader(header);
}

/**
 * `count` payment payloads for `required`, each a fresh EIP-3009 authorization of `account`; with
 * `paymentIdentifier`, the x402 `payment-identifier` extension the server declared carries it.
 */
export async function signAhead(account: Account, required: PaymentRequired, count: number, paymentIdentifier?: string): Promise<PaymentPayload[]> {
  const req0 = required.accepts[0]!;
  const client = payer(account, req0.network, req0.asset);
  const extensions = structuredClone(required.extensions ?? {});
  if (paymentIdentifier) appendPaymentIdentifierToExtensions(extensions, paymentIdentifier);
  const out: PaymentPayload[] = [];
  for (let i = 0; i < count; i++) out.push(await client.createPaymentPayload({ ...required, extensions }));
  return out;
}

/**
 * One purchase: `GET url` with `payload` as `PAYMENT-SIGNATURE`, timed to the full answer, with the
 * JSON-RPC traffic during it.
 * @throws Error unless it is a 200 with a successful `PAYMENT-RESPONSE` and the 1 KiB object.
 */
export async function paidGet(url: string, payload: PaymentPayload, proxy: RpcProxy) {
  const before = proxy.snapshot();
  const t0 = performance.now();
  const res = await fetch(url, { headers: { accept: "application/json", "PAYMENT-SIGNATURE": encodePaymentSignatureHeader(payload) } });
  const body = new Uint8Array(await res.arrayBuffer());
  const ms = since(t0);
  const rpc = diffTally(before, proxy.snapshot());
  const settlement = res.headers.get("payment-response");
  if (res.status !== 200 || !settlement || !decodePaymentResponseHeader(settlement).success || body.length !== 1024) {
    throw new Error(`${url}: paid request failed: ${res.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
  }
  return { ms, rpc, res };
}

/**
 * Paid request latency, `purchases` sequential purchases per path (after `warmup` unrecorded ones),
 * each with a fresh EIP-3009 authorization signed before any timing:
 * - **vend**: `GET /l/{slug}` with `PAYMENT-SIGNATURE` → 200 + the 1 KiB object (Server-Timing kept);
 *   the first (warm-up) payload also carries a `payment-identifier`, for the idempotent-retry figure;
 * - **reference**: the anchor's `GET /resource` (the `@x402/express` anchor, same kind of facilitator) → 200 + 1 KiB;
 * - **floor**: `floor` (see {@link FloorPath}).
 * The three paths are interleaved purchase by purchase, each paid by its own Hardhat account, and
 * each purchase starts 250 ms after the previous answer (see {@link PAUSE_MS}).
 * @throws Error on any failed purchase (a benchmark of errors would be meaningless).
 */
export async function measurePaid(opts: {
  linkUrl: string;
  referenceUrl: string;
  proxy: RpcProxy;
  floor: FloorPath;
  payers: { vend: Account; reference: Account };
  purchases: number;
  warmup: number;
}): Promise<PaidResult> {
  const total = opts.purchases + opts.warmup;
  const vendRequired = await challenge(opts.linkUrl);
  const referenceRequired = await challenge(opts.referenceUrl);
  const [retryPayload, vendPayloads, referencePayloads, floor] = await Promise.all([
    signAhead(opts.payers.vend, vendRequired, 1, `bench-retry-${randomUUID()}`),
    signAhead(opts.payers.vend, vendRequired, total - 1),
    signAhead(opts.payers.reference, referenceRequired, total),
    opts.floor(total),
  ]);
  vendPayloads.unshift(retryPayload[0]!);

  const result: PaidResult = { vend: [], reference: [], floor: [], receipt: "", retry: encodePaymentSignatureHeader(retryPayload[0]!) };
  for (let i = 0; i < total; i++) {
    const keep = i >= opts.warmup;

    await pause();
    const vend = await paidGet(opts.linkUrl, vendPayloads[i]!, opts.proxy);
    result.receipt = vend.res.headers.get("x-vend-receipt") ?? result.receipt;
    if (keep) result.vend.push({ ms: vend.ms, rpc: vend.rpc, spans: parseServerTiming(vend.res.headers.get("server-timing")) });

    await pause();
    const reference = await paidGet(opts.referenceUrl, referencePayloads[i]!, opts.proxy);
    if (keep) result.reference.push({ ms: reference.ms, rpc: reference.rpc });

    await pause();
    const sample = await floor(i);
    if (keep) result.floor.push(sample);
  }
  if (!result.receipt) throw new Error("the gate returned no X-Vend-Receipt");
  return result;
}

/** The buyer's idempotent retry, timed; see {@link measureRetry}. */
export type RetryResult = { samples: PaidSample[]; failure?: string };

/**
 * The buyer's idempotent retry over `count` sequential requests: `GET url` with `header`, the
 * `PAYMENT-SIGNATURE` of a settled purchase that carries its x402 `payment-identifier`, answered
 * with the 1 KiB object and the same settlement. `ms` is the time to the full answer; `rpc` is the
 * JSON-RPC traffic it caused, counted after a pause (work the server goes on with after answering
 * included). A build that answers anything else (one without payment-identifier) is reported as a
 * `failure` (status and code) after the first such answer, with no samples.
 */
export async function measureRetry(url: string, header: string, proxy: RpcProxy, count: number): Promise<RetryResult> {
  const samples: PaidSample[] = [];
  for (let i = 0; i < count; i++) {
    await pause();
    const before = proxy.snapshot();
    const t0 = performance.now();
    const res = await fetch(url, { headers: { accept: "application/json", "PAYMENT-SIGNATURE": header } });
    const body = new Uint8Array(await res.arrayBuffer());
    const ms = since(t0);
    const settlement = res.headers.get("payment-response");
    if (res.status !== 200 || !settlement || !decodePaymentResponseHeader(settlement).success || body.length !== 1024) {
      let code = "";
      try {
        const parsed = JSON.parse(new TextDecoder().decode(body)) as { error?: string | { code?: string } };
        code = (typeof parsed.error === "string" ? parsed.error : parsed.error?.code) ?? "";
      } catch {
        // Not JSON: the status alone.
      }
      return { samples: [], failure: `${res.status}${code ? ` ${code}` : ""}` };
    }
    await pause();
    samples.push({ ms, rpc: diffTally(before, proxy.snapshot()) });
  }
  return { samples };
}

