import { z } from "zod";
import { json, parseJson, withPublic } from "@/lib/http";
import { purchase } from "@/lib/purchases/purchase";
import { paymentFailureResponse, purchaseHeaders, purchaseJson } from "@/lib/purchases/responses";
import { goneError, linkState, loadLinkForSale } from "@/lib/purchases/sale";
import { decodePayment } from "@/lib/x402/payment-header";

export const maxDuration = 300;

const body = z.object({
  slug: z.string().min(1).max(64),
  /** The `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1) header value: base64 JSON PaymentPayload. */
  payment: z.string().min(1).max(16_384),
});

/**
 * `POST /api/purchases` `{slug, payment}` — the pay page's purchase: the same use case as the gate
 * (verify, reserve, settle on chain; a replay of a settled authorization is answered again).
 * 200 → `{payment: {id, status, transaction, transactionUrl, network, payer, amount (atomic)},
 * replay, receipt, receiptExpiresAt, downloadUrl}` + the receipt cookie and `PAYMENT-RESPONSE`.
 * Errors: 400 `invalid_request` / `invalid_payment_header`; 402 x402 body with `error` = reason;
 * 404; 409 `settlement_pending`; 410 `link_*` / `object_gone`.
 */
export const POST = withPublic(async ({ req }) => {
  const input = await parseJson(req, body);
  const link = await loadLinkForSale(input.slug);
  if (linkState(link) === "object_gone") throw goneError("object_gone");
  try {
    const outcome = await purchase(link, decodePayment(input.payment));
    return json(purchaseJson(link, outcome), { headers: purchaseHeaders(link, outcome) });
  } catch (error) {
    const failure = paymentFailureResponse(link, error);
    if (failure) return failure;
    throw error;
  }
});
