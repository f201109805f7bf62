import { estimateMaxPriorityFeePerGas, getBlock } from "viem/actions";
import type { Chain, Client, Transport } from "viem";
import { detached } from "@/lib/settlement/context";

/** EIP-1559 fees of a settlement transaction, in wei per gas, and the block they were read at. */
export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; blockNumber: bigint };

/**
 * EIP-1559 fees for one chain, read at most once per `ttlMs` instead of once per purchase (the
 * latest block's base fee and viem's `estimateMaxPriorityFeePerGas`, in parallel).
 * `maxFeePerGas` is twice the base fee plus the tip — what viem's `estimateFeesPerGas` gives with
 * `baseFeeMultiplier: 2` —, so a value a few blocks old still gets included (the base fee rises at
 * most 12.5% per block); a node that says the fee is too low makes the next {@link FeeCache.get}
 * read fresh ones ({@link FeeCache.invalidate}). Past half its life a value is refreshed in the
 * background, outside any purchase.
 */
export class FeeCache {
  private value?: { fees: Fees; at: number };
  private inflight?: Promise<Fees>;

  constructor(
    private readonly client: Client<Transport, Chain>,
    private readonly ttlMs: number,
  ) {}

  async get(): Promise<Fees> {
    const now = Date.now();
    const v = this.value;
    if (v && now - v.at < this.ttlMs) {
      if (now - v.at > this.ttlMs / 2) detached(() => void this.refresh().catch(() => undefined));
      return v.fees;
    }
    return this.refresh();
  }

  /** Forgets the cached fees (a node refused them as too low). */
  invalidate(): void {
    this.value = undefined;
  }

  private refresh(): Promise<Fees> {
    this.inflight ??= (async () => {
      try {
        const [block, tip] = await Promise.all([
          getBlock(this.client, { blockTag: "latest" }),
          estimateMaxPriorityFeePerGas(this.client),
        ]);
        if (block.baseFeePerGas === null) throw new Error(`chain ${this.client.chain.id} has no EIP-1559 base fee`);
        const fees = { maxFeePerGas: block.baseFeePerGas * 2n + tip, maxPriorityFeePerGas: tip, blockNumber: block.number };
        this.value = { fees, at: Date.now() };
        return fees;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}
