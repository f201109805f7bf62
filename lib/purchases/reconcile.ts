import "server-only";
import type { Address, Hex } from "viem";
import { eip3009ABI } from "@x402/evm";
import { authorizationUsedEvent, publicClient } from "@/lib/chain";
import { db } from "@/lib/db";
import type { Payment } from "@/lib/generated/prisma/client";
import { getNetwork } from "@/lib/networks";
import { release } from "@/lib/purchases/release";
import { forgetSalesSummary } from "@/lib/sales/sales-summary";

/** How far back to look for the `AuthorizationUsed` event of a settled authorization. */
const LOG_LOOKBACK_BLOCKS = 50_000n;

/**
 * Decides a `settling` payment from the chain (EIP-3009 `authorizationState(payer, nonce)`):
 * - used → `settled`, with the transaction found from the token's `AuthorizationUsed` event;
 * - unused and past `validBefore` → `failed`, and its purchase slot is released;
 * - otherwise it stays `settling` (the transfer may still land).
 * RPC failures leave the row unchanged. Returns the row as it now stands.
 */
export async function reconcilePayment(payment: Payment): Promise<Payment> {
  if (payment.status !== "settling") return payment;
  const network = getNetwork(payment.network);
  if (!network?.rpcUrl) return payment;
  const prisma = await db();
  const client = publicClient(network);
  try {
    const used = await client.readContract({
      address: payment.asset as Address,
      abi: eip3009ABI,
      functionName: "authorizationState",
      args: [payment.payer as Address, payment.nonce as Hex],
    });
    if (used) {
      const latest = await client.getBlockNumber();
      const logs = await client.getLogs({
        address: payment.asset as Address,
        event: authorizationUsedEvent,
        args: { authorizer: payment.payer as Address, nonce: payment.nonce as Hex },
        fromBlock: latest > LOG_LOOKBACK_BLOCKS ? latest - LOG_LOOKBACK_BLOCKS : 0n,
        toBlock: latest,
      });
      const transaction = logs[0]?.transactionHash ?? payment.transaction;
      await prisma.payment.updateMany({
        where: { id: payment.id, status: "settling" },
        data: { status: "settled", transaction, settledAt: new Date(), error: null },
      });
      forgetSalesSummary();
    } else if (payment.validBefore * 1000n < BigInt(Date.now())) {
      await release(payment.id, payment.linkId, "authorization_expired_unsettled");
    }
  } catch (error) {
    console.error("[vend] reconcile failed; will retry later", payment.id, error);
    return payment;
  }
  return prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
}

/**
 * Reconciles every payment left `settling` for longer than `olderThanSeconds` (default 60).
 * Returns how many rows changed state.
 */
export async function reconcileStale(olderThanSeconds = 60): Promise<{ checked: number; changed: number }> {
  const prisma = await db();
  const stale = await prisma.payment.findMany({
    where: { status: "settling", updatedAt: { lt: new Date(Date.now() - olderThanSeconds * 1000) } },
    take: 500,
  });
  let changed = 0;
  for (const payment of stale) {
    const after = await reconcilePayment(payment);
    if (after.status !== payment.status) changed++;
  }
  return { checked: stale.length, changed };
}
