import "server-only";
import type { PaymentRequirements, SettleResponse } from "@x402/core/types";
import { deepEqual } from "@x402/core/utils";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Payment } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { Timings } from "@/lib/timing";
import { settleAuthorization, verifyAuthorization } from "@/lib/settlement/settle";
import type { DecodedPayment } from "@/lib/x402/payment-header";
import { requirementsV1, requirementsV2 } from "@/lib/x402/requirements";
import { reconcilePayment } from "@/lib/purchases/reconcile";
import { release } from "@/lib/purchases/release";
import { forgetSalesSummary } from "@/lib/sales/sales-summary";
import { forgetLinks, goneError, linkState, saleTerms, type LinkForSale } from "@/lib/purchases/sale";
import { signReceipt } from "@/lib/purchases/receipts";

/**
 * A purchase: one EIP-3009 authorization turned into a settled on-chain transfer, exactly once
 * (ARCHITECTURE §1, steps 5–9). Shared by the gate (`GET /l/{slug}`) and `POST /api/purchases`.
 *
 * Guarantees:
 * - nothing is delivered before the transfer is settled on chain;
 * - an authorization (network, asset, payer, nonce) is reserved in the database *before* it is
 *   settled, so concurrent or repeated submissions settle at most once; a settled authorization
 *   replayed for the same link is answered again with the same settlement, with no new transfer;
 * - a purchase slot (`maxPurchases`) is claimed with a conditional update before settling, and
 *   released if settlement fails: a race is lost here, not on chain.
 */

/** Outcome of a successful purchase or replay. */
export type PurchaseOutcome = {
  payment: Payment;
  /** The settlement as sent in `PAYMENT-RESPONSE` / `X-PAYMENT-RESPONSE`. */
  settlement: SettleResponse;
  /** True when this authorization had already been settled (no new transfer happened). */
  replay: boolean;
  /** Receipt token re-opening the download until `receiptExpiresAt` (unix seconds). */
  receipt: string;
  receiptExpiresAt: number;
};

/**
 * Details of a 402 answer: `reason` is the x402 error string (facilitator `invalidReason`,
 * `errorReason`, or ours); `settlement` is set when settlement itself failed.
 */
export type PaymentFailure = { reason: string; settlement?: SettleResponse };

function paymentRequiredError(reason: string, message: string, settlement?: SettleResponse): AppError {
  return new AppError("payment_required", message, { reason, settlement } satisfies PaymentFailure);
}

/** The settlement response for a settled payment row (identical on every replay). */
export function settlementOf(payment: Payment): SettleResponse {
  return {
    success: true,
    transaction: payment.transaction ?? "",
    network: payment.network as SettleResponse["network"],
    payer: payment.payer,
  };
}

function receiptFor(link: LinkForSale, payment: Payment): { receipt: string; receiptExpiresAt: number } {
  const from = payment.settledAt ?? payment.createdAt;
  const receiptExpiresAt = Math.floor(from.getTime() / 1000) + link.accessSeconds;
  return {
    receipt: signReceipt({ paymentId: payment.id, linkId: link.id, expiresAt: receiptExpiresAt }),
    receiptExpiresAt,
  };
}

function replayed(link: LinkForSale, payment: Payment): PurchaseOutcome {
  return { payment, settlement: settlementOf(payment), replay: true, ...receiptFor(link, payment) };
}

/**
 * The requirements this payment must satisfy, in the payload's protocol version.
 * v2: `accepted` must deep-equal what we advertise (x402 v2: the server rebuilds and compares).
 * v1: scheme and network name must match.
 * @throws AppError `payment_required` (402) when the payload targets other terms.
 */
function matchRequirements(link: LinkForSale, decoded: DecodedPayment): PaymentRequirements {
  const terms = saleTerms(link);
  if (decoded.x402Version === 2) {
    const requirements = requirementsV2(terms);
    const accepted = (decoded.payload as { accepted?: unknown }).accepted;
    if (!deepEqual(accepted, requirements)) {
      throw paymentRequiredError(
        "No matching payment requirements",
        "The payment does not match this link's terms (network, asset, amount or payee).",
      );
    }
    return requirements;
  }
  const v1 = requirementsV1(terms);
  const scheme = (decoded.payload as { scheme?: string }).scheme;
  if (scheme !== "exact" || decoded.claimedNetwork !== v1.network) {
    throw paymentRequiredError("invalid_network", `This link is paid with the exact scheme on ${v1.network}.`);
  }
  return v1 as unknown as PaymentRequirements;
}

/**
 * Runs a purchase for a decoded payment on a link loaded for sale.
 * @returns the settled payment (new or replayed) and its receipt.
 * @throws AppError: `payment_required` (402, details {@link PaymentFailure}) when the payment is
 *   invalid, does not match, or failed to settle (then nothing was charged); `settlement_pending`
 *   (409) while the same authorization is being settled; `link_expired` / `link_revoked` /
 *   `link_sold_out` / `object_gone` (410) when the link cannot sell.
 */
export async function purchase(link: LinkForSale, decoded: DecodedPayment, timings = new Timings()): Promise<PurchaseOutcome> {
  const prisma = await db();
  const key = { network: link.network, asset: link.asset, payer: decoded.payer, nonce: decoded.nonce };

  // Step 6: an authorization seen before.
  let existing = await timings.span("db", () =>
    prisma.payment.findUnique({ where: { network_asset_payer_nonce: key } }),
  );
  if (existing) {
    if (existing.linkId !== link.id) {
      throw paymentRequiredError("authorization_already_used", "This authorization was already used for another link.");
    }
    if (existing.status === "settling") existing = await reconcilePayment(existing);
    if (existing.status === "settled") return replayed(link, existing);
    if (existing.status === "settling") {
      throw new AppError("settlement_pending", "This payment is still settling on chain. Retry the same request shortly.");
    }
    if (existing.status === "refunded") {
      throw paymentRequiredError("payment_refunded", "This payment was refunded. Sign a new authorization to buy again.");
    }
  }

  // Step 2 (for new payments): only an active link sells.
  const state = linkState(link);
  if (state !== "active") throw goneError(state);

  // Step 7: verify through the facilitator, against *our* requirements.
  const requirements = matchRequirements(link, decoded);
  const verification = await timings.span("verify", () => verifyAuthorization(decoded.payload, requirements));
  if (verification.kind === "unavailable") throw new AppError("unavailable", verification.message);
  if (verification.kind === "invalid") throw paymentRequiredError(verification.reason, verification.message);

  // Step 8: reserve the authorization and claim a purchase slot before settling.
  const reserved = await timings.span("db", () => reserve(link, decoded, key, existing));
  if (reserved.kind === "lost_race") {
    const current = reserved.payment;
    if (current.status === "settled" && current.linkId === link.id) return replayed(link, current);
    throw new AppError("settlement_pending", "This payment is already being settled. Retry the same request shortly.");
  }
  forgetLinks(link.slug);
  if (reserved.kind === "no_slot") throw goneError(reserved.state);
  const payment = reserved.payment;

  // Step 9: settle on chain. The outcome comes from the chain, never from an exception.
  const settled = await timings.span("settle", () =>
    settleAuthorization({ payment, payload: decoded.payload, requirements }),
  );
  switch (settled.kind) {
    case "settled": {
      const row = await timings.span("db", () =>
        prisma.payment.update({
          where: { id: payment.id },
          data: { status: "settled", transaction: settled.transaction, settledAt: new Date(), error: null },
        }),
      );
      forgetSalesSummary(link.ownerId);
      return { payment: row, settlement: settlementOf(row), replay: false, ...receiptFor(link, row) };
    }
    case "refused":
      await timings.span("db", () => release(payment.id, link.id, settled.reason));
      throw paymentRequiredError(settled.reason, `${settled.message} You were not charged.`, {
        success: false,
        errorReason: settled.reason,
        transaction: "",
        network: requirements.network,
        payer: payment.payer,
      });
    case "unavailable":
      await timings.span("db", () => release(payment.id, link.id, "settlement_unavailable"));
      throw new AppError("unavailable", settled.message);
    case "pending":
      if (settled.transaction) {
        await prisma.payment.update({ where: { id: payment.id }, data: { transaction: settled.transaction } });
      }
      throw new AppError(
        "settlement_pending",
        "Your payment is being confirmed on chain. Retry the same request shortly; you will not be charged twice.",
      );
  }
}

type Reservation =
  | { kind: "reserved"; payment: Payment }
  | { kind: "lost_race"; payment: Payment }
  | { kind: "no_slot"; state: Exclude<ReturnType<typeof linkState>, "active"> };

class NoSlot extends Error {}

async function reserve(
  link: LinkForSale,
  decoded: DecodedPayment,
  key: { network: string; asset: string; payer: string; nonce: string },
  previous: Payment | null,
): Promise<Reservation> {
  const prisma = await db();
  try {
    const reserved = previous ? await rearmFailed(link, decoded, previous) : await insertAndClaim(link, decoded, key);
    if (reserved === "lost_race") throw new LostRace();
    if (reserved === "no_slot") throw new NoSlot();
    return { kind: "reserved", payment: reserved };
  } catch (error) {
    if (error instanceof NoSlot) {
      const fresh = await prisma.paymentLink.findUniqueOrThrow({ where: { id: link.id }, include: { object: true } });
      const state = linkState(fresh);
      return { kind: "no_slot", state: state === "active" ? "sold_out" : state };
    }
    if (isUniqueViolation(error) || error instanceof LostRace) {
      const current = await prisma.payment.findUniqueOrThrow({ where: { network_asset_payer_nonce: key } });
      return { kind: "lost_race", payment: current };
    }
    throw error;
  }
}

/**
 * Reserves a new authorization in ONE atomic statement: insert the `settling` payment (skipped on
 * a conflict with the (network, asset, payer, nonce) key), and only if it was inserted, claim a
 * purchase slot with a conditional UPDATE. A sold-out, revoked or expired link keeps its count and
 * the orphan row is removed.
 */
async function insertAndClaim(
  link: LinkForSale,
  decoded: DecodedPayment,
  key: { network: string; asset: string; payer: string; nonce: string },
): Promise<Payment | "lost_race" | "no_slot"> {
  const prisma = await db();
  const id = newId("pay");
  const rows = await prisma.$queryRaw<(Payment & { claimed: bigint })[]>`
    WITH ins AS (
      INSERT INTO "Payment" ("id", "linkId", "payer", "amount", "network", "asset", "nonce", "validBefore",
        "signature", "x402Version", "status", "createdAt", "updatedAt")
      VALUES (${id}, ${link.id}, ${key.payer}, ${link.amount}, ${key.network}, ${key.asset}, ${key.nonce},
        ${decoded.validBefore}, ${decoded.signature}, ${decoded.x402Version}, 'settling'::"PaymentStatus", now(), now())
      ON CONFLICT ("network", "asset", "payer", "nonce") DO NOTHING
      RETURNING *
    ), claim AS (
      UPDATE "PaymentLink" SET "purchaseCount" = "purchaseCount" + 1
      WHERE "id" = ${link.id} AND EXISTS (SELECT 1 FROM ins) AND "revokedAt" IS NULL AND "expiresAt" > now()
        AND ("maxPurchases" IS NULL OR "purchaseCount" < "maxPurchases")
      RETURNING "id"
    )
    SELECT ins.*, (SELECT count(*) FROM claim) AS "claimed" FROM ins`;
  const row = rows[0];
  if (!row) return "lost_race";
  if (row.claimed !== 1n) {
    await prisma.payment.delete({ where: { id } });
    return "no_slot";
  }
  const { claimed: _claimed, ...payment } = row;
  return payment;
}

/** Re-arms a `failed` row for a new settlement attempt of the same authorization. */
async function rearmFailed(link: LinkForSale, decoded: DecodedPayment, previous: Payment): Promise<Payment | "lost_race" | "no_slot"> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const updated = await tx.payment.updateMany({
      where: { id: previous.id, status: "failed" },
      data: { status: "settling", error: null, validBefore: decoded.validBefore, signature: decoded.signature },
    });
    if (updated.count !== 1) return "lost_race";
    const claimed = await tx.$executeRaw`
      UPDATE "PaymentLink" SET "purchaseCount" = "purchaseCount" + 1
      WHERE "id" = ${link.id} AND "revokedAt" IS NULL AND "expiresAt" > now()
        AND ("maxPurchases" IS NULL OR "purchaseCount" < "maxPurchases")`;
    if (claimed !== 1) throw new NoSlot();
    return tx.payment.findUniqueOrThrow({ where: { id: previous.id } });
  });
}

class LostRace extends Error {}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
