import "server-only";
import { encodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentRequired, PaymentRequirements } from "@x402/core/types";
import type { PaymentRequiredV1, PaymentRequirementsV1 } from "@x402/core/types/v1";
import { declarePaymentIdentifierExtension, PAYMENT_IDENTIFIER } from "@x402/extensions/payment-identifier";
import type { NetworkConfig } from "@/lib/networks";

/** How long a buyer's authorization may stay valid (x402 `maxTimeoutSeconds`). */
export const MAX_TIMEOUT_SECONDS = 300;

/** The link fields that decide what a buyer must pay. */
export type SaleTerms = {
  amount: bigint;
  payTo: string;
  asset: string;
  network: NetworkConfig;
  /** Absolute URL of the resource (`/l/{slug}`). */
  url: string;
  description: string;
  mimeType: string;
};

/**
 * x402 v2 PaymentRequirements for a link (spec v2 §5.1): scheme `exact`, CAIP-2 `network`,
 * `amount` in atomic units, `asset` = the USDC contract, `extra` = its EIP-712 domain name/version.
 * Built only from the link row, so it is byte-identical on every request — the client echoes it
 * back as `accepted`, which must deep-equal it.
 */
export function requirementsV2(t: SaleTerms): PaymentRequirements {
  return {
    scheme: "exact",
    network: t.network.id,
    amount: t.amount.toString(),
    asset: t.asset,
    payTo: t.payTo,
    maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
    extra: { name: t.network.eip712.name, version: t.network.eip712.version },
  };
}

/**
 * x402 v1 PaymentRequirements (spec v1 §5.1.2): `maxAmountRequired` in atomic units and a v1
 * network name. Networks without a v1 name (e.g. a local chain on 31337) are advertised with
 * their CAIP-2 id, which v1 clients cannot pay; start the local chain with id 84532 for them.
 */
export function requirementsV1(t: SaleTerms): PaymentRequirementsV1 {
  return {
    scheme: "exact",
    network: (t.network.v1Name ?? t.network.id) as PaymentRequirementsV1["network"],
    maxAmountRequired: t.amount.toString(),
    resource: t.url,
    description: t.description,
    mimeType: t.mimeType,
    outputSchema: { input: { type: "http", method: "GET" } },
    payTo: t.payTo,
    maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
    asset: t.asset,
    extra: { name: t.network.eip712.name, version: t.network.eip712.version },
  };
}

/**
 * x402 v1 error reasons this server sends in a v1 body's `error` — the ones the `x402` v1 package's
 * schema (`x402ResponseSchema`, `ErrorReasons`) accepts. A v1 body may only carry one of these.
 */
export const V1_ERROR_REASONS = [
  "insufficient_funds",
  "invalid_exact_evm_payload_authorization_valid_after",
  "invalid_exact_evm_payload_authorization_valid_before",
  "invalid_exact_evm_payload_authorization_value",
  "invalid_exact_evm_payload_signature",
  "invalid_exact_evm_payload_undeployed_smart_wallet",
  "invalid_exact_evm_payload_recipient_mismatch",
  "invalid_network",
  "invalid_payload",
  "invalid_payment_requirements",
  "invalid_scheme",
  "invalid_payment",
  "payment_expired",
  "unsupported_scheme",
  "invalid_x402_version",
  "invalid_transaction_state",
  "unexpected_settle_error",
  "unexpected_verify_error",
  "duplicate_settlement",
] as const;
export type V1ErrorReason = (typeof V1_ERROR_REASONS)[number];

/** Our and x402 v2 reasons that have a v1 name other than themselves. */
const V1_EQUIVALENT: Record<string, V1ErrorReason> = {
  "No matching payment requirements": "invalid_payment_requirements",
  invalid_exact_evm_signature: "invalid_exact_evm_payload_signature",
  invalid_exact_evm_failed_to_parse_signature: "invalid_exact_evm_payload_signature",
  invalid_exact_evm_insufficient_balance: "insufficient_funds",
  invalid_exact_evm_recipient_mismatch: "invalid_exact_evm_payload_recipient_mismatch",
  invalid_exact_evm_authorization_value: "invalid_exact_evm_payload_authorization_value",
  invalid_exact_evm_payload_authorization_value_mismatch: "invalid_exact_evm_payload_authorization_value",
  invalid_exact_evm_network_mismatch: "invalid_network",
  invalid_exact_evm_scheme: "invalid_scheme",
  invalid_exact_evm_token_name_mismatch: "invalid_payment_requirements",
  invalid_exact_evm_token_version_mismatch: "invalid_payment_requirements",
  invalid_exact_evm_nonce_already_used: "invalid_transaction_state",
  invalid_exact_evm_transaction_simulation_failed: "invalid_transaction_state",
  invalid_exact_evm_transaction_failed: "invalid_transaction_state",
  invalid_exact_evm_transfer_event_mismatch: "invalid_transaction_state",
  invalid_exact_evm_missing_eip712_domain: "invalid_payment_requirements",
  eip6492_factory_not_allowed: "invalid_exact_evm_payload_undeployed_smart_wallet",
  asset_not_deployed_contract: "invalid_payment_requirements",
  unsupported_payload_type: "invalid_payload",
  authorization_already_used: "duplicate_settlement",
  authorization_cancelled: "invalid_transaction_state",
  authorization_not_settled: "invalid_transaction_state",
  payment_refunded: "invalid_transaction_state",
  settlement_unavailable: "unexpected_settle_error",
};

/**
 * The v1 body's `error` for a payment failure `reason` (facilitator reason, ours, or v2): itself
 * when v1 knows it, its v1 equivalent, else `invalid_payment`. A plain challenge (no `reason`) and
 * a refused Sign-In-With-X proof (not a payment failure) carry no v1 `error` (it is optional).
 */
export function v1ErrorReason(reason: string | undefined): V1ErrorReason | undefined {
  if (!reason || reason.startsWith("invalid_siwx") || reason.startsWith("siwx_")) return undefined;
  if ((V1_ERROR_REASONS as readonly string[]).includes(reason)) return reason as V1ErrorReason;
  return V1_EQUIVALENT[reason] ?? "invalid_payment";
}

/**
 * The 402 challenge: the v1 JSON body `{x402Version: 1, error?, accepts}` for v1 clients, and the
 * v2 PaymentRequired for the `PAYMENT-REQUIRED` header (base64 JSON via `@x402/core`'s codec).
 * v2 declares the `payment-identifier` extension (optional): a client that sends an id gets the
 * same answer for the same id and payload, which is how it collects a file after a lost response.
 * `extensions` adds the link's other declarations (lib/x402/challenge-extensions.ts:
 * `sign-in-with-x`, `offer-receipt`, `bazaar`). With `reason`, v2 `error` is that reason and v1
 * `error` its v1 name ({@link v1ErrorReason}).
 */
export function paymentRequired(
  t: SaleTerms,
  reason?: string,
  extensions: Record<string, unknown> = {},
): {
  bodyV1: PaymentRequiredV1;
  v2: PaymentRequired;
  headerV2: string;
} {
  const v2: PaymentRequired = {
    x402Version: 2,
    error: reason ?? "Payment required",
    resource: { url: t.url, description: t.description, mimeType: t.mimeType },
    accepts: [requirementsV2(t)],
    extensions: { [PAYMENT_IDENTIFIER]: declarePaymentIdentifierExtension(false), ...extensions },
  };
  const v1Error = v1ErrorReason(reason);
  const bodyV1: PaymentRequiredV1 = { x402Version: 1, ...(v1Error ? { error: v1Error } : {}), accepts: [requirementsV1(t)] };
  return { bodyV1, v2, headerV2: encodePaymentRequiredHeader(v2) };
}
