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
 * The 402 challenge: the v1 JSON body `{x402Version: 1, error, accepts}` for v1 clients, and the
 * v2 PaymentRequired for the `PAYMENT-REQUIRED` header (base64 JSON via `@x402/core`'s codec).
 * v2 declares the `payment-identifier` extension (optional): a client that sends an id gets the
 * same answer for the same id and payload, which is how it collects a file after a lost response.
 */
export function paymentRequired(t: SaleTerms, error = "Payment required"): {
  bodyV1: PaymentRequiredV1;
  v2: PaymentRequired;
  headerV2: string;
} {
  const v2: PaymentRequired = {
    x402Version: 2,
    error,
    resource: { url: t.url, description: t.description, mimeType: t.mimeType },
    accepts: [requirementsV2(t)],
    extensions: { [PAYMENT_IDENTIFIER]: declarePaymentIdentifierExtension(false) },
  };
  const bodyV1: PaymentRequiredV1 = { x402Version: 1, error, accepts: [requirementsV1(t)] };
  return { bodyV1, v2, headerV2: encodePaymentRequiredHeader(v2) };
}
