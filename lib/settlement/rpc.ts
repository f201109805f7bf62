import { custom } from "viem";
import { getHttpRpcClient } from "viem/utils";
import { currentContext } from "@/lib/settlement/context";

/**
 * The facilitator's JSON-RPC transport to one chain: viem's HTTP RPC client underneath, with what
 * settlement needs on top — it marks the current purchase's context when a call
 * fails for a reason other than the chain's answer (so a failed `eth_getCode` that x402 swallows
 * into "invalid signature" is seen as "the chain could not be asked"), and it tells exactly what a
 * failed `eth_sendRawTransaction` means. Pure: no server-only import, so the bench floor shares it.
 */

/** A JSON-RPC error object answered by the node. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(error: { code: number; message: string; data?: unknown }) {
    super(error.message);
    this.name = "RpcError";
    this.code = error.code;
    this.data = error.data;
  }
}

/**
 * What a failed `eth_sendRawTransaction` tells:
 * - `accepted`: the node has it already ("already known");
 * - `nonce_too_low`: its nonce was used (by it, or by another transaction); `expected` when said;
 * - `nonce_too_high`: a lower nonce is missing (a chain that cannot queue, e.g. Hardhat automine);
 * - `underpriced`: its fee is below what the node takes now;
 * - `rejected`: refused for good (insufficient funds, gas, chain id…), not broadcast by this node;
 * - `unreachable`: the request never reached the node (connection refused, no such host);
 * - `ambiguous`: the node may have it (a lost or late reply, an HTTP error from a gateway, an
 *   error after execution such as Hardhat's "reverted").
 */
export type SendFailure =
  | { kind: "accepted" }
  | { kind: "nonce_too_low"; expected?: bigint; message: string }
  | { kind: "nonce_too_high"; message: string }
  | { kind: "underpriced"; message: string }
  | { kind: "rejected"; message: string }
  | { kind: "unreachable"; message: string }
  | { kind: "ambiguous"; message: string };

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);

function causeCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when an error means the request certainly never reached the node. */
function isUnreachable(error: unknown): boolean {
  const code = causeCode(error);
  return code !== undefined && UNREACHABLE_CODES.has(code);
}

/** True when a JSON-RPC error is the chain's answer to an execution (a revert), not a failure. */
export function isExecutionAnswer(error: unknown): boolean {
  if (!(error instanceof RpcError)) return false;
  return error.code === 3 || /revert|VM Exception|invalid opcode|out of gas|execution/i.test(error.message);
}

/** Classifies a failed `eth_sendRawTransaction` (see {@link SendFailure}). */
export function classifySendError(error: unknown): SendFailure {
  if (!(error instanceof RpcError)) {
    const message = error instanceof Error ? error.message : String(error);
    return isUnreachable(error) ? { kind: "unreachable", message } : { kind: "ambiguous", message };
  }
  const message = error.message;
  if (/already known|known transaction|already imported|AlreadyKnown|transaction already exists/i.test(message)) {
    return { kind: "accepted" };
  }
  if (/nonce too low|nonce has already been used|OldNonce|nonce.*lower than/i.test(message)) {
    const expected = /expected nonce to be (\d+)|next nonce (\d+)|state: (\d+)/i.exec(message);
    const value = expected?.slice(1).find((v) => v !== undefined);
    return { kind: "nonce_too_low", message, ...(value ? { expected: BigInt(value) } : {}) };
  }
  if (/nonce too high|can't be queued/i.test(message)) return { kind: "nonce_too_high", message };
  if (/underpriced|fee cap .*(less|lower) than|less than block base fee|too low for the next block|fee too low|feecap too low/i.test(message)) {
    return { kind: "underpriced", message };
  }
  if (
    /insufficient funds|intrinsic gas|requires at least \d+ gas|exceeds block gas limit|invalid sender|invalid signature|invalid chain ?id|chain ?id mismatch|type not supported|oversized data|gas limit reached/i.test(
      message,
    )
  ) {
    return { kind: "rejected", message };
  }
  return { kind: "ambiguous", message };
}

/** One chain's JSON-RPC endpoint; see the module comment. */
export type Rpc = {
  url: string;
  /** Sends one call; throws {@link RpcError} for a JSON-RPC error, viem's HTTP errors otherwise. */
  request<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Several calls in one HTTP request (JSON-RPC batch); each entry is a result or an RpcError. */
  batch(calls: { method: string; params?: unknown[] }[]): Promise<(unknown | RpcError)[]>;
  /** An EIP-1193 viem transport over {@link Rpc.request}, for viem's public actions. */
  transport: ReturnType<typeof custom>;
};

/**
 * Creates the transport for `url`. A call times out after 10 s on a real network (viem's default)
 * and 30 s on the local chain (one Hardhat process answers 64 concurrent buyers one call at a time). Reads are retried by viem (`retryCount`, real networks only); a raw send is
 * never retried here (the settlement pipeline decides, see lib/settlement/pipeline.ts).
 */
export function createRpc(url: string, opts: { local: boolean }): Rpc {
  const client = getHttpRpcClient(url, { timeout: opts.local ? 30_000 : 10_000 });

  function failed(method: string, error: unknown): void {
    const ctx = currentContext();
    if (!ctx) return;
    if (method === "eth_sendRawTransaction") return;
    if (isExecutionAnswer(error)) return;
    ctx.rpcFailed = true;
  }

  async function request<T>(method: string, params: unknown[] = []): Promise<T> {
    let response;
    try {
      response = await client.request({ body: { method, params } });
    } catch (error) {
      failed(method, error);
      throw error;
    }
    if (response.error) {
      const error = new RpcError(response.error as { code: number; message: string; data?: unknown });
      failed(method, error);
      throw error;
    }
    return response.result as T;
  }

  async function batch(calls: { method: string; params?: unknown[] }[]): Promise<(unknown | RpcError)[]> {
    const body = calls.map((c, i) => ({ id: i + 1, method: c.method, params: c.params ?? [] }));
    let responses;
    try {
      responses = await client.request({ body });
    } catch (error) {
      for (const c of calls) failed(c.method, error);
      throw error;
    }
    const byId = new Map(responses.map((r) => [Number(r.id), r]));
    return body.map((b) => {
      const r = byId.get(b.id);
      if (!r) return new RpcError({ code: -32603, message: "missing batch response" });
      if (r.error) return new RpcError(r.error as { code: number; message: string; data?: unknown });
      return r.result;
    });
  }

  const transport = custom(
    {
      async request({ method, params }: { method: string; params?: unknown }) {
        return request(method, (params as unknown[] | undefined) ?? []);
      },
    },
    { retryCount: opts.local ? 0 : 2, retryDelay: 200 },
  );
  return { url, request, batch, transport };
}
