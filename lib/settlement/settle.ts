import "server-only";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import type { Hex } from "viem";
import type { Payment } from "@/lib/generated/prisma/client";
import { facilitator } from "@/lib/x402/facilitator";

/**
 * What verifying an authorization told us (x402 spec §7.1 `/verify`).
 * - `valid`: the facilitator accepted it against these PaymentRequirements (signature, payee, amount,
 *   validity window, and — for the in-process facilitator — an on-chain simulation of the transfer).
 * - `invalid`: refused for a reason of the payment itself (`reason` is the x402 `invalidReason`).
 * - `unavailable`: the facilitator or the chain's RPC could not be asked; nothing was decided and
 *   nothing was sent, so the buyer retries (503), never "invalid".
 */
export type VerifyOutcome =
  | { kind: "valid" }
  | { kind: "invalid"; reason: string; message: string }
  | { kind: "unavailable"; message: string };

/**
 * What settling an authorization told us (x402 spec §7.2 `/settle`). Outcomes come from the chain,
 * never from an exception:
 * - `settled`: the payment's own transfer (EIP-3009 `AuthorizationUsed(payer, nonce)` with the
 *   `Transfer` of `amount` to `payTo` in the same transaction) is on chain, in `transaction`.
 * - `refused`: certain that nothing was broadcast for this payment (refused before any send), so
 *   nothing can have been charged by us; `reason` is the x402 `errorReason`.
 * - `unavailable`: the facilitator or RPC could not be reached before anything was broadcast:
 *   nothing was charged; the same request can be retried (503).
 * - `pending`: a transaction was, or may have been, broadcast and its outcome is not known yet; the
 *   payment stays `settling` and the reconciler decides it from the chain.
 */
export type SettleOutcome =
  | { kind: "settled"; transaction: Hex }
  | { kind: "refused"; reason: string; message: string }
  | { kind: "unavailable"; message: string }
  | { kind: "pending"; transaction?: Hex };

/**
 * `@x402/evm` reasons its `settle` gives only from the checks it repeats before sending (never from
 * a failed send, which it parses into reasons such as `invalid_exact_evm_signature` even when the
 * transaction was mined and reverted): with one of these and no transaction, nothing was sent.
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

/**
 * Verifies a PaymentPayload against the link's PaymentRequirements through the facilitator.
 * A thrown facilitator or RPC error is `unavailable` (503), not an invalid payment.
 */
export async function verifyAuthorization(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyOutcome> {
  let response;
  try {
    response = await facilitator().verify(payload, requirements);
  } catch (error) {
    console.error("[vend] verify could not reach the facilitator or RPC", error);
    return { kind: "unavailable", message: "The payment could not be checked right now. Retry shortly; nothing was charged." };
  }
  if (response.isValid) return { kind: "valid" };
  const reason = response.invalidReason ?? "invalid_payment";
  return { kind: "invalid", reason, message: response.invalidMessage ?? `The payment was rejected: ${reason}.` };
}

/**
 * Settles a reserved payment's authorization on chain through the facilitator and says what is
 * known of the outcome (see {@link SettleOutcome}). It writes nothing to the payment row: the
 * purchase use case records the outcome. A thrown error is `pending` (a send may have landed).
 */
export async function settleAuthorization(input: {
  payment: Payment;
  payload: PaymentPayload;
  requirements: PaymentRequirements;
}): Promise<SettleOutcome> {
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
