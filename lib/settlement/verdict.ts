import "server-only";
import { eip3009ABI } from "@x402/evm";
import {
  encodeEventTopics,
  isAddressEqual,
  numberToHex,
  parseEventLogs,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { authorizationCanceledEvent, authorizationUsedEvent, transferEvent } from "@/lib/chain";
import type { LedgerTx } from "@/lib/settlement/ledger-types";

/**
 * What the chain says of one payment's EIP-3009 authorization — the only source of a payment's
 * final state (issue "outcomes come from the chain, never from an exception"):
 * - `settled`: `AuthorizationUsed(payer, nonce)` AND, in the same transaction, the token's
 *   `Transfer` of exactly `amount` from the payer to the link's `payTo`;
 * - `cancelled`: `AuthorizationCanceled(payer, nonce)` — the payer cancelled it; never a sale;
 * - `failed`: it can no longer happen: unused and the chain's latest block is at or past
 *   `validBefore` (`authorization_expired_unsettled`), or its nonce was consumed by a transfer that
 *   is not this payment's (`authorization_used_elsewhere`);
 * - `open`: unused and still valid: it may still be settled;
 * - `unknown`: used, but its event was not found in the range searched.
 * `authorizationState == true` alone proves nothing (it is also true after a cancel).
 */
export type ChainVerdict =
  | { kind: "settled"; transaction: Hex }
  | { kind: "cancelled"; transaction: Hex }
  | { kind: "failed"; reason: "authorization_expired_unsettled" | "authorization_used_elsewhere"; transaction?: Hex }
  | { kind: "open" }
  | { kind: "unknown" };

/** The payment's terms, as the verdict needs them. */
export type PaymentTerms = {
  asset: Address;
  payer: Address;
  nonce: Hex;
  amount: bigint;
  payTo: Address;
  validBefore: bigint;
  createdAt: Date;
};

/** Blocks per `eth_getLogs` request (public RPCs cap the range). */
const LOG_CHUNK = 10_000n;

/** True when `logs` hold this payment's own transfer: AuthorizationUsed(payer, nonce) + Transfer(payer → payTo, amount). */
export function logsProvePayment(logs: readonly Log[], t: PaymentTerms): boolean {
  const own = logs.filter((l) => isAddressEqual(l.address, t.asset));
  const events = parseEventLogs({ abi: [authorizationUsedEvent, transferEvent], logs: own });
  const used = events.some(
    (e) => e.eventName === "AuthorizationUsed" && isAddressEqual(e.args.authorizer, t.payer) && e.args.nonce.toLowerCase() === t.nonce.toLowerCase(),
  );
  const transfer = events.some(
    (e) => e.eventName === "Transfer" && isAddressEqual(e.args.from, t.payer) && isAddressEqual(e.args.to, t.payTo) && e.args.value === t.amount,
  );
  return used && transfer;
}

/**
 * Decides a payment from the chain. `ours` are the transactions Vend signed for it (their receipts
 * are read first, and they tell where to search for events); RPC failures throw.
 */
export async function chainVerdict(client: PublicClient, t: PaymentTerms, ours: readonly LedgerTx[]): Promise<ChainVerdict> {
  for (const tx of [...ours].reverse()) {
    if (tx.kind !== "transfer" || tx.status === "abandoned" || tx.status === "dropped") continue;
    const receipt = await client.getTransactionReceipt({ hash: tx.hash }).catch((error: unknown) => {
      if (error instanceof Error && error.name === "TransactionReceiptNotFoundError") return undefined;
      throw error;
    });
    if (receipt?.status === "success" && logsProvePayment(receipt.logs, t)) return { kind: "settled", transaction: tx.hash };
  }

  const head = await client.getBlock({ blockTag: "latest" });
  const used = await client.readContract({
    address: t.asset,
    abi: eip3009ABI,
    functionName: "authorizationState",
    args: [t.payer, t.nonce],
    blockNumber: head.number,
  });
  if (!used) {
    return head.timestamp >= t.validBefore ? { kind: "failed", reason: "authorization_expired_unsettled" } : { kind: "open" };
  }

  const from = ours.length > 0 ? ours.reduce((min, tx) => (tx.fromBlock < min ? tx.fromBlock : min), head.number) : await blockAt(client, t.createdAt, head);
  const log = await findAuthorizationEvent(client, t, from, head.number);
  if (!log) return { kind: "unknown" };
  if (log.eventName === "AuthorizationCanceled") return { kind: "cancelled", transaction: log.transactionHash };
  const receipt: TransactionReceipt = await client.getTransactionReceipt({ hash: log.transactionHash });
  return logsProvePayment(receipt.logs, t)
    ? { kind: "settled", transaction: log.transactionHash }
    : { kind: "failed", reason: "authorization_used_elsewhere", transaction: log.transactionHash };
}

/** The first `AuthorizationUsed` or `AuthorizationCanceled` of (payer, nonce) in [from, to]. */
async function findAuthorizationEvent(client: PublicClient, t: PaymentTerms, from: bigint, to: bigint) {
  const [usedTopic, payerTopic, nonceTopic] = encodeEventTopics({
    abi: [authorizationUsedEvent],
    eventName: "AuthorizationUsed",
    args: { authorizer: t.payer, nonce: t.nonce },
  });
  const [canceledTopic] = encodeEventTopics({ abi: [authorizationCanceledEvent], eventName: "AuthorizationCanceled" });
  for (let start = from; start <= to; start += LOG_CHUNK) {
    const end = start + LOG_CHUNK - 1n < to ? start + LOG_CHUNK - 1n : to;
    const logs = await client.request({
      method: "eth_getLogs",
      params: [{ address: t.asset, topics: [[usedTopic!, canceledTopic!], payerTopic!, nonceTopic!], fromBlock: numberToHex(start), toBlock: numberToHex(end) }],
    });
    const events = parseEventLogs({ abi: [authorizationUsedEvent, authorizationCanceledEvent], logs: logs as never });
    if (events[0]) return events[0];
  }
  return undefined;
}

/**
 * The last block at or before `at` minus ten minutes (a binary search on block timestamps): where
 * the events of a payment with no transaction of ours can start.
 */
async function blockAt(client: PublicClient, at: Date, head: { number: bigint; timestamp: bigint }): Promise<bigint> {
  const target = BigInt(Math.floor(at.getTime() / 1000) - 600);
  if (head.timestamp <= target) return head.number;
  let lo = 0n;
  let hi = head.number;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    const block = await client.getBlock({ blockNumber: mid });
    if (block.timestamp <= target) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}
