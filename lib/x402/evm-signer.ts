import { toFacilitatorEvmSigner } from "@x402/evm";
import {
  concat,
  createPublicClient,
  decodeFunctionResult,
  defineChain,
  encodeFunctionData,
  getAddress,
  parseAbi,
  parseSignature,
  type Abi,
  type Address,
  type Hex,
  type LocalAccount,
} from "viem";
import { currentContext, detached, type SettlementContext } from "@/lib/settlement/context";
import { FeeCache } from "@/lib/settlement/fees";
import type { SettlementLedger } from "@/lib/settlement/ledger-types";
import { SettlementPipeline, pipelineFor, type SettlementCall } from "@/lib/settlement/pipeline";
import { createRpc, isExecutionAnswer, RpcError, type Rpc } from "@/lib/settlement/rpc";

/** Options of {@link facilitatorEvmSigner}. */
export type FacilitatorSignerOptions = {
  account: LocalAccount;
  chainId: number;
  name: string;
  rpcUrl: string;
  /** The embedded Hardhat chain: it mines each transaction as it arrives and cannot queue nonces. */
  local: boolean;
  /** Where nonces are taken and signed transactions recorded (PostgreSQL for the app). */
  ledger: SettlementLedger;
  /** Name of the ledger, so that one process keeps one pipeline per (chain, key, ledger). */
  ledgerName: string;
  /** How long a settlement waits for its receipt before it is reported pending, ms. */
  confirmTimeoutMs: number;
};

/** An EIP-3009 `exact` payment as verify reads it (x402 `payload.payload`). */
export type Eip3009Payment = {
  authorization: { from: string; to: string; value: string; validAfter: string; validBefore: string; nonce: string };
  signature: string;
};

/** The facilitator signer, with the parts settlement and reconciliation also use. */
export type VendFacilitatorSigner = ReturnType<typeof toFacilitatorEvmSigner> & {
  rpc: Rpc;
  pipeline: SettlementPipeline;
  /**
   * Asks the chain, in ONE round trip (a JSON-RPC batch), the two things `@x402/evm`'s exact
   * verify is about to ask one after the other — the payer's code, then the simulation of its
   * `transferWithAuthorization` — and leaves both answers in the current purchase's context, where
   * verify finds them. Call it inside the purchase's context, right before verify. See the module
   * comment for what it changes and what it does not.
   */
  prefetchVerification(payment: Eip3009Payment, asset: string): void;
};

/** The v, r, s overload `@x402/evm` simulates an EOA-length (65-byte) signature with. */
const TRANSFER_WITH_AUTHORIZATION_VRS = parseAbi([
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
]);

/** Key of a prefetched `eth_call` in a purchase context: target and calldata. */
const callKey = (to: string, data: Hex) => `call:${to.toLowerCase()}:${data.toLowerCase()}`;

/**
 * The facilitator's EVM signer for one network, as `@x402/evm`'s `ExactEvmScheme` calls it
 * (`toFacilitatorEvmSigner` over our own reads and writes), shared by the app's in-process
 * facilitator and the bench floor. Pure: it reads no environment.
 *
 * Round trips, for an EOA payer, after the first purchase of a process: verify reads the payer's
 * code once (x402 asks twice, and again in settle: the purchase's context answers) and simulates
 * the transfer (`eth_call`); settle sends (`eth_sendRawTransaction`, nonce from the ledger, fees from
 * {@link FeeCache}, a known gas limit) and reads the receipt once a block has it
 * (`eth_getTransactionReceipt`): four calls. The shortcuts keep the same safety:
 * - the asset's code is cached by x402 itself; the payer's only within one purchase;
 * - the gas limit is known only for an EOA payer whose transfer this purchase just simulated
 *   successfully: twice the largest `eth_estimateGas` seen for that token from an EOA payer (gas
 *   not used is not paid; a transfer that runs out of it makes the next ones estimate again); any
 *   other payer (ERC-1271, ERC-6492) or call is estimated;
 * - a failed RPC call is never cached and marks the purchase's context (see lib/settlement/rpc.ts).
 *
 * {@link VendFacilitatorSigner.prefetchVerification} folds verify's two reads into one round trip
 * (three per EOA purchase instead of four; still four calls): x402 asks the payer's code before it
 * simulates, so on a real network the simulation waited a whole round trip for an answer it does
 * not need (the simulation is the same call whatever the code). x402 still makes every decision
 * from the same answers: the code is the payer's, read within this purchase; the simulation is
 * used only for exactly the call x402 makes (same target, same calldata: the v, r, s overload for a
 * 65-byte signature) and only once; a revert is kept (it is the chain's answer); a node error in
 * either, or a failed batch, is not: those reads are made again inside the purchase, as without
 * the prefetch (so a failure marks the purchase and verify answers `unavailable`, never "invalid").
 */
export function facilitatorEvmSigner(opts: FacilitatorSignerOptions): VendFacilitatorSigner {
  const address = getAddress(opts.account.address);
  const chain = defineChain({
    id: opts.chainId,
    name: opts.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const rpc = createRpc(opts.rpcUrl, { local: opts.local });
  const client = createPublicClient({ chain, transport: rpc.transport });
  const pipeline = pipelineFor(`${opts.chainId}:${address}:${opts.rpcUrl}:${opts.ledgerName}`, () =>
    new SettlementPipeline({
      key: { chainId: opts.chainId, address },
      account: opts.account,
      rpc,
      ledger: opts.ledger,
      fees: new FeeCache(client, opts.local ? 30_000 : 12_000),
      serial: opts.local,
      pollMs: opts.local ? 25 : 500,
    }),
  );
  /** Largest `eth_estimateGas` seen per token for an EOA payer's `transferWithAuthorization`. */
  const estimated = new Map<string, bigint>();
  /** Transactions sent with a known (not estimated) gas limit, until their receipt is seen. */
  const knownGas = new Map<Hex, { token: string; gas: bigint }>();

  /** Reads once per purchase (dropped again when the read fails, so a failure is never reused). */
  function once<T>(ctx: SettlementContext | undefined, key: string, read: () => Promise<T>): Promise<T> {
    if (!ctx) return read();
    const found = ctx.reads.get(key) as Promise<T> | undefined;
    if (found) return found;
    const promise = read();
    ctx.reads.set(key, promise);
    promise.catch(() => ctx.reads.delete(key));
    return promise;
  }

  const getCode = (args: { address: Address }) =>
    once(currentContext(), `code:${args.address.toLowerCase()}`, () => client.getCode({ address: args.address }));

  function prefetchVerification(payment: Eip3009Payment, asset: string): void {
    const ctx = currentContext();
    const sig = payment.signature as Hex;
    if (!ctx || !/^0x[0-9a-fA-F]{130}$/.test(sig) || !/^0x[0-9a-fA-F]{40}$/.test(payment.authorization.from)) return;
    const payer = getAddress(payment.authorization.from);
    const codeKey = `code:${payer.toLowerCase()}`;
    if (ctx.reads.has(codeKey)) return;
    const a = payment.authorization;
    let data: Hex;
    let to: Address;
    try {
      const parsed = parseSignature(sig);
      data = encodeFunctionData({
        abi: TRANSFER_WITH_AUTHORIZATION_VRS,
        functionName: "transferWithAuthorization",
        args: [payer, getAddress(a.to), BigInt(a.value), BigInt(a.validAfter), BigInt(a.validBefore), a.nonce as Hex, Number(parsed.v ?? parsed.yParity), parsed.r, parsed.s],
      });
      to = getAddress(asset);
    } catch {
      return; // Not a well-formed EIP-3009 payment: verify refuses it on its own.
    }
    // Advisory: the batch runs outside the purchase's context, so that its failure marks nothing;
    // whatever it cannot answer is read again by the purchase itself, as without it.
    const answers = detached(() =>
      rpc.batch([
        { method: "eth_getCode", params: [payer, "latest"] },
        { method: "eth_call", params: [{ to, data }, "latest"] },
      ]),
    );
    const fresh = () => client.getCode({ address: payer });
    const code = answers.then(
      ([value]) => (value instanceof RpcError ? fresh() : value === "0x" ? undefined : (value as Hex)),
      fresh,
    );
    ctx.reads.set(codeKey, code);
    code.catch(() => {
      if (ctx.reads.get(codeKey) === code) ctx.reads.delete(codeKey);
    });
    const simulation = answers.then(
      ([, value]) => (value instanceof RpcError && !isExecutionAnswer(value) ? undefined : value),
      () => undefined,
    );
    ctx.reads.set(callKey(to, data), simulation);
  }

  /** The prefetched answer of exactly this call, taken (used once), or undefined. */
  async function prefetchedCall(args: { address: Address; abi: unknown; functionName: string; args?: readonly unknown[] }): Promise<{ result: unknown } | undefined> {
    const ctx = currentContext();
    if (!ctx || args.functionName !== "transferWithAuthorization") return undefined;
    const data = encodeFunctionData({ abi: args.abi as Abi, functionName: args.functionName, args: (args.args ?? []) as unknown[] });
    const key = callKey(args.address, data);
    const found = ctx.reads.get(key) as Promise<unknown> | undefined;
    if (!found) return undefined;
    ctx.reads.delete(key);
    let value: unknown;
    try {
      value = await found;
    } catch {
      return undefined;
    }
    if (value === undefined) return undefined;
    if (value instanceof RpcError) throw value;
    return { result: decodeFunctionResult({ abi: args.abi as Abi, functionName: args.functionName, data: value as Hex }) };
  }

  async function gasFor(to: Address, data: Hex, eoaTransfer?: { token: string }): Promise<{ gas: bigint; known: boolean }> {
    const known = eoaTransfer && estimated.get(eoaTransfer.token);
    if (known) return { gas: known * 2n, known: true };
    const gas = await client.estimateGas({ account: address, to, data });
    if (!eoaTransfer) return { gas: (gas * 13n) / 10n, known: false };
    if (gas > (estimated.get(eoaTransfer.token) ?? 0n)) estimated.set(eoaTransfer.token, gas);
    return { gas: gas * 2n, known: false };
  }

  /** True when `payer` is an EOA whose transfer with `nonce` this purchase simulated successfully. */
  async function provenEoaTransfer(ctx: SettlementContext | undefined, payer: string, nonce: string): Promise<boolean> {
    if (!ctx?.simulated.has(`${payer.toLowerCase()}:${nonce.toLowerCase()}`)) return false;
    const code = ctx.reads.get(`code:${payer.toLowerCase()}`) as Promise<Hex | undefined> | undefined;
    if (!code) return false;
    try {
      const value = await code;
      return !value || value === "0x";
    } catch {
      return false;
    }
  }

  async function submit(call: Omit<SettlementCall, "paymentId">): Promise<Hex> {
    const ctx = currentContext();
    let submission;
    try {
      submission = await pipeline.submit({ ...call, paymentId: ctx?.paymentId ?? null }, ctx);
    } catch (error) {
      if (ctx) ctx.signerFailed = true;
      throw error;
    }
    if (submission.delivery === "refused") {
      throw new Error(`settlement transaction refused before broadcast: ${submission.reason ?? "unknown reason"}`);
    }
    return submission.hash;
  }

  const signer = toFacilitatorEvmSigner(
    {
      address,
      getCode,
      async readContract(args) {
        const prefetched = await prefetchedCall(args as never);
        const result = prefetched ? prefetched.result : await client.readContract(args as never);
        if (args.functionName === "transferWithAuthorization" && args.args) {
          const [from, , , , , nonce] = args.args as [string, string, bigint, bigint, bigint, string];
          currentContext()?.simulated.add(`${from.toLowerCase()}:${nonce.toLowerCase()}`);
        }
        return result;
      },
      verifyTypedData: (args) => client.verifyTypedData(args as never),
      async writeContract(args) {
        const data = concat([
          encodeFunctionData({ abi: args.abi as Abi, functionName: args.functionName, args: args.args as unknown[] }),
          ...(args.dataSuffix && args.dataSuffix !== "0x" ? [args.dataSuffix] : []),
        ]);
        let eoaTransfer: { token: string } | undefined;
        if (args.functionName === "transferWithAuthorization") {
          const [from, , , , , nonce] = args.args as [string, string, bigint, bigint, bigint, string];
          if (await provenEoaTransfer(currentContext(), from, nonce)) eoaTransfer = { token: args.address.toLowerCase() };
        }
        const limit = args.gas ? { gas: args.gas, known: false } : await gasFor(args.address, data, eoaTransfer);
        const hash = await submit({ to: args.address, data, gas: limit.gas, kind: "transfer" });
        if (limit.known && eoaTransfer) knownGas.set(hash, { token: eoaTransfer.token, gas: limit.gas });
        return hash;
      },
      async sendTransaction(args) {
        return submit({ to: args.to, data: args.data, gas: (await gasFor(args.to, args.data)).gas, kind: "deploy" });
      },
      async waitForTransactionReceipt(args) {
        const shortcut = knownGas.get(args.hash);
        knownGas.delete(args.hash);
        const receipt = await pipeline.waitForReceipt(args.hash, args.timeout ?? opts.confirmTimeoutMs);
        // Out of gas on a known limit: the shortcut failed, so the next transfers estimate again.
        if (shortcut && receipt.status === "reverted" && receipt.gasUsed * 100n >= shortcut.gas * 95n) estimated.delete(shortcut.token);
        const submission = currentContext()?.submissions.find((s) => s.hash === args.hash);
        if (submission) submission.receipt = receipt.status;
        return receipt;
      },
    },
    { confirmationTimeoutMs: opts.confirmTimeoutMs },
  );
  return Object.assign(signer, { rpc, pipeline, prefetchVerification });
}
