import { AsyncLocalStorage } from "node:async_hooks";
import type { Hex } from "viem";

/**
 * What one purchase's verify and settle learned from the chain and did to it, carried through
 * `@x402/evm`'s facilitator calls with AsyncLocalStorage (the facilitator's signer, transport and
 * settlement pipeline read and write it). Pure: no server-only import, so the bench floor shares it.
 */
export type Submission = {
  hash: Hex;
  nonce: bigint;
  kind: "transfer" | "deploy" | "filler";
  /**
   * What is known of its broadcast: `sending` until a send answered; `accepted` by a node (or
   * mined); `maybe` after an ambiguous send (a lost reply, a timeout); `refused` when it is certain
   * it was never broadcast and never will be (abandoned in the ledger); `replaced` when its nonce
   * went to another transaction before it could be mined (a new one was signed for the same call).
   */
  delivery: "sending" | "accepted" | "maybe" | "refused" | "replaced";
  /** The receipt's status, once one was seen. */
  receipt?: "success" | "reverted";
  /** Why it was refused (a node's answer or the transport error). */
  reason?: string;
};

export type SettlementContext = {
  /** Reads answered once per purchase (payer code), keyed by method and arguments. */
  reads: Map<string, Promise<unknown>>;
  /** `${payer}:${nonce}` of EIP-3009 transfers whose on-chain simulation succeeded in this purchase. */
  simulated: Set<string>;
  /** A JSON-RPC call failed for a reason other than the chain's answer (transport, node error). */
  rpcFailed: boolean;
  /** Our own signer failed before broadcasting anything (the ledger could not be written). */
  signerFailed: boolean;
  /** The payment whose settlement this is; transactions signed inside are recorded against it. */
  paymentId?: string;
  /** Transactions signed for this purchase, in order. */
  submissions: Submission[];
};

type Holder = { als?: AsyncLocalStorage<SettlementContext>; open?: Map<string, { ctx: SettlementContext; at: number }> };
// One store per process, whichever bundle (route handler, instrumentation) loaded this module.
const holder = globalThis as typeof globalThis & { __vendSettlementContext?: Holder };
holder.__vendSettlementContext ??= {};
const h = holder.__vendSettlementContext;
h.als ??= new AsyncLocalStorage<SettlementContext>();
h.open ??= new Map();
const als = h.als;
const open = h.open;

/** How long a purchase's context waits between its verify and its settle. */
const OPEN_MS = 120_000;
const MAX_OPEN = 10_000;

export function newContext(): SettlementContext {
  return { reads: new Map(), simulated: new Set(), rpcFailed: false, signerFailed: false, submissions: [] };
}

/** The context of the purchase running now, if any. */
export function currentContext(): SettlementContext | undefined {
  return als.getStore();
}

/** Runs `fn` inside `ctx`. */
export function withContext<T>(ctx: SettlementContext, fn: () => Promise<T>): Promise<T> {
  return als.run(ctx, fn);
}

/** Runs `fn` outside any purchase context (background work must not be charged to a purchase). */
export function detached<T>(fn: () => T): T {
  return als.exit(fn);
}

/**
 * The context of one authorization (`key`, see {@link authorizationContextKey}): the one its verify
 * opened, if it is still open, or a new one. `keep` leaves it open for the settle that follows;
 * without it, the context is closed (taken).
 */
export function contextFor(key: string, opts: { keep: boolean }): SettlementContext {
  const now = Date.now();
  const found = open.get(key);
  if (found && now - found.at < OPEN_MS) {
    if (!opts.keep) open.delete(key);
    return found.ctx;
  }
  const ctx = newContext();
  if (opts.keep) {
    if (open.size >= MAX_OPEN) {
      for (const [k, v] of open) if (now - v.at >= OPEN_MS || open.size >= MAX_OPEN) open.delete(k);
    }
    open.set(key, { ctx, at: now });
  }
  return ctx;
}

/**
 * The key of one authorization's purchase context: network, payer and nonce of an EIP-3009
 * payload (x402 `exact` scheme), or its signature for any other payload.
 */
export function authorizationContextKey(payload: { payload: Record<string, unknown> }, requirements: { network: string }): string {
  const inner = payload.payload as { authorization?: { from?: string; nonce?: string }; signature?: string };
  const auth = inner.authorization;
  if (auth?.from && auth.nonce) return `${requirements.network}:${auth.from.toLowerCase()}:${auth.nonce.toLowerCase()}`;
  return `${requirements.network}:${String(inner.signature)}`;
}
