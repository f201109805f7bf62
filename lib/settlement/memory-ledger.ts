import type { Hex } from "viem";
import type { KeyId, LedgerTx, SettlementLedger } from "@/lib/settlement/ledger-types";

/**
 * A {@link SettlementLedger} in this process's memory: for a facilitator that is the only user of
 * its key and need not survive a restart (the bench floor). The app uses PostgreSQL's.
 */
export function memoryLedger(): SettlementLedger {
  const nonces = new Map<string, bigint>();
  const txs = new Map<Hex, LedgerTx>();
  const k = (key: KeyId) => `${key.chainId}:${key.address.toLowerCase()}`;
  const sameKey = (tx: LedgerTx, key: KeyId) => tx.chainId === key.chainId && tx.address.toLowerCase() === key.address.toLowerCase();
  const byNonce = (a: LedgerTx, b: LedgerTx) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0);
  return {
    async syncNonce(key, nonce) {
      const current = nonces.get(k(key));
      if (current === undefined || current < nonce) nonces.set(k(key), nonce);
    },
    async takeNonce(key) {
      const current = nonces.get(k(key));
      if (current === undefined) return undefined;
      nonces.set(k(key), current + 1n);
      return current;
    },
    async giveBackNonce(key, nonce) {
      if (nonces.get(k(key)) !== nonce + 1n) return false;
      nonces.set(k(key), nonce);
      return true;
    },
    async record(tx) {
      const existing = txs.get(tx.hash);
      if (existing) {
        if (existing.status === "abandoned") existing.status = "pending";
        return;
      }
      txs.set(tx.hash, { ...tx, status: "pending", broadcastAt: null, success: null, createdAt: new Date() });
    },
    async markBroadcast(hash) {
      const tx = txs.get(hash);
      if (tx && !tx.broadcastAt) tx.broadcastAt = new Date();
    },
    async abandon(hash) {
      const tx = txs.get(hash);
      if (!tx || tx.status !== "pending" || tx.broadcastAt) return false;
      tx.status = "abandoned";
      return true;
    },
    async claim(hash) {
      const tx = txs.get(hash);
      if (!tx || tx.status !== "pending") return false;
      tx.broadcastAt ??= new Date();
      return true;
    },
    async mined(hash, success) {
      const tx = txs.get(hash);
      if (tx) Object.assign(tx, { status: "mined", success });
    },
    async dropped(hash) {
      const tx = txs.get(hash);
      if (tx && tx.status === "pending") tx.status = "dropped";
    },
    async between(key, from, to) {
      return [...txs.values()].filter((t) => sameKey(t, key) && t.nonce >= from && t.nonce < to).sort(byNonce);
    },
    async live(key, before, limit) {
      return [...txs.values()]
        .filter((t) => sameKey(t, key) && t.status === "pending" && t.createdAt < before)
        .sort(byNonce)
        .slice(0, limit);
    },
    async ofPayment(paymentId) {
      return [...txs.values()].filter((t) => t.paymentId === paymentId);
    },
  };
}
