import "server-only";
import type { Address, Hex } from "viem";
import { publicClient } from "@/lib/chain";
import { db } from "@/lib/db";
import type { Payment } from "@/lib/generated/prisma/client";
import { configuredNetworks, getNetwork } from "@/lib/networks";
import { release } from "@/lib/purchases/release";
import { forgetLinks } from "@/lib/purchases/sale";
import { forgetSalesSummary } from "@/lib/sales/sales-summary";
import { postgresLedger } from "@/lib/settlement/ledger";
import type { LedgerTx } from "@/lib/settlement/ledger-types";
import { chainVerdict } from "@/lib/settlement/verdict";
import { settlementSigner } from "@/lib/x402/facilitator";

/**
 * `failed` reasons that the chain proved (the reconciler wrote them): such a row is final. Any
 * other `failed` row — refused at settle time, or marked failed by older code on an exception — is
 * re-checked until the chain proves it one way or the other: its authorization may still be used.
 */
const PROVEN_FAILURES = ["authorization_expired_unsettled", "authorization_used_elsewhere"];

/**
 * Decides a payment whose outcome is not proven (`settling`, or `failed` without a chain-proven
 * reason) from the chain (lib/settlement/verdict.ts), and writes what it proves:
 * - its own transfer on chain → `settled` (with that transaction; a row that was `failed` takes its
 *   purchase slot back: the buyer paid);
 * - cancelled by the payer → `cancelled` (never a sale; a `settling` row's slot is released);
 * - unused past `validBefore` (chain time), or its nonce used by another transfer → `failed` with
 *   that reason (a `settling` row's slot is released);
 * - still possible → unchanged; for a `settling` row, Vend's recorded transactions for it are
 *   rebroadcast (a send whose reply was lost, a crash between record and send).
 * RPC failures leave the row unchanged. Returns the row as it now stands.
 */
export async function reconcilePayment(payment: Payment): Promise<Payment> {
  if (payment.status !== "settling" && !(payment.status === "failed" && !PROVEN_FAILURES.includes(payment.error ?? ""))) {
    return payment;
  }
  const network = getNetwork(payment.network);
  if (!network?.rpcUrl) return payment;
  const prisma = await db();
  try {
    const link = await prisma.paymentLink.findUniqueOrThrow({ where: { id: payment.linkId }, select: { payTo: true, ownerId: true, slug: true } });
    const terms = {
      asset: payment.asset as Address,
      payer: payment.payer as Address,
      nonce: payment.nonce as Hex,
      amount: payment.amount,
      payTo: link.payTo as Address,
      validBefore: payment.validBefore,
      createdAt: payment.createdAt,
    };
    const from = payment.status;
    // A second look only after a rebroadcast: the local chain mines it at once.
    for (let pass = 0; pass < 2; pass++) {
      const ours = await postgresLedger.ofPayment(payment.id);
      const verdict = await chainVerdict(publicClient(network), terms, ours);
      switch (verdict.kind) {
        case "settled": {
          await prisma.$transaction(async (tx) => {
            const { count } = await tx.payment.updateMany({
              where: { id: payment.id, status: from },
              data: { status: "settled", transaction: verdict.transaction, settledAt: new Date(), error: null },
            });
            if (count === 1 && from === "failed") {
              await tx.$executeRaw`UPDATE "PaymentLink" SET "purchaseCount" = "purchaseCount" + 1 WHERE "id" = ${payment.linkId}`;
            }
          });
          forgetSalesSummary(link.ownerId);
          forgetLinks(link.slug);
          break;
        }
        case "cancelled":
          if (from === "settling") await release(payment.id, payment.linkId, "authorization_cancelled", "cancelled");
          else await prisma.payment.updateMany({ where: { id: payment.id, status: "failed" }, data: { status: "cancelled", error: "authorization_cancelled" } });
          break;
        case "failed":
          if (from === "settling") await release(payment.id, payment.linkId, verdict.reason);
          else await prisma.payment.updateMany({ where: { id: payment.id, status: "failed" }, data: { error: verdict.reason } });
          break;
        case "open":
          if (from === "settling" && pass === 0 && (await rebroadcast(payment.network, ours)) > 0) continue;
          if (from === "failed") await prisma.payment.updateMany({ where: { id: payment.id, status: "failed" }, data: { updatedAt: new Date() } });
          break;
        case "unknown":
          console.warn("[vend] reconcile: authorization used but its event was not found yet", payment.id);
          break;
      }
      break;
    }
  } catch (error) {
    console.error("[vend] reconcile failed; will retry later", payment.id, error);
    return payment;
  }
  return prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
}

/** Rebroadcasts a settling payment's live transactions (claimed first: see the ledger); how many the chain took. */
async function rebroadcast(network: string, ours: LedgerTx[]): Promise<number> {
  const signer = signerOf(network);
  if (!signer) return 0;
  let taken = 0;
  for (const tx of ours) {
    if (tx.status !== "pending") continue;
    if ((await postgresLedger.claim(tx.hash)) && (await signer.pipeline.rebroadcast(tx))) taken++;
  }
  return taken;
}

/**
 * The periodic sweep (in-process every minute on long-lived servers, `GET /api/cron/reconcile` on
 * Vercel): reconciles `settling` payments not touched for `olderThanSeconds` (default 60) and
 * unproven `failed` ones not checked for ten times that, then has each settlement pipeline
 * rebroadcast its live transactions of that age and fill nonce gaps. Returns how many rows it
 * checked and how many changed state.
 */
export async function reconcileStale(olderThanSeconds = 60): Promise<{ checked: number; changed: number }> {
  const prisma = await db();
  const now = Date.now();
  const stale = await prisma.payment.findMany({
    where: {
      OR: [
        { status: "settling", updatedAt: { lt: new Date(now - olderThanSeconds * 1000) } },
        {
          status: "failed",
          updatedAt: { lt: new Date(now - olderThanSeconds * 10_000) },
          OR: [{ error: null }, { error: { notIn: PROVEN_FAILURES } }],
        },
      ],
    },
    orderBy: { updatedAt: "asc" },
    take: 500,
  });
  let changed = 0;
  for (const payment of stale) {
    const after = await reconcilePayment(payment);
    if (after.status !== payment.status) changed++;
  }
  for (const network of configuredNetworks()) {
    const signer = signerOf(network.id);
    if (!signer) continue;
    await signer.pipeline.heal(olderThanSeconds * 1000).catch((error: unknown) => {
      console.error("[vend] reconcile: could not heal the settlement pipeline of", network.id, error);
    });
  }
  return { checked: stale.length, changed };
}

/** The in-process facilitator's signer for a network; undefined with a remote or no facilitator. */
function signerOf(network: string) {
  try {
    return settlementSigner(network);
  } catch (error) {
    console.error("[vend] reconcile: no settlement signer", error);
    return undefined;
  }
}
