import {
  formatTransactionReceipt,
  keccak256,
  parseTransaction,
  type Address,
  type Hex,
  type LocalAccount,
  type RpcTransactionReceipt,
  type TransactionReceipt,
} from "viem";
import { detached, type SettlementContext, type Submission } from "@/lib/settlement/context";
import type { FeeCache } from "@/lib/settlement/fees";
import type { KeyId, LedgerTx, SettlementLedger } from "@/lib/settlement/ledger-types";
import { classifySendError, type Rpc, type SendFailure } from "@/lib/settlement/rpc";

/**
 * One settlement pipeline per (chain, key) and process: it takes each transaction's nonce from the
 * ledger (PostgreSQL: shared by every instance), signs, records the raw transaction BEFORE any
 * broadcast, sends in nonce order, and waits for receipts concurrently (one batched
 * `eth_getTransactionReceipt` poll for every waiting transaction, no block-number loop).
 *
 * What a send's failure means is decided from the chain, never assumed:
 * - "nonce too high" (a chain that cannot queue — Hardhat automine — or another instance's lower
 *   nonce not sent yet): retried; after `gapGraceMs` the lower nonces are filled from the ledger
 *   (their recorded transactions rebroadcast by whoever sees the gap, or a zero-value filler for a
 *   nonce nothing live holds: an instance that crashed, a transaction abandoned);
 * - "nonce too low": our own transaction already mined (or known) is accepted; otherwise its nonce
 *   went to another transaction, and the same call is signed again with a fresh nonce (EIP-3009's
 *   single-use authorization makes a second transfer impossible);
 * - "underpriced": signed again at the same nonce with fresh fees;
 * - refused for good, or the RPC unreachable (the request never left): `refused` — certain that it
 *   was never broadcast, and abandoned in the ledger so that nobody ever will (a compare-and-set
 *   against another instance claiming it for a rebroadcast);
 * - anything else (a lost reply, a timeout, a gateway error): rebroadcast a few times (the node then
 *   says "known" or "nonce too low", which settles it); still unknown → `maybe`.
 */

/** A call to settle: its target, calldata and gas limit, and what it is for. */
export type SettlementCall = {
  to: Address;
  data: Hex;
  gas: bigint;
  kind: Submission["kind"];
  paymentId: string | null;
};

export type PipelineOptions = {
  key: KeyId;
  account: LocalAccount;
  rpc: Rpc;
  ledger: SettlementLedger;
  fees: FeeCache;
  /** Wait for each send's answer before the next one (a chain that cannot queue: Hardhat automine). */
  serial: boolean;
  /** Interval of the receipt poll, ms. */
  pollMs: number;
  /** How long a "nonce too high" is retried before the lower nonces are filled, ms. */
  gapGraceMs?: number;
};

type Item = {
  call: SettlementCall;
  nonce: bigint;
  hash: Hex;
  raw: Hex;
  ctx?: SettlementContext;
  submission: Submission;
  retryAt: number;
  tries: number;
  tooHighSince?: number;
  /** A send of it may have reached a node (or did): it is never abandoned. */
  delivered: boolean;
  resolve(delivery: Submission["delivery"]): void;
};

type Waiter = { resolve(r: TransactionReceipt): void; timer: ReturnType<typeof setTimeout> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_AMBIGUOUS_SENDS = 3;
const MAX_UNREACHABLE_SENDS = 3;
const MAX_RESIGNS = 5;

export class SettlementPipeline {
  private readonly gapGraceMs: number;
  private queue: Item[] = [];
  private sending = false;
  private synced?: Promise<void>;
  private unreachableSince?: number;
  /** The newest block number seen (fees, receipts): where a search for a later transaction's events can start. */
  private head = 0n;
  private readonly waiters = new Map<Hex, Waiter[]>();
  private polling = false;
  private pollAgain = false;
  private pollTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly o: PipelineOptions) {
    this.gapGraceMs = o.gapGraceMs ?? 2_000;
  }

  /**
   * Signs `call` with the next nonce, records it, and sends it in nonce order. Resolves once its
   * broadcast is known (`accepted`, `maybe` or `refused`); every transaction signed on the way is
   * pushed to `ctx.submissions` as soon as it is recorded.
   */
  async submit(call: SettlementCall, ctx?: SettlementContext): Promise<Submission> {
    for (let attempt = 0; attempt < MAX_RESIGNS; attempt++) {
      const nonce = await this.takeNonce();
      let item: Item;
      try {
        item = await this.sign(call, nonce, ctx);
      } catch (error) {
        await this.o.ledger.giveBackNonce(this.o.key, nonce).catch(() => false);
        throw error;
      }
      const delivery = await new Promise<Submission["delivery"]>((resolve) => {
        item.resolve = resolve;
        this.enqueue(item);
      });
      item.submission.delivery = delivery;
      if (delivery !== "replaced") return item.submission;
    }
    throw new Error(`settlement: the nonce of this call was taken ${MAX_RESIGNS} times in a row`);
  }

  /**
   * Resolves with the receipt of `hash` (polled with `eth_getTransactionReceipt`, batched with every
   * other waiting transaction); rejects after `timeoutMs`, even while a poll hangs.
   */
  waitForReceipt(hash: Hex, timeoutMs: number): Promise<TransactionReceipt> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const left = (this.waiters.get(hash) ?? []).filter((w) => w !== waiter);
          if (left.length) this.waiters.set(hash, left);
          else this.waiters.delete(hash);
          reject(new Error(`no receipt for ${hash} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.set(hash, [...(this.waiters.get(hash) ?? []), waiter]);
      this.requestPoll();
    });
  }

  /**
   * Rebroadcasts the key's live (`pending`) transactions older than `olderThanMs`, in nonce order,
   * and fills the gaps between and below them (the reconciler's sweep: a crash between record and
   * send, a transaction a node dropped); settles those the chain's nonce has passed. Returns how
   * many nonces it sent a transaction for.
   */
  async heal(olderThanMs: number): Promise<number> {
    return detached(async () => {
      const live = await this.o.ledger.live(this.o.key, new Date(Date.now() - olderThanMs), 200);
      if (live.length === 0) return 0;
      const chainNonce = await this.chainNonce("latest");
      let top: bigint | undefined;
      for (const tx of live) {
        if (tx.nonce < chainNonce) await this.settleStale(tx);
        else if (top === undefined || tx.nonce > top) top = tx.nonce;
      }
      return top === undefined ? 0 : this.fillGaps(top + 1n);
    });
  }

  // --- nonces and signing -------------------------------------------------------------------

  private async chainNonce(tag: "latest" | "pending"): Promise<bigint> {
    return BigInt(await this.o.rpc.request<Hex>("eth_getTransactionCount", [this.o.key.address, tag]));
  }

  private async takeNonce(): Promise<bigint> {
    this.synced ??= (async () => {
      await this.o.ledger.syncNonce(this.o.key, await this.chainNonce("pending"));
    })().catch((error: unknown) => {
      this.synced = undefined;
      throw error;
    });
    await this.synced;
    const nonce = await this.o.ledger.takeNonce(this.o.key);
    if (nonce !== undefined) return nonce;
    this.synced = undefined;
    return this.takeNonce();
  }

  private async signRaw(call: Pick<SettlementCall, "to" | "data" | "gas">, nonce: bigint, value = 0n): Promise<{ raw: Hex; hash: Hex }> {
    const fees = await this.o.fees.get();
    if (fees.blockNumber > this.head) this.head = fees.blockNumber;
    const raw = await this.o.account.signTransaction({
      chainId: this.o.key.chainId,
      type: "eip1559",
      nonce: Number(nonce),
      to: call.to,
      data: call.data,
      gas: call.gas,
      value,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    return { raw, hash: keccak256(raw) };
  }

  /** Signs `call` at `nonce` and records it (before any broadcast). */
  private async sign(call: SettlementCall, nonce: bigint, ctx?: SettlementContext): Promise<Item> {
    const { raw, hash } = await this.signRaw(call, nonce);
    await this.o.ledger.record({
      hash,
      chainId: this.o.key.chainId,
      address: this.o.key.address,
      nonce,
      kind: call.kind,
      paymentId: call.paymentId,
      raw,
      fromBlock: this.head,
    });
    const submission: Submission = { hash, nonce, kind: call.kind, delivery: "sending" };
    ctx?.submissions.push(submission);
    return { call, nonce, hash, raw, ctx, submission, retryAt: 0, tries: 0, delivered: false, resolve: () => {} };
  }

  // --- sending, in nonce order ----------------------------------------------------------------

  private enqueue(item: Item): void {
    this.queue.push(item);
    this.queue.sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0));
    if (!this.sending) {
      this.sending = true;
      detached(() => void this.sendLoop());
    }
  }

  private async sendLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const now = Date.now();
        if (this.o.serial) {
          const head = this.queue[0]!;
          if (head.retryAt > now) await sleep(head.retryAt - now);
          else await this.attempt(head);
          continue;
        }
        const ready = this.queue.filter((i) => i.retryAt <= now);
        if (ready.length === 0) {
          await sleep(Math.max(1, Math.min(...this.queue.map((i) => i.retryAt)) - now));
          continue;
        }
        // Dispatched in nonce order without waiting for each answer: a real node queues nonces.
        await Promise.all(ready.map((item) => this.attempt(item)));
      }
    } finally {
      this.sending = false;
      if (this.queue.length > 0) {
        this.sending = true;
        detached(() => void this.sendLoop());
      }
    }
  }

  private finish(item: Item, delivery: Submission["delivery"], reason?: string): void {
    this.queue = this.queue.filter((i) => i !== item);
    if (reason) item.submission.reason = reason;
    item.resolve(delivery);
  }

  private async sendRaw(raw: Hex): Promise<SendFailure | { kind: "sent" }> {
    try {
      await this.o.rpc.request("eth_sendRawTransaction", [raw]);
      return { kind: "sent" };
    } catch (error) {
      return classifySendError(error);
    }
  }

  /** One send of `item` and what follows from its answer; an unexpected error leaves it `maybe`. */
  private async attempt(item: Item): Promise<void> {
    try {
      await this.attemptOnce(item);
    } catch (error) {
      console.error("[vend] settlement: a send failed unexpectedly; its outcome is left to the chain", item.hash, error);
      this.finish(item, "maybe", error instanceof Error ? error.message : String(error));
    }
  }

  private async attemptOnce(item: Item): Promise<void> {
    item.tries++;
    const result = await this.sendRaw(item.raw);
    const now = Date.now();
    if (result.kind !== "unreachable") this.unreachableSince = undefined;
    switch (result.kind) {
      case "sent":
      case "accepted":
        item.delivered = true;
        return this.finish(item, "accepted");
      case "nonce_too_high": {
        item.tooHighSince ??= now;
        item.retryAt = now + Math.min(100, 5 * item.tries);
        if (now - item.tooHighSince >= this.gapGraceMs) {
          item.tooHighSince = now;
          await this.fillGaps(item.nonce);
        }
        return;
      }
      case "nonce_too_low": {
        if (await this.isKnown(item.hash)) {
          item.delivered = true;
          return this.finish(item, "accepted");
        }
        await this.o.ledger.dropped(item.hash);
        this.synced = undefined;
        await this.o.ledger.syncNonce(this.o.key, result.expected ?? (await this.chainNonce("pending")));
        return this.finish(item, "replaced", result.message);
      }
      case "underpriced": {
        this.o.fees.invalidate();
        const replacement = await this.sign(item.call, item.nonce, item.ctx);
        if (!item.delivered && (await this.o.ledger.abandon(item.hash))) item.submission.delivery = "refused";
        else item.submission.delivery = "replaced";
        item.submission.reason = result.message;
        Object.assign(item, { hash: replacement.hash, raw: replacement.raw, submission: replacement.submission, retryAt: 0 });
        return;
      }
      case "unreachable": {
        this.unreachableSince ??= now;
        const down = now - this.unreachableSince > 1_000;
        if (!down && item.tries < MAX_UNREACHABLE_SENDS) {
          item.retryAt = now + 200 * item.tries;
          return;
        }
        return this.giveUp(item, result.message);
      }
      case "rejected":
        return this.giveUp(item, result.message);
      case "ambiguous": {
        item.delivered = true;
        await this.o.ledger.markBroadcast(item.hash);
        if (item.tries < MAX_AMBIGUOUS_SENDS) {
          item.retryAt = now + 100 * item.tries;
          return;
        }
        return this.finish(item, "maybe", result.message);
      }
    }
  }

  /** Ends an item that was refused: abandoned (certainly never broadcast) unless it may have been. */
  private async giveUp(item: Item, reason: string): Promise<void> {
    if (!item.delivered && (await this.o.ledger.abandon(item.hash))) {
      await this.o.ledger.giveBackNonce(this.o.key, item.nonce);
      return this.finish(item, "refused", reason);
    }
    return this.finish(item, "maybe", reason);
  }

  /** True when the node has this transaction (mined, or in its pool). */
  private async isKnown(hash: Hex): Promise<boolean> {
    const [receipt, tx] = await this.o.rpc.batch([
      { method: "eth_getTransactionReceipt", params: [hash] },
      { method: "eth_getTransactionByHash", params: [hash] },
    ]);
    return (receipt !== null && !(receipt instanceof Error)) || (tx !== null && !(tx instanceof Error));
  }

  /**
   * Gets the chain's nonce up to `upTo`: for each missing nonce, rebroadcasts the live transaction
   * recorded for it (claimed in the ledger first, so that its signer can no longer abandon it), or,
   * when nothing live holds it, sends a zero-value transaction to ourselves with it.
   */
  private async fillGaps(upTo: bigint): Promise<number> {
    const chainNonce = await this.chainNonce("pending");
    if (chainNonce >= upTo) return 0;
    const rows = await this.o.ledger.between(this.o.key, chainNonce, upTo);
    let sent = 0;
    for (let n = chainNonce; n < upTo; n++) {
      if (this.queue.some((i) => i.nonce === n)) continue;
      const live = rows.filter((r) => r.nonce === n && r.status === "pending");
      let filled = false;
      for (const tx of live) {
        if (!(await this.o.ledger.claim(tx.hash))) continue;
        filled = (await this.rebroadcast(tx, false)) || filled;
      }
      if (!filled) {
        console.warn(`[vend] settlement: filling nonce ${n} of ${this.o.key.address} on chain ${this.o.key.chainId}`);
        const filler = await this.signRaw({ to: this.o.key.address, data: "0x", gas: 21_000n }, n);
        await this.o.ledger.record({
          ...filler,
          chainId: this.o.key.chainId,
          address: this.o.key.address,
          nonce: n,
          kind: "filler",
          paymentId: null,
          fromBlock: this.head,
        });
        await this.o.ledger.markBroadcast(filler.hash);
        await this.sendRaw(filler.raw);
      }
      sent++;
    }
    return sent;
  }

  /**
   * (Re)broadcasts a recorded transaction, claimed first by the caller ({@link SettlementLedger.claim}).
   * True when the chain has it or its nonce now. Lower nonces the chain misses are filled first
   * (`fillBelow`); an underpriced one is signed again, same call and nonce, with fresh fees (both
   * are recorded; only one can be mined).
   */
  async rebroadcast(tx: LedgerTx, fillBelow = true): Promise<boolean> {
    const result = await this.sendRaw(tx.raw);
    if (result.kind === "sent" || result.kind === "accepted" || result.kind === "nonce_too_low") return true;
    if (result.kind === "nonce_too_high" && fillBelow) {
      await this.fillGaps(tx.nonce);
      return this.rebroadcast(tx, false);
    }
    if (result.kind !== "underpriced") return false;
    this.o.fees.invalidate();
    const parsed = parseTransaction(tx.raw);
    if (!parsed.to || parsed.gas === undefined) return false;
    const again = await this.signRaw({ to: parsed.to, data: parsed.data ?? "0x", gas: parsed.gas }, tx.nonce, parsed.value ?? 0n);
    await this.o.ledger.record({ ...again, chainId: tx.chainId, address: tx.address, nonce: tx.nonce, kind: tx.kind, paymentId: tx.paymentId, fromBlock: tx.fromBlock });
    await this.o.ledger.markBroadcast(again.hash);
    const second = await this.sendRaw(again.raw);
    return second.kind === "sent" || second.kind === "accepted" || second.kind === "nonce_too_low";
  }

  /** A live transaction whose nonce the chain has passed: mined (receipt) or dropped. */
  private async settleStale(tx: LedgerTx): Promise<void> {
    const receipt = await this.o.rpc.request<RpcTransactionReceipt | null>("eth_getTransactionReceipt", [tx.hash]);
    if (receipt) await this.o.ledger.mined(tx.hash, receipt.status === "0x1", BigInt(receipt.blockNumber));
    else await this.o.ledger.dropped(tx.hash);
  }

  // --- receipts -------------------------------------------------------------------------------

  private requestPoll(): void {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.polling = true;
    detached(() => void this.poll());
  }

  private async poll(): Promise<void> {
    try {
      const hashes = [...this.waiters.keys()];
      for (let i = 0; i < hashes.length; i += 100) {
        const chunk = hashes.slice(i, i + 100);
        let results: unknown[];
        try {
          results = await this.o.rpc.batch(chunk.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })));
        } catch {
          continue;
        }
        chunk.forEach((hash, j) => {
          const rpcReceipt = results[j];
          if (!rpcReceipt || rpcReceipt instanceof Error) return;
          const receipt = formatTransactionReceipt(rpcReceipt as RpcTransactionReceipt);
          if (receipt.blockNumber > this.head) this.head = receipt.blockNumber;
          for (const w of this.waiters.get(hash) ?? []) {
            clearTimeout(w.timer);
            w.resolve(receipt);
          }
          this.waiters.delete(hash);
          this.o.ledger.mined(hash, receipt.status === "success", receipt.blockNumber).catch((error: unknown) => {
            console.error("[vend] settlement: could not record a receipt", hash, error);
          });
        });
      }
    } finally {
      this.polling = false;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.requestPoll();
      } else if (this.waiters.size > 0) {
        this.pollTimer = setTimeout(() => this.requestPoll(), this.o.pollMs);
      }
    }
  }
}

const holder = globalThis as typeof globalThis & { __vendPipelines?: Map<string, SettlementPipeline> };
holder.__vendPipelines ??= new Map();

/**
 * The one pipeline of this process for `id` (chain, key, ledger), created by `make` on first use.
 * Kept on globalThis so that every bundle of the app (route handlers, instrumentation) shares it.
 */
export function pipelineFor(id: string, make: () => SettlementPipeline): SettlementPipeline {
  const pipelines = holder.__vendPipelines!;
  let pipeline = pipelines.get(id);
  if (!pipeline) {
    pipeline = make();
    pipelines.set(id, pipeline);
  }
  return pipeline;
}
