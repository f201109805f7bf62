import "server-only";
import {
  erc20Abi,
  isAddressEqual,
  parseEventLogs,
  TransactionNotFoundError,
  WaitForTransactionReceiptTimeoutError,
  type Address,
  type Hash,
} from "viem";
import { z } from "zod";
import { publicClient } from "@/lib/chain";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { formatUsdc } from "@/lib/format";
import { getNetwork, type NetworkConfig } from "@/lib/networks";
import { ownedSale } from "@/lib/sales/get-sale";
import { saleJson } from "@/lib/sales/sale-json";
import { forgetSalesSummary } from "@/lib/sales/sales-summary";

/** How long a refund waits for its transaction to be mined before answering `refund_pending`. */
const CONFIRMATION_TIMEOUT_MS = 20_000;

export const refundSaleInput = z.object({
  /** The refund's transaction hash on the sale's network. */
  transaction: z
    .string()
    .trim()
    .regex(/^0x[0-9a-fA-F]{64}$/, "A transaction hash: 0x followed by 64 hex characters.")
    .transform((v) => v.toLowerCase() as Hash),
});
export type RefundSaleInput = z.input<typeof refundSaleInput>;

const short = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

function unavailable(network: NetworkConfig): AppError {
  return new AppError("unavailable", `${network.name}'s RPC did not answer: nothing was recorded. Try again in a moment.`);
}

/**
 * Checks on chain that `hash` refunds a sale, and returns the atomic units it sent back. The
 * transaction must be known on the sale's network, mined (waited for up to 20 s) and successful, and
 * its logs must hold ERC-20 `Transfer`s of the sale's token from the payee to the payer summing to
 * at least the amount paid. `Transfer` logs rather than the transaction's own fields, so a refund
 * sent by a smart account (a Safe holding the payee address) counts like one from a plain wallet.
 */
async function verifyRefund(network: NetworkConfig, hash: Hash, sale: { asset: string; payTo: string; payer: string; amount: bigint }): Promise<bigint> {
  const client = publicClient(network);
  try {
    await client.getTransaction({ hash });
  } catch (error) {
    if (error instanceof TransactionNotFoundError) {
      throw new AppError("refund_not_verified", `${network.name} knows no transaction ${short(hash)}: refund on the network the buyer paid on (${network.name}).`);
    }
    throw unavailable(network);
  }
  let receipt;
  try {
    receipt = await client.waitForTransactionReceipt({ hash, timeout: CONFIRMATION_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof WaitForTransactionReceiptTimeoutError) {
      throw new AppError("refund_pending", `Transaction ${short(hash)} is not confirmed yet: send the same hash again once it is.`);
    }
    throw unavailable(network);
  }
  if (receipt.status !== "success") {
    throw new AppError("refund_not_verified", `Transaction ${short(hash)} failed on chain: nothing was sent back.`);
  }
  const ofToken = parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: receipt.logs }).filter((log) =>
    isAddressEqual(log.address, sale.asset as Address),
  );
  if (!ofToken.length) {
    throw new AppError("refund_not_verified", `Transaction ${short(hash)} moves none of the token the buyer paid with (${sale.asset}).`);
  }
  const back = ofToken.filter((log) => isAddressEqual(log.args.from, sale.payTo as Address) && isAddressEqual(log.args.to, sale.payer as Address));
  if (!back.length) {
    throw new AppError("refund_not_verified", `Transaction ${short(hash)} does not send the token from the payee (${sale.payTo}) to the buyer (${sale.payer}).`);
  }
  const sent = back.reduce((sum, log) => sum + log.args.value, 0n);
  if (sent < sale.amount) {
    throw new AppError(
      "refund_not_verified",
      `Transaction ${short(hash)} sends ${formatUsdc(sent, network.decimals)} back; the sale was ${formatUsdc(sale.amount, network.decimals)}. Refund at least the amount paid.`,
    );
  }
  return sent;
}

/**
 * Records the refund of a sale, once its transaction is verified on chain (see {@link verifyRefund}):
 * the payment becomes `refunded` with the refund's hash, amount and time — which ends the buyer's
 * receipt and any re-access, records `sale.refunded` (webhooks) in the same transaction, and shows
 * in totals, chart and CSV. A hash refunds one sale only (unique in the database, so two requests
 * racing with one hash record it once). Sending the same hash again for the same sale returns it.
 * @returns the sale, with its `refund`.
 * @throws ZodError (→ 400 `invalid_request`) for a malformed hash; AppError `not_found` (404);
 *   `conflict` (409) when the sale is already refunded by another transaction or the hash refunded
 *   another sale; `refund_pending` (409) while the transaction is not mined; `refund_not_verified`
 *   (422) when it does not refund the sale; `unavailable` (503) when the network's RPC fails.
 */
export async function refundSale(ownerId: string, id: string, input: RefundSaleInput) {
  const { transaction } = refundSaleInput.parse(input);
  const sale = await ownedSale(ownerId, id);
  if (sale.status === "refunded") {
    if (sale.refundTransaction === transaction) return saleJson(sale);
    throw new AppError("conflict", `This sale was already refunded by transaction ${short(sale.refundTransaction ?? "")}.`);
  }
  const prisma = await db();
  const used = await prisma.payment.findUnique({ where: { refundTransaction: transaction }, select: { id: true } });
  if (used) throw new AppError("conflict", `Transaction ${short(transaction)} already refunded another sale: one transaction refunds one sale.`);
  const network = getNetwork(sale.network);
  if (!network?.rpcUrl) throw new AppError("unavailable", `${sale.network} is not configured on this server right now: nothing was recorded.`);

  const sent = await verifyRefund(network, transaction, { asset: sale.asset, payTo: sale.link.payTo, payer: sale.payer, amount: sale.amount });
  try {
    const recorded = await prisma.payment.updateMany({
      where: { id: sale.id, status: "settled" },
      data: { status: "refunded", refundTransaction: transaction, refundAmount: sent, refundedAt: new Date() },
    });
    if (recorded.count !== 1) {
      const now = await ownedSale(ownerId, id);
      if (now.refundTransaction === transaction) return saleJson(now);
      throw new AppError("conflict", "This sale was refunded meanwhile by another transaction.");
    }
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", `Transaction ${short(transaction)} already refunded another sale: one transaction refunds one sale.`);
    }
    throw error;
  }
  forgetSalesSummary(ownerId);
  return saleJson(await ownedSale(ownerId, id));
}
