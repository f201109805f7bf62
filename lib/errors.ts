/**
 * One error table for the whole API (dub / documenso style). Every client-facing failure is an
 * `AppError` with a stable machine-readable `code`; the code alone decides the HTTP status.
 * Response body shape: `{ error: { code, message, details? } }`.
 */

export const ERROR_STATUS = {
  /** The request body, query or a header failed validation (zod). */
  invalid_request: 400,
  /** An x402 payment header (PAYMENT-SIGNATURE / X-PAYMENT) could not be decoded. */
  invalid_payment_header: 400,
  /** An uploaded ANS-104 DataItem is malformed or its signature does not verify. */
  invalid_data_item: 400,
  /** The upload has no bytes (nothing to sell); nothing was stored. */
  empty_file: 400,
  /** No session and no valid `Authorization: Bearer` API key. */
  unauthorized: 401,
  /** The SIWE message or signature was rejected (domain, nonce, expiry, signature). */
  siwe_invalid: 401,
  /** A Sign-In-With-X proof was rejected (malformed, wrong domain or link, too old, bad signature, nonce spent). */
  siwx_invalid: 401,
  /** Payment is required, or the presented payment was invalid or failed to settle (x402). */
  payment_required: 402,
  /** The caller is authenticated but may not do this. */
  forbidden: 403,
  /** A wallet proved itself (Sign-In-With-X) but has no purchase of this link that opens it. */
  no_purchase: 403,
  /** A buyer came back after the link's access window closed: a new purchase is needed. */
  access_expired: 403,
  /** The resource does not exist or is not the caller's (never reveals which). */
  not_found: 404,
  /** This authorization is already being settled; retry the same request shortly. */
  settlement_pending: 409,
  /**
   * A settled authorization presented again without what only its buyer holds (receipt, wallet
   * signature, payment-identifier): anything on chain is public, so it cannot re-open the file.
   */
  authorization_used: 409,
  /** A payment-identifier already used with another payment payload (x402 payment-identifier). */
  payment_identifier_conflict: 409,
  /** A conflicting write (for example a duplicate name). */
  conflict: 409,
  /** The payment link's expiry has passed. */
  link_expired: 410,
  /** The creator revoked the payment link. */
  link_revoked: 410,
  /** The link reached `maxPurchases`. */
  link_sold_out: 410,
  /** The object behind the link was deleted. */
  object_gone: 410,
  /** The upload exceeds MAX_UPLOAD_BYTES; nothing was stored. */
  payload_too_large: 413,
  /** The Range header cannot be satisfied for this object. */
  range_not_satisfiable: 416,
  /** Too many requests from this IP address or payer in the current window; see `Retry-After`. */
  rate_limited: 429,
  /** The request is well-formed but semantically wrong (e.g. unconfigured network). */
  unprocessable: 422,
  /** Unexpected failure on our side. The message never leaks internals. */
  internal_error: 500,
  /** The storage backend or the chain's RPC failed. */
  upstream_error: 502,
  /** A dependency is temporarily unavailable (storage, RPC, facilitator). */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** Shortcut for a 404 that never tells whether the thing exists for someone else. */
export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} not found.`);
}
