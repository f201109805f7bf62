import { z } from "zod";
import { json, parseJson, withPublic } from "@/lib/http";
import { bytesKept } from "@/lib/purchases/access";
import { purchase } from "@/lib/purchases/purchase";
import { purchaseErrorResponse, purchaseHeaders, purchaseJson } from "@/lib/purchases/responses";
import { goneError, loadLinkForSale } from "@/lib/purchases/sale";
import { clientIp } from "@/lib/rate-limit";
import { decodePayment } from "@/lib/x402/payment-header";

export const maxDuration = 300;

const body = z.object({
  slug: z.string().min(1).max(64),
  /** The `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1) header value: base64 JSON PaymentPayload. */
  payment: z.string().min(1).max(16_384),
});

/**
 * `POST /api/purchases` `{slug, payment}` — the pay page's purchase: the same use case as the gate
 * (verify, reserve, settle on chain). The pay page puts an x402 `payment-identifier` in the payload
 * and keeps it with the payload across reloads, so posting the same body again is idempotent: it
 * gets the same answer (and the file) back, and a lost response loses nothing.
 * 200 → `{payment: {id, status, transaction, transactionUrl, network, payer, amount (atomic)},
 * replay, receipt, offerReceipt (x402 offer-receipt, JWS), receiptExpiresAt, downloadUrl}` + the
 * receipt cookie and `PAYMENT-RESPONSE`.
 * Errors: 400 `invalid_request` / `invalid_payment_header`; 402 x402 body with `error` = reason;
 * 404; 409 `settlement_pending` (with the receipt cookie for the request that reserved the
 * payment: post again or download later), `authorization_used`, `payment_identifier_conflict`;
 * 403 `access_expired`; 410 `link_*` / `object_gone`; 429 `rate_limited`; 503 `unavailable`.
 */
export const POST = withPublic(async ({ req }) => {
  const input = await parseJson(req, body);
  const link = await loadLinkForSale(input.slug);
  if (!bytesKept(link.object)) throw goneError("object_gone");
  try {
    const outcome = await purchase(link, decodePayment(input.payment), { clientIp: clientIp(req.headers) });
    return json(await purchaseJson(link, outcome), { headers: await purchaseHeaders(link, outcome) });
  } catch (error) {
    const failure = await purchaseErrorResponse(link, error);
    if (failure) return failure;
    throw error;
  }
});
