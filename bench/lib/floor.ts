import { randomBytes } from "node:crypto";
import { authorizationTypes, eip3009ABI } from "@x402/evm";
import { encodeFunctionData, getAddress, keccak256, parseSignature, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Account } from "../../scripts/lib/agent";
import type { PaidSample } from "./paid";
import { diffTally, type RpcProxy } from "./rpc-proxy";
import { since } from "./stats";

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * The settlement floor: what any x402 server must at least wait for on the chain — one
 * `eth_sendRawTransaction` of a `transferWithAuthorization` and one `eth_getTransactionReceipt`.
 * Everything else is done before the clock starts: `payer` signs `count` EIP-3009 authorizations
 * (domain "USD Coin"/"2", like the bench's link) and the floor's own settlement key (`key`: a key no
 * other sender uses, so that its nonces never collide with the app's or the anchor's) signs one
 * transaction for each, at consecutive nonces, with fees read once and a fixed gas limit.
 * Returns a runner: run `i` sends transaction `i` through `rpcUrl` (the counting proxy) and reads
 * its receipt (again until a block has it), and must be called in order.
 * @throws Error when a transaction does not succeed.
 */
export async function prepareSendFloor(opts: {
  rpcUrl: string;
  proxy: RpcProxy;
  chainId: number;
  asset: Address;
  key: Hex;
  payer: Account;
  payTo: Address;
  amount: bigint;
  count: number;
}): Promise<(i: number) => Promise<PaidSample>> {
  const settler = privateKeyToAccount(opts.key);
  const [nonceHex, block, tipHex] = await Promise.all([
    rpc<Hex>(opts.rpcUrl, "eth_getTransactionCount", [settler.address, "pending"]),
    rpc<{ baseFeePerGas: Hex }>(opts.rpcUrl, "eth_getBlockByNumber", ["latest", false]),
    rpc<Hex>(opts.rpcUrl, "eth_maxPriorityFeePerGas", []),
  ]);
  const tip = BigInt(tipHex);
  const maxFeePerGas = BigInt(block.baseFeePerGas) * 4n + tip;
  const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const raws: Hex[] = [];
  for (let i = 0; i < opts.count; i++) {
    const nonce = toHex(randomBytes(32));
    const authorization = { from: getAddress(opts.payer.address), to: opts.payTo, value: opts.amount, validAfter: 0n, validBefore, nonce };
    const signature = await opts.payer.signTypedData!({
      domain: { name: "USD Coin", version: "2", chainId: opts.chainId, verifyingContract: opts.asset },
      types: authorizationTypes,
      primaryType: "TransferWithAuthorization",
      message: authorization,
    });
    const { r, s, v, yParity } = parseSignature(signature);
    const data = encodeFunctionData({
      abi: eip3009ABI,
      functionName: "transferWithAuthorization",
      args: [authorization.from, authorization.to, authorization.value, 0n, validBefore, nonce, Number(v ?? BigInt(27 + yParity)), r, s],
    });
    raws.push(
      await settler.signTransaction({
        chainId: opts.chainId,
        type: "eip1559",
        nonce: Number(BigInt(nonceHex)) + i,
        to: opts.asset,
        data,
        gas: 200_000n,
        maxFeePerGas,
        maxPriorityFeePerGas: tip,
      }),
    );
  }
  let next = 0;
  return async (i) => {
    if (i !== next++) throw new Error("floor: transactions must be sent in order");
    const raw = raws[i]!;
    const before = opts.proxy.snapshot();
    const t0 = performance.now();
    const hash = await rpc<Hex>(opts.rpcUrl, "eth_sendRawTransaction", [raw]);
    const sentMs = since(t0);
    let receipt: { status: Hex } | null = null;
    while (!(receipt = await rpc<{ status: Hex } | null>(opts.rpcUrl, "eth_getTransactionReceipt", [hash]))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = since(t0);
    if (hash !== keccak256(raw) || receipt.status !== "0x1") throw new Error(`floor: transfer ${hash} failed (status ${receipt.status})`);
    return { ms, rpc: diffTally(before, opts.proxy.snapshot()), spans: { send: sentMs, receipt: ms - sentMs } };
  };
}
