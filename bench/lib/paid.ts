import { decodePaymentRequiredHeader, decodePaymentResponseHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequired } from "@x402/core/types";
import { payer, type Account } from "../../scripts/lib/agent";
import type { LocalFacilitator } from "./facilitator";
import { diffTally, type RpcProxy, type RpcTally } from "./rpc-proxy";
import { since } from "./stats";

/**
 * One timed purchase: wall time (ms), the JSON-RPC traffic it caused, and spans — Vend's
 * Server-Timing for the gate; `verify` / `settle` timed in process for the floor, whose RPC
 * traffic is also split between the two (`verifyRpc`).
 */
export type PaidSample = { ms: number; rpc: RpcTally; spans?: Record<string, number>; verifyRpc?: RpcTally };

/**
 * Samples per path, in the order taken; `receipt` is a Vend receipt and `replay` the
 * `PAYMENT-SIGNATURE` of a settled Vend purchase, for the replay/receipt figures.
 */
export type PaidResult = { vend: PaidSample[]; reference: PaidSample[]; floor: PaidSample[]; receipt: string; replay: string };

/** Sums a `Server-Timing` header per metric name (`db` appears once per query group). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const spans: Record<string, number> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /^\s*([\w-]+)\s*;.*?dur=([\d.]+)/.exec(part);
    if (m) spans[m[1]!] = (spans[m[1]!] ?? 0) + Number(m[2]);
  }
  return spans;
}

async function challenge(url: string): Promise<PaymentRequired> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  await res.arrayBuffer();
  const header = res.headers.get("payment-required");
  if (res.status !== 402 || !header) throw new Error(`${url}: expected a 402 with PAYMENT-REQUIRED, got ${res.status}`);
  return decodePaymentRequiredHeader(header);
}

async function signAhead(account: Account, required: PaymentRequired, count: number): Promise<PaymentPayload[]> {
  const req0 = required.accepts[0]!;
  const client = payer(account, req0.network, req0.asset);
  const out: PaymentPayload[] = [];
  for (let i = 0; i < count; i++) out.push(await client.createPaymentPayload(required));
  return out;
}

async function paidGet(url: string, payload: PaymentPayload, proxy: RpcProxy) {
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
 * Paid request latency on the local chain, `purchases` sequential purchases per path (after
 * `warmup` unrecorded ones), each with a fresh EIP-3009 authorization signed before any timing:
 * - **vend**: `GET /l/{slug}` with `PAYMENT-SIGNATURE` → 200 + the 1 KiB object (Server-Timing kept);
 * - **reference**: the anchor's `GET /resource` (the `@x402/express` anchor, same kind of facilitator) → 200 + 1 KiB;
 * - **floor**: the same facilitator's `verify` then `settle`, called in this process (no HTTP), on
 *   the reference's requirements.
 * The three paths are interleaved purchase by purchase, each paid by its own Hardhat account.
 * @throws Error on any failed purchase (a benchmark of errors would be meaningless).
 */
export async function measurePaid(opts: {
  linkUrl: string;
  referenceUrl: string;
  proxy: RpcProxy;
  facilitator: LocalFacilitator;
  payers: { vend: Account; reference: Account; floor: Account };
  purchases: number;
  warmup: number;
}): Promise<PaidResult> {
  const total = opts.purchases + opts.warmup;
  const vendRequired = await challenge(opts.linkUrl);
  const referenceRequired = await challenge(opts.referenceUrl);
  const requirements = referenceRequired.accepts[0]!;
  const [vendPayloads, referencePayloads, floorPayloads] = await Promise.all([
    signAhead(opts.payers.vend, vendRequired, total),
    signAhead(opts.payers.reference, referenceRequired, total),
    signAhead(opts.payers.floor, referenceRequired, total),
  ]);

  const result: PaidResult = { vend: [], reference: [], floor: [], receipt: "", replay: encodePaymentSignatureHeader(vendPayloads[0]!) };
  for (let i = 0; i < total; i++) {
    const keep = i >= opts.warmup;

    const vend = await paidGet(opts.linkUrl, vendPayloads[i]!, opts.proxy);
    result.receipt = vend.res.headers.get("x-vend-receipt") ?? result.receipt;
    if (keep) result.vend.push({ ms: vend.ms, rpc: vend.rpc, spans: parseServerTiming(vend.res.headers.get("server-timing")) });

    const reference = await paidGet(opts.referenceUrl, referencePayloads[i]!, opts.proxy);
    if (keep) result.reference.push({ ms: reference.ms, rpc: reference.rpc });

    const payload = floorPayloads[i]!;
    const before = opts.proxy.snapshot();
    const t0 = performance.now();
    const verified = await opts.facilitator.verify(payload, requirements);
    const verifyMs = since(t0);
    const afterVerify = opts.proxy.snapshot();
    if (!verified.isValid) throw new Error(`floor: verify failed: ${verified.invalidReason} ${verified.invalidMessage ?? ""}`);
    const settled = await opts.facilitator.settle(payload, requirements);
    const ms = since(t0);
    if (!settled.success) throw new Error(`floor: settle failed: ${settled.errorReason}`);
    if (keep) {
      result.floor.push({
        ms,
        rpc: diffTally(before, opts.proxy.snapshot()),
        verifyRpc: diffTally(before, afterVerify),
        spans: { verify: verifyMs, settle: ms - verifyMs },
      });
    }
  }
  if (!result.receipt) throw new Error("the gate returned no X-Vend-Receipt");
  return result;
}
