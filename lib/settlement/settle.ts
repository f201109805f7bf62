import "server-only";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import type { Address, Hex } from "viem";
import { publicClient } from "@/lib/chain";
import type { Payment } from "@/lib/generated/prisma/client";
import { authorizationContextKey, contextFor, newContext, withContext, type SettlementContext } from "@/lib/settlement/context";
import { postgresLedger } from "@/lib/settlement/ledger";
import { getNetwork } from "@/lib/networks";
import type { Eip3009Payment } from "@/lib/x402/evm-signer";
import { facilitator, isLocalFacilitator, settlementSigner } from "@/lib/x402/facilitator";

/**
 * What verifying an authorization told us (x402 spec §7.1 `/verify`).
 * - `valid`: the facilitator accepted it against these PaymentRequirements (signature, payee, amount,
 *   validity window, and — for the in-process facilitator — an on-chain simulation of the transfer).
 * - `invalid`: refused for a reason of the payment itself (`reason` is the x402 `invalidReason`).
 * - `unavailable`: the facilitator or the chain's RPC could not be asked (or failed while asked:
 *   a failed `eth_getCode` that x402 would report as an invalid signature); nothing was decided
 *   and nothing was sent, so the buyer retries (503), never "invalid".
 */
export type VerifyOutcome =
  | { kind: "valid" }
  | { kind: "invalid"; reason: string; message: string }
  | { kind: "unavailable"; message: string };

/**
 * What settling an authorization told us (x402 spec §7.2 `/settle`). Outcomes come from the chain,
 * never from an exception:
 * - `settled`: the payment's own transfer (EIP-3009 `transferWithAuthorization` with the `Transfer`
 *   of `amount` from the payer to `payTo` in its receipt, checked by `@x402/evm`) is on chain, in
 *   `transaction`.
 * - `refused`: certain that nothing of ours can charge the payer for this payment: nothing was
 *   broadcast (refused before any send), or — with `transaction` — the only transfer we broadcast
 *   is mined and reverted; `reason` is the x402 `errorReason`.
 * - `unavailable`: the facilitator, the RPC or our own settlement account (no gas) failed before
 *   anything was broadcast: nothing was charged; the same request can be retried (503).
 * - `pending`: a transaction was, or may have been, broadcast and its outcome is not known yet; the
 *   payment stays `settling` and the reconciler decides it from the chain.
 *
 * With the in-process facilitator "broadcast" is known exactly: every transaction Vend's signer
 * signs is recorded in the settlement ledger, tied to the payment, before it is sent, and each send's
 * answer is classified (lib/settlement/pipeline.ts). With a remote facilitator only its answer is
 * known, so anything but a refusal before sending is `pending`.
 */
export type SettleOutcome =
  | { kind: "settled"; transaction: Hex }
  | { kind: "refused"; reason: string; message: string; transaction?: Hex }
  | { kind: "unavailable"; message: string }
  | { kind: "pending"; transaction?: Hex };

/**
 * `@x402/evm` reasons its `settle` gives only from the checks it repeats before sending (never from
 * a failed send, which it parses into reasons such as `invalid_exact_evm_signature` even when the
 * transaction was mined and reverted): with one of these and no transaction, nothing was sent. Used
 * for a remote facilitator, whose sends we cannot see.
 */
const REFUSED_BEFORE_SEND = new Set([
  "invalid_exact_evm_scheme",
  "invalid_exact_evm_network_mismatch",
  "invalid_exact_evm_missing_eip712_domain",
  "invalid_exact_evm_recipient_mismatch",
  "invalid_exact_evm_payload_authorization_value_mismatch",
  "invalid_exact_evm_failed_to_parse_signature",
  "eip6492_factory_not_allowed",
  "asset_not_deployed_contract",
  "unsupported_payload_type",
]);

const UNAVAILABLE_VERIFY = "The payment could not be checked right now. Retry shortly; nothing was charged.";
const UNAVAILABLE_SETTLE = "The payment could not be settled right now. Retry shortly; nothing was charged.";

/**
 * Verifies a PaymentPayload against the link's PaymentRequirements through the facilitator.
 * A thrown facilitator error, or (in process) any RPC call that failed on the way, is
 * `unavailable` (503), never an invalid payment. In process, verify's two chain reads of an
 * EIP-3009 payment (the payer's code and the simulation) go out together in one round trip
 * (`prefetchVerification`, lib/x402/evm-signer.ts), and what verify read is kept for this
 * authorization's settle.
 */
export async function verifyAuthorization(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyOutcome> {
  const local = isLocalFacilitator();
  const key = authorizationContextKey(payload, requirements);
  const ctx = local ? contextFor(key, { keep: true }) : newContext();
  let response;
  try {
    response = await withContext(ctx, () => {
      const payment = payload.payload as Partial<Eip3009Payment>;
      if (local && payment.authorization && typeof payment.signature === "string") {
        settlementSigner(requirements.network)?.prefetchVerification(payment as Eip3009Payment, requirements.asset);
      }
      return facilitator().verify(payload, requirements);
    });
  } catch (error) {
    console.error("[vend] verify could not reach the facilitator or RPC", error);
    return { kind: "unavailable", message: UNAVAILABLE_VERIFY };
  }
  if (response.isValid) return { kind: "valid" };
  if (local) contextFor(key, { keep: false });
  const reason = response.invalidReason ?? "invalid_payment";
  if (ctx.rpcFailed) {
    console.error("[vend] verify: the RPC failed while checking the payment; answered unavailable instead of", reason);
    return { kind: "unavailable", message: UNAVAILABLE_VERIFY };
  }
  return { kind: "invalid", reason, message: response.invalidMessage ?? `The payment was rejected: ${reason}.` };
}

/**
 * Settles a reserved payment's authorization on chain through the facilitator and says what is
 * known of the outcome (see {@link SettleOutcome}). It writes nothing to the payment row: the
 * purchase use case records the outcome.
 */
export async function settleAuthorization(input: {
  payment: Payment;
  payload: PaymentPayload;
  requirements: PaymentRequirements;
}): Promise<SettleOutcome> {
  if (!isLocalFacilitator()) return settleRemote(input);
  const verified = contextFor(authorizationContextKey(input.payload, input.requirements), { keep: false });
  const ctx: SettlementContext = { ...newContext(), reads: verified.reads, simulated: verified.simulated, paymentId: input.payment.id };
  let response;
  let thrown: unknown;
  try {
    response = await withContext(ctx, () => facilitator().settle(input.payload, input.requirements));
  } catch (error) {
    thrown = error;
    console.error("[vend] settle threw; deciding from what was broadcast", input.payment.id, error);
  }
  if (response?.success && response.transaction) return { kind: "settled", transaction: response.transaction as Hex };
  if (!thrown && response?.errorReason === DEPLOYMENT_FAILED && (await deployedBySomeoneElse(input))) {
    // Another authorization of the same counterfactual account deployed it first, so our own
    // deployment reverted and no transfer was sent: settle again, as the deployed account it now is.
    const again: SettlementContext = { ...newContext(), paymentId: input.payment.id };
    thrown = undefined;
    try {
      response = await withContext(again, () => facilitator().settle(input.payload, input.requirements));
    } catch (error) {
      thrown = error;
      console.error("[vend] settle threw; deciding from what was broadcast", input.payment.id, error);
    }
    if (response?.success && response.transaction) return { kind: "settled", transaction: response.transaction as Hex };
    return outcomeOfAttempt(input.payment, again, response?.errorReason, thrown !== undefined);
  }
  return outcomeOfAttempt(input.payment, ctx, response?.errorReason, thrown !== undefined);
}

/** `@x402/evm`'s reason when the ERC-6492 factory call it sent before the transfer reverted. */
const DEPLOYMENT_FAILED = "smart_wallet_deployment_failed";

/** True when the payer's account has code now (deployed after our verify read it as empty). */
async function deployedBySomeoneElse(input: { payment: Payment; requirements: PaymentRequirements }): Promise<boolean> {
  const network = getNetwork(input.requirements.network);
  if (!network?.rpcUrl) return false;
  try {
    const code = await publicClient(network).getCode({ address: input.payment.payer as Address });
    return !!code && code !== "0x";
  } catch {
    return false;
  }
}

/** Decides a settle that did not succeed from what this attempt (and any earlier one) broadcast. */
async function outcomeOfAttempt(
  payment: Payment,
  ctx: SettlementContext,
  errorReason: string | undefined,
  threw: boolean,
): Promise<SettleOutcome> {
  const transfers = ctx.submissions.filter((s) => s.kind === "transfer");
  const possiblyOnChain = transfers.filter((s) => s.delivery !== "refused");
  const earlier = (await postgresLedger.ofPayment(payment.id)).filter(
    (tx) => tx.kind === "transfer" && tx.status === "pending" && !transfers.some((s) => s.hash === tx.hash),
  );
  const last = [...possiblyOnChain, ...earlier].at(-1)?.hash;
  if (earlier.length > 0) return { kind: "pending", transaction: last };
  if (possiblyOnChain.length === 0) {
    if (threw || ctx.rpcFailed || ctx.signerFailed || transfers.length > 0) {
      const why = transfers.at(-1)?.reason ?? errorReason ?? "an RPC call failed";
      console.error("[vend] settle: nothing was broadcast for", payment.id, "—", why);
      return { kind: "unavailable", message: UNAVAILABLE_SETTLE };
    }
    const reason = errorReason ?? "settle_failed";
    return { kind: "refused", reason, message: `The payment was refused before anything was sent (${reason}).` };
  }
  if (possiblyOnChain.every((s) => s.delivery === "accepted" && s.receipt === "reverted")) {
    return {
      kind: "refused",
      reason: errorReason ?? "invalid_exact_evm_transaction_failed",
      message: "The settlement transaction failed on chain and moved nothing.",
      transaction: last,
    };
  }
  return { kind: "pending", transaction: last };
}

/** A remote facilitator: only its answer is known. A thrown error is `pending` (a send may have landed). */
async function settleRemote(input: { payment: Payment; payload: PaymentPayload; requirements: PaymentRequirements }): Promise<SettleOutcome> {
  let response;
  try {
    response = await facilitator().settle(input.payload, input.requirements);
  } catch (error) {
    console.error("[vend] settle threw; the payment stays settling for the reconciler", input.payment.id, error);
    return { kind: "pending" };
  }
  const transaction = response.transaction ? (response.transaction as Hex) : undefined;
  if (response.success && transaction) return { kind: "settled", transaction };
  const reason = response.errorReason ?? "settle_failed";
  if (!transaction && REFUSED_BEFORE_SEND.has(reason)) {
    return { kind: "refused", reason, message: `The payment was refused before anything was sent (${reason}).` };
  }
  return { kind: "pending", transaction };
}
