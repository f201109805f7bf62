import "server-only";
import type { PaymentRequirements, SettleResponse } from "@x402/core/types";
import { deepEqual } from "@x402/core/utils";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Payment } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { consume, purchaseLimits } from "@/lib/rate-limit";
import { settleAuthorization, verifyAuthorization } from "@/lib/settlement/settle";
import { Timings } from "@/lib/timing";
import type { DecodedPayment } from "@/lib/x402/payment-header";
import { MAX_TIMEOUT_SECONDS, requirementsV1, requirementsV2 } from "@/lib/x402/requirements";
import { accessOf, type Access } from "@/lib/purchases/access";
import { reconcilePayment } from "@/lib/purchases/reconcile";
import { signReceipt } from "@/lib/purchases/receipts";
import { release } from "@/lib/purchases/release";
import { forgetSalesSummary } from "@/lib/sales/sales-summary";
import { forgetLinks, goneError, linkState, offerFor, saleOffers, type LinkForSale } from "@/lib/purchases/sale";

/**
 * A purchase: one EIP-3009 authorization turned into a settled on-chain transfer, exactly once
 * (ARCHITECTURE §1, steps 5–9). Shared by the gate (`GET /l/{slug}`) and `POST /api/purchases`.
 *
 * Guarantees:
 * - nothing is delivered before the payment's own transfer is settled on chain;
 * - an authorization (network, asset, payer, nonce) is reserved in the database *before* it is
 *   settled, so concurrent or repeated submissions settle at most once (and the token itself
 *   refuses a second use of the authorization);
 * - anything readable from the chain — payer, nonce, signature, the whole authorization rebuilt from
 *   calldata — never re-opens a file: an authorization seen before answers only the request that
 *   holds its `payment-identifier` (x402 extension, never on chain); everyone else gets
 *   `authorization_used` (409) or `settlement_pending` (409) and is told how a buyer gets back in
 *   (their receipt, a wallet signature, or that identifier), inside the access window only;
 * - the request that reserves a payment gets its receipt even when the outcome is still pending, so
 *   it, and only it, collects the file once the chain settles it;
 * - an outcome comes from the chain, never from an exception (lib/settlement): a definite refusal
 *   before anything was sent releases the purchase slot and says "you were not charged"; a send
 *   that may have landed stays `settling` for the reconciler.
 */

/** Outcome of a successful purchase, or of a buyer's own idempotent retry. */
export type PurchaseOutcome = {
  payment: Payment;
  /** The settlement as sent in `PAYMENT-RESPONSE` / `X-PAYMENT-RESPONSE`. */
  settlement: SettleResponse;
  /** True when this authorization had already been settled (no new transfer happened). */
  replay: boolean;
  /** Receipt token re-opening the download (see lib/purchases/access.ts). */
  receipt: string;
  /** When the receipt cookie lapses (unix seconds): the end of the access window. */
  receiptExpiresAt: number;
};

/**
 * Details of a 402 answer: `reason` is the x402 error string (facilitator `invalidReason`,
 * `errorReason`, or ours); `settlement` is set when settlement itself was refused.
 */
export type PaymentFailure = { reason: string; settlement?: SettleResponse };

/**
 * Details of a 409 `settlement_pending` answer. `receipt` is present only for the request that
 * holds the payment (it reserved it, or sent its payment-identifier): it collects the file later.
 */
export type PendingDetails = { paymentId?: string; receipt?: string; receiptExpiresAt?: number };

/** How far past `maxTimeoutSeconds` a `validBefore` may reach, for clocks that disagree. */
export const VALID_BEFORE_SKEW_SECONDS = 30;

function paymentRequiredError(reason: string, message: string, settlement?: SettleResponse): AppError {
  return new AppError("payment_required", message, { reason, settlement } satisfies PaymentFailure);
}

const HOW_TO_GET_BACK_IN =
  "Get back in with what only you hold: the receipt this server gave you (cookie or X-Vend-Receipt), a " +
  "wallet signature (SIGN-IN-WITH-X, or “Already paid?” on the pay page), or the same request again with the " +
  "payment-identifier you sent the first time.";

/** The settlement response for a settled payment row (identical on every idempotent retry). */
export function settlementOf(payment: Payment): SettleResponse {
  return {
    success: true,
    transaction: payment.transaction ?? "",
    network: payment.network as SettleResponse["network"],
    payer: payment.payer,
  };
}

/** A receipt for `payment`, lapsing at the end of its access window (estimated while settling). */
export function receiptFor(link: LinkForSale, payment: Payment): { receipt: string; receiptExpiresAt: number } {
  const from = payment.settledAt ?? new Date(payment.createdAt.getTime() + MAX_TIMEOUT_SECONDS * 1000);
  const receiptExpiresAt = Math.floor(from.getTime() / 1000) + link.accessSeconds;
  return {
    receipt: signReceipt({ paymentId: payment.id, linkId: link.id, expiresAt: receiptExpiresAt }),
    receiptExpiresAt,
  };
}

function pendingError(link: LinkForSale, payment: Payment | null, holder: boolean): AppError {
  if (holder && payment) {
    return new AppError(
      "settlement_pending",
      "Your payment is being confirmed on chain. Retry the same request shortly (or download with your " +
        "receipt); you will not be charged twice.",
      { paymentId: payment.id, ...receiptFor(link, payment) } satisfies PendingDetails,
    );
  }
  return new AppError(
    "settlement_pending",
    `This authorization is being settled on chain. ${HOW_TO_GET_BACK_IN}`,
    {} satisfies PendingDetails,
  );
}

/**
 * The requirements this payment must satisfy, in the payload's protocol version, on the one of the
 * link's networks it pays on.
 * v2: `accepted` must deep-equal one entry we advertise (x402 v2: the server rebuilds and compares).
 * v1: the network must have a v1 name, and scheme and network name must match.
 * @throws AppError `payment_required` (402) when the payload targets other terms.
 */
function matchRequirements(link: LinkForSale, decoded: DecodedPayment): PaymentRequirements {
  const offers = saleOffers(link);
  if (decoded.x402Version === 2) {
    const accepted = (decoded.payload as { accepted?: unknown }).accepted;
    const requirements = offers.map(requirementsV2).find((r) => deepEqual(accepted, r));
    if (!requirements) {
      throw paymentRequiredError(
        "No matching payment requirements",
        "The payment does not match this link's terms (network, asset, amount or payee).",
      );
    }
    return requirements;
  }
  const terms = offers.find((t) => t.network.v1Name === decoded.claimedNetwork) ?? offers[0]!;
  if (!terms.network.v1Name) {
    throw paymentRequiredError(
      "invalid_network",
      `${terms.network.name} (${terms.network.id}) has no x402 v1 network name: pay with x402 v2 (PAYMENT-SIGNATURE).`,
    );
  }
  const v1 = requirementsV1(terms);
  const scheme = (decoded.payload as { scheme?: string }).scheme;
  if (scheme !== "exact" || decoded.claimedNetwork !== v1.network) {
    throw paymentRequiredError("invalid_network", `This link is paid with the exact scheme on ${v1.network}.`);
  }
  return v1 as unknown as PaymentRequirements;
}

/**
 * Refuses an authorization that stays valid longer than the challenge allows (`maxTimeoutSeconds`
 * plus {@link VALID_BEFORE_SKEW_SECONDS}), before any database or chain work: a stuck authorization
 * must not hold a purchase slot or a buyer's money in limbo, and every chain integer we store must
 * fit its column (this bound keeps `validBefore` far inside BIGINT).
 */
function checkValidityWindow(decoded: DecodedPayment, now = Date.now()): void {
  const latest = BigInt(Math.floor(now / 1000) + MAX_TIMEOUT_SECONDS + VALID_BEFORE_SKEW_SECONDS);
  if (decoded.validBefore > latest) {
    throw paymentRequiredError(
      "invalid_exact_evm_payload_authorization_valid_before",
      `The authorization must expire within ${MAX_TIMEOUT_SECONDS} s (maxTimeoutSeconds); sign a new one.`,
    );
  }
}

/**
 * Runs a purchase for a decoded payment on a link loaded for sale.
 * @param opts.clientIp - for the per-IP rate limit (lib/rate-limit.ts).
 * @returns the settled payment and its receipt (new, or the buyer's own idempotent retry).
 * @throws AppError: `payment_required` (402, details {@link PaymentFailure}) when the payment is
 *   invalid, does not match, or was refused before anything was sent (then nothing was charged);
 *   `settlement_pending` (409, details {@link PendingDetails}) while the chain has not decided;
 *   `authorization_used` (409) for a settled authorization presented without its identifier;
 *   `payment_identifier_conflict` (409); `access_expired` (403); `rate_limited` (429);
 *   `unavailable` (503) when the chain or facilitator cannot be reached (nothing was charged);
 *   `link_expired` / `link_revoked` / `link_sold_out` / `object_gone` (410) when the link cannot sell.
 */
export async function purchase(
  link: LinkForSale,
  decoded: DecodedPayment,
  opts: { timings?: Timings; clientIp?: string } = {},
): Promise<PurchaseOutcome> {
  const timings = opts.timings ?? new Timings();
  checkValidityWindow(decoded);
  const { network, asset } = offerFor(link, decoded.claimedNetwork);
  const key = { network, asset, payer: decoded.payer, nonce: decoded.nonce };
  const state = linkState(link);
  const requirements = state === "active" ? matchRequirements(link, decoded) : null;

  // Step 6 (an authorization or identifier seen before) beside step 7 (verify) and the rate limit:
  // the database answers long before the chain, and a known payment never waits for the verdict.
  const verifying = requirements
    ? timings.span("verify", () => verifyAuthorization(decoded.payload, requirements))
    : null;
  verifying?.catch(() => undefined);
  const seen = await timings.span("db", () => findSeen(key, decoded.paymentIdentifier));
  let earlier = classifySeen(seen, key, decoded);
  // A `failed` row the chain has not proven final (an old verdict from an exception) is asked again.
  if (earlier?.payment.status === "failed") earlier = { ...earlier, payment: await reconcilePayment(earlier.payment) };
  if (earlier && earlier.payment.status !== "failed") return answerSeen(link, earlier);

  // Step 2 (for new payments): only an active link sells.
  if (state !== "active") throw goneError(state);
  if (!requirements || !verifying) throw new Error("unreachable: an active link always has requirements");
  await timings.span("db", () => consume(purchaseLimits(opts.clientIp ?? "unknown", decoded.payer)));
  const verification = await verifying;
  if (verification.kind === "unavailable") throw new AppError("unavailable", verification.message);
  if (verification.kind === "invalid") {
    // A copy that lost the race to one that has already settled: the chain now says "used", but this
    // is the same authorization, so it gets the same answer as any other copy (its holder the file).
    const late = classifySeen(await findSeen(key, decoded.paymentIdentifier), key, decoded);
    if (late && late.payment.status !== "failed") return answerSeen(link, late);
    throw paymentRequiredError(verification.reason, verification.message);
  }

  // Step 8: reserve the authorization (and the identifier) and claim a purchase slot before settling.
  const reserved = await timings.span("db", () => reserve(link, decoded, key, earlier?.payment ?? null));
  if (reserved.kind === "lost_race") {
    const again = classifySeen(await findSeen(key, decoded.paymentIdentifier), key, decoded);
    if (again) return answerSeen(link, again);
    throw pendingError(link, null, false);
  }
  forgetLinks(link.slug);
  if (reserved.kind === "no_slot") throw goneError(reserved.state);
  return settleReserved(link, reserved.payment, decoded, requirements, timings);
}

/** Step 9: settle a reserved payment on chain and record what the chain says. */
async function settleReserved(
  link: LinkForSale,
  payment: Payment,
  decoded: DecodedPayment,
  requirements: PaymentRequirements,
  timings: Timings,
): Promise<PurchaseOutcome> {
  const prisma = await db();
  const settled = await timings.span("settle", () =>
    settleAuthorization({ payment, payload: decoded.payload, requirements }),
  );
  switch (settled.kind) {
    case "settled": {
      let row: Payment;
      try {
        row = await timings.span("db", () =>
          prisma.payment.update({
            where: { id: payment.id },
            data: { status: "settled", transaction: settled.transaction, settledAt: new Date(), error: null },
          }),
        );
      } catch (error) {
        // The transfer is on chain but the row could not be written: the reconciler records it from
        // the chain later; this buyer holds the receipt that opens the file once it does.
        console.error("[vend] settled on chain but not recorded; left for the reconciler", payment.id, error);
        throw pendingError(link, { ...payment, transaction: settled.transaction }, true);
      }
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
        await prisma.payment
          .updateMany({ where: { id: payment.id, status: "settling" }, data: { transaction: settled.transaction } })
          .catch((error: unknown) => console.error("[vend] could not note the pending transaction", payment.id, error));
      }
      throw pendingError(link, payment, true);
  }
}

/** An earlier payment matching this request, and whether this request holds it. */
type Seen = { payment: Payment; holder: boolean };

/**
 * Payments already recorded for this authorization key or for this payment-identifier, in one query.
 */
async function findSeen(key: { network: string; asset: string; payer: string; nonce: string }, identifier: string | null): Promise<Payment[]> {
  const prisma = await db();
  return prisma.payment.findMany({
    where: {
      OR: [{ network: key.network, asset: key.asset, payer: key.payer, nonce: key.nonce }, ...(identifier ? [{ paymentIdentifier: identifier }] : [])],
    },
    take: 2,
  });
}

/**
 * Decides who this request is to the payments found: the holder of one (the same authorization,
 * with the same payment-identifier and the same payload), a stranger replaying an authorization
 * (anything on chain is public), or someone reusing an identifier with another payload (409).
 */
function classifySeen(
  rows: Payment[],
  key: { network: string; asset: string; payer: string; nonce: string },
  decoded: DecodedPayment,
): Seen | null {
  const byKey = rows.find((p) => p.network === key.network && p.asset === key.asset && p.payer === key.payer && p.nonce === key.nonce);
  const byId = decoded.paymentIdentifier ? rows.find((p) => p.paymentIdentifier === decoded.paymentIdentifier) : undefined;
  if (byId && (byId !== byKey || byId.payloadHash !== decoded.payloadHash)) {
    throw new AppError(
      "payment_identifier_conflict",
      "This payment-identifier was already used with another payment. Use a new identifier for a new payment.",
    );
  }
  if (!byKey) return null;
  return { payment: byKey, holder: !!byId };
}

/**
 * The answer to an authorization seen before (not a failed one: that one is retried as new).
 * Only its holder is answered with the payment (the same settlement, a receipt, the file, inside the
 * access window); a stranger learns the state and how a buyer gets back in, nothing more.
 */
async function answerSeen(link: LinkForSale, seen: Seen): Promise<PurchaseOutcome> {
  const { payment, holder } = seen;
  if (payment.linkId !== link.id) {
    throw paymentRequiredError("authorization_already_used", "This authorization was already used for another link.");
  }
  if (payment.status === "cancelled") {
    throw paymentRequiredError("authorization_cancelled", "The payer cancelled this authorization. Sign a new one to buy.");
  }
  if (payment.status === "refunded") {
    throw paymentRequiredError("payment_refunded", "This payment was refunded. Sign a new authorization to buy again.");
  }
  if (!holder) {
    if (payment.status === "settling") throw pendingError(link, payment, false);
    throw new AppError(
      "authorization_used",
      `This authorization has already paid for this link, and anything on a public chain is public, so it ` +
        `cannot open the file by itself. ${HOW_TO_GET_BACK_IN}`,
    );
  }
  const access: Access = await accessOf(link, payment);
  switch (access.kind) {
    case "open":
      return {
        payment: access.payment,
        settlement: settlementOf(access.payment),
        replay: true,
        ...receiptFor(link, access.payment),
      };
    case "pending":
      throw pendingError(link, access.payment, true);
    case "closed":
      switch (access.reason) {
        case "object_gone":
          throw goneError("object_gone");
        case "access_expired":
          throw new AppError("access_expired", "Your access window for this link has ended. Sign a new authorization to buy again.");
        case "refunded":
          throw paymentRequiredError("payment_refunded", "This payment was refunded. Sign a new authorization to buy again.");
        case "not_paid":
          throw paymentRequiredError(
            access.payment.status === "cancelled" ? "authorization_cancelled" : "authorization_not_settled",
            "This authorization can no longer be settled, and you were not charged for it. Sign a new one to buy.",
          );
      }
  }
}

type Reservation =
  | { kind: "reserved"; payment: Payment }
  | { kind: "lost_race" }
  | { kind: "no_slot"; state: Exclude<ReturnType<typeof linkState>, "active"> };

class NoSlot extends Error {}
class LostRace extends Error {}

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
    if (isUniqueViolation(error) || error instanceof LostRace) return { kind: "lost_race" };
    throw error;
  }
}

/**
 * Reserves a new authorization in ONE atomic statement: insert the `settling` payment (skipped on
 * a conflict with the (network, asset, payer, nonce) key or the payment-identifier), and only if it
 * was inserted, claim a purchase slot with a conditional UPDATE that re-checks, on the fresh row,
 * that the link still sells and its object is not deleted. When no slot is claimed the orphan row
 * is removed.
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
        "signature", "x402Version", "paymentIdentifier", "payloadHash", "status", "createdAt", "updatedAt")
      VALUES (${id}, ${link.id}, ${key.payer}, ${link.amount}, ${key.network}, ${key.asset}, ${key.nonce},
        ${decoded.validBefore}, ${decoded.signature}, ${decoded.x402Version}, ${decoded.paymentIdentifier},
        ${decoded.payloadHash}, 'settling'::"PaymentStatus", now(), now())
      ON CONFLICT DO NOTHING
      RETURNING *
    ), claim AS (
      UPDATE "PaymentLink" SET "purchaseCount" = "purchaseCount" + 1
      WHERE "id" = ${link.id} AND EXISTS (SELECT 1 FROM ins) AND "revokedAt" IS NULL AND "expiresAt" > now()
        AND ("maxPurchases" IS NULL OR "purchaseCount" < "maxPurchases")
        AND EXISTS (SELECT 1 FROM "StoredObject" o WHERE o."id" = "PaymentLink"."objectId" AND o."deletedAt" IS NULL)
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

/**
 * Re-arms a `failed` row for a new settlement attempt of the same authorization (a failure that
 * sent nothing, or one the chain proved final — then verification has already refused it), with
 * this request's identifier and payload.
 */
async function rearmFailed(link: LinkForSale, decoded: DecodedPayment, previous: Payment): Promise<Payment | "lost_race" | "no_slot"> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const updated = await tx.payment.updateMany({
      where: { id: previous.id, status: "failed" },
      data: {
        status: "settling",
        error: null,
        validBefore: decoded.validBefore,
        signature: decoded.signature,
        paymentIdentifier: decoded.paymentIdentifier,
        payloadHash: decoded.payloadHash,
      },
    });
    if (updated.count !== 1) return "lost_race";
    const claimed = await tx.$executeRaw`
      UPDATE "PaymentLink" SET "purchaseCount" = "purchaseCount" + 1
      WHERE "id" = ${link.id} AND "revokedAt" IS NULL AND "expiresAt" > now()
        AND ("maxPurchases" IS NULL OR "purchaseCount" < "maxPurchases")
        AND EXISTS (SELECT 1 FROM "StoredObject" o WHERE o."id" = "PaymentLink"."objectId" AND o."deletedAt" IS NULL)`;
    if (claimed !== 1) throw new NoSlot();
    return tx.payment.findUniqueOrThrow({ where: { id: previous.id } });
  });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
