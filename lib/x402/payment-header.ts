import "server-only";
import { createHash } from "node:crypto";
import { decodePaymentSignatureHeader } from "@x402/core/http";
import { parsePaymentPayload } from "@x402/core/schemas";
import type { PaymentPayload } from "@x402/core/types";
import { hasPaymentIdentifier, PAYMENT_IDENTIFIER, validatePaymentIdentifier } from "@x402/extensions/payment-identifier";
import { getAddress, type Address, type Hex } from "viem";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/** Request header names: v2 `PAYMENT-SIGNATURE`, v1 `X-PAYMENT` (x402 transports-v1/v2 http.md). */
export const PAYMENT_SIGNATURE = "payment-signature";
export const X_PAYMENT = "x-payment";

/** The EIP-3009 authorization inside an `exact` EVM payload (x402 scheme_exact_evm §). */
const authorizationSchema = z.object({
  from: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  to: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  value: z.string().regex(/^\d{1,78}$/),
  validAfter: z.string().regex(/^\d{1,78}$/),
  validBefore: z.string().regex(/^\d{1,78}$/),
  nonce: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
});
const exactPayloadSchema = z.object({
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/),
  authorization: authorizationSchema,
});

/** A decoded, shape-checked payment. */
export type DecodedPayment = {
  /** The PaymentPayload as sent (v1 or v2), passed unchanged to the facilitator. */
  payload: PaymentPayload;
  x402Version: 1 | 2;
  /** The network the payload claims: CAIP-2 (`accepted.network`) for v2, a v1 name for v1. */
  claimedNetwork: string;
  payer: Address;
  nonce: Hex;
  value: bigint;
  validBefore: bigint;
  signature: Hex;
  /**
   * The x402 `payment-identifier` extension's id (v2 only; 16–128 characters): the buyer's
   * idempotency key. It never goes on chain, so only the buyer who sent it knows it.
   */
  paymentIdentifier: string | null;
  /** SHA-256 (hex) of the payload in canonical JSON: "the same payload" for idempotency. */
  payloadHash: string;
};

/** The raw payment header of a request: `PAYMENT-SIGNATURE` first, then `X-PAYMENT`; null if none. */
export function readPaymentHeader(headers: Headers): string | null {
  return headers.get(PAYMENT_SIGNATURE) ?? headers.get(X_PAYMENT);
}

/**
 * Decodes a `PAYMENT-SIGNATURE` / `X-PAYMENT` value with `@x402/core`'s codec and schema, and
 * checks that it carries an EIP-3009 `exact` authorization.
 * @throws AppError `invalid_payment_header` (400) when it is not base64 JSON, not a PaymentPayload,
 *   or not an exact-EVM EIP-3009 payload.
 */
export function decodePayment(raw: string): DecodedPayment {
  let decoded: unknown;
  try {
    decoded = decodePaymentSignatureHeader(raw.trim());
  } catch {
    throw new AppError("invalid_payment_header", "The payment header is not base64-encoded JSON.");
  }
  const parsed = parsePaymentPayload(decoded);
  if (!parsed.success) {
    throw new AppError("invalid_payment_header", "The payment header is not a valid x402 PaymentPayload.", {
      issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    });
  }
  // v1 and v2 payloads travel the same way: the facilitator dispatches on `x402Version`.
  const payload = parsed.data as PaymentPayload;
  const exact = exactPayloadSchema.safeParse(payload.payload);
  if (!exact.success) {
    throw new AppError(
      "invalid_payment_header",
      "The payment is not an EIP-3009 `exact` authorization (payload.authorization and payload.signature).",
    );
  }
  const { authorization, signature } = exact.data;
  const x402Version = payload.x402Version === 1 ? 1 : 2;
  let paymentIdentifier: string | null = null;
  if (x402Version === 2 && hasPaymentIdentifier(payload)) {
    // x402's validator, on the extension's `info` only: given the `schema` the payer echoed back,
    // it would compile that client-supplied JSON schema with a fresh Ajv on every payment (5–10 ms
    // of CPU each, and a schema of the client's choosing). The schema is ours (the 402 declares it);
    // the id's format is fixed and checked here.
    const info = (payload.extensions?.[PAYMENT_IDENTIFIER] as { info?: unknown } | undefined)?.info;
    const validation = validatePaymentIdentifier({ info });
    if (!validation.valid) {
      throw new AppError("invalid_payment_header", "The payment-identifier extension is malformed.", {
        issues: validation.errors ?? ["the id must be 16–128 characters: letters, digits, - and _"],
      });
    }
    paymentIdentifier = (info as { id?: string }).id ?? null;
  }
  const claimedNetwork =
    x402Version === 2
      ? String((payload as { accepted?: { network?: string } }).accepted?.network ?? "")
      : String((payload as { network?: string }).network ?? "");
  return {
    payload,
    x402Version,
    claimedNetwork,
    payer: getAddress(authorization.from),
    nonce: authorization.nonce.toLowerCase() as Hex,
    value: BigInt(authorization.value),
    validBefore: BigInt(authorization.validBefore),
    signature: signature as Hex,
    paymentIdentifier,
    payloadHash: createHash("sha256").update(canonicalJson(payload)).digest("hex"),
  };
}

/** JSON with object keys sorted at every level, so equal payloads serialize to equal strings. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
