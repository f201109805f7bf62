import type { Address, Hex } from "viem";

/** A settlement key on one chain: the account that signs settlements, and the chain it signs for. */
export type KeyId = { chainId: number; address: Address };

/** A signed settlement transaction as the ledger keeps it (see the SettlementTransaction model). */
export type LedgerTx = {
  hash: Hex;
  chainId: number;
  address: Address;
  nonce: bigint;
  kind: "transfer" | "deploy" | "filler";
  paymentId: string | null;
  raw: Hex;
  status: "pending" | "abandoned" | "mined" | "dropped";
  broadcastAt: Date | null;
  fromBlock: bigint;
  success: boolean | null;
  createdAt: Date;
};

/**
 * Where settlement keys' nonces are taken and their signed transactions recorded before broadcast:
 * PostgreSQL for the app (lib/settlement/ledger.ts, shared by every instance), memory for the
 * bench floor (lib/settlement/memory-ledger.ts). Every method is atomic on its own.
 */
export interface SettlementLedger {
  /** Raises the key's next nonce to at least `nonce`, creating the counter if needed. */
  syncNonce(key: KeyId, nonce: bigint): Promise<void>;
  /** Takes the key's next nonce (one atomic increment); undefined when the key has no counter. */
  takeNonce(key: KeyId): Promise<bigint | undefined>;
  /** Gives `nonce` back if it is still the last one taken; true when it was given back. */
  giveBackNonce(key: KeyId, nonce: bigint): Promise<boolean>;
  /**
   * Records a signed transaction, `pending`, before anything broadcasts it. The same transaction
   * signed again (same call, nonce and fees: same hash) makes an abandoned record live again.
   */
  record(tx: Omit<LedgerTx, "status" | "broadcastAt" | "success" | "createdAt">): Promise<void>;
  /** Notes that a send of `hash` may have reached a node: it can no longer be abandoned. */
  markBroadcast(hash: Hex): Promise<void>;
  /**
   * `pending` and never possibly broadcast → `abandoned` (compare-and-set against {@link claim}).
   * True when it is now abandoned: nobody will ever broadcast it.
   */
  abandon(hash: Hex): Promise<boolean>;
  /** A `pending` transaction claimed for a (re)broadcast by anyone; false when no longer pending. */
  claim(hash: Hex): Promise<boolean>;
  /** Its receipt was seen. */
  mined(hash: Hex, success: boolean, blockNumber: bigint): Promise<void>;
  /** Its nonce went to another transaction: it can never be mined. */
  dropped(hash: Hex): Promise<void>;
  /** The key's transactions with a nonce in [from, to), by nonce. */
  between(key: KeyId, from: bigint, to: bigint): Promise<LedgerTx[]>;
  /** The key's `pending` transactions created before `before`, by nonce (at most `limit`). */
  live(key: KeyId, before: Date, limit: number): Promise<LedgerTx[]>;
  /** Every transaction signed for a payment, oldest first. */
  ofPayment(paymentId: string): Promise<LedgerTx[]>;
}
