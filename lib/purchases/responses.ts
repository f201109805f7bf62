import "server-only";
import { encodePaymentResponseHeader } from "@x402/core/http";
import type { SettleResponse } from "@x402/core/types";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import type { PaymentFailure, PendingDetails, PurchaseOutcome } from "@/lib/purchases/purchase";
import { RECEIPT_HEADER, receiptCookie, receiptCookieName } from "@/lib/purchases/receipts";
import { saleTerms, type LinkForSale } from "@/lib/purchases/sale";
import { getNetwork } from "@/lib/networks";
import { challengeExtensions } from "@/lib/x402/challenge-extensions";
import { receiptExtensions, receiptFacts, signedReceipt } from "@/lib/x402/offer-receipt";
import { paymentRequired, requirementsV2 } from "@/lib/x402/requirements";

/** Headers a browser script may read on our responses (x402 + receipts + timings). */
export const EXPOSED_HEADERS =
  "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE, X-Vend-Receipt, Server-Timing, Content-Range, Content-Disposition, Retry-After";

/** Request headers an x402 client on another origin may send to the gate. */
const ALLOWED_HEADERS = "PAYMENT-SIGNATURE, X-PAYMENT, X-Vend-Receipt, SIGN-IN-WITH-X, Range, Content-Type";

/**
 * CORS for the gate (Fetch standard §3.2): any origin may read the 402 and pay from a browser x402
 * client, with the x402 headers allowed and exposed. Credentials are never allowed cross-origin, so
 * the receipt cookie is not sent by other sites; such clients use `X-Vend-Receipt` instead.
 */
export function withGateCors(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", "*");
  headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  headers.append("Vary", "Origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The answer to a CORS preflight for the gate: `GET` with the x402 headers, cached for a day. */
export function gatePreflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": ALLOWED_HEADERS,
      "Access-Control-Max-Age": "86400",
    },
  });
}

/**
 * True when the client is a browser that should see the pay page: its Accept header lists
 * `text/html` (curl, fetch and x402 clients send `*\/*` or JSON).
 */
export function wantsHtml(req: NextRequest): boolean {
  return /\btext\/html\b/.test(req.headers.get("accept") ?? "");
}

/** The receipt presented with a request: `?receipt=`, the `X-Vend-Receipt` header, or the cookie. */
export function presentedReceipt(req: NextRequest, slug: string): string | null {
  return (
    req.nextUrl.searchParams.get("receipt") ??
    req.headers.get(RECEIPT_HEADER) ??
    req.cookies.get(receiptCookieName(slug))?.value ??
    null
  );
}

/**
 * The x402 402 answer (spec v1 §5.1 body + v2 `PAYMENT-REQUIRED` header), built from the link row
 * on every request: the v2 header carries the link's extensions (lib/x402/challenge-extensions.ts),
 * among them a fresh Sign-In-With-X challenge. With a failure, v2 `error` carries the reason (v1
 * `error` its v1 name) and, when settlement failed, the `PAYMENT-RESPONSE` header carries
 * `success: false`. The body also carries Vend's `code` and a human `message`.
 */
export async function paymentRequiredResponse(link: LinkForSale, failure?: PaymentFailure & { message?: string }): Promise<Response> {
  const terms = saleTerms(link);
  const challenge = paymentRequired(terms, failure?.reason, await challengeExtensions(link, [requirementsV2(terms)]));
  const body = JSON.stringify({
    ...challenge.bodyV1,
    code: "payment_required",
    message: failure?.message ?? "Payment required: pay with x402 (PAYMENT-SIGNATURE or X-PAYMENT header).",
  });
  const headers = new Headers({
    "Content-Type": "application/json; charset=utf-8",
    "PAYMENT-REQUIRED": challenge.headerV2,
    "Cache-Control": "no-store",
    "Access-Control-Expose-Headers": EXPOSED_HEADERS,
  });
  if (failure?.settlement) {
    headers.set("PAYMENT-RESPONSE", encodePaymentResponseHeader(failure.settlement));
    headers.set("X-PAYMENT-RESPONSE", encodePaymentResponseHeader(failure.settlement));
  }
  return new Response(body, { status: 402, headers });
}

/**
 * The purchase-specific answers to an error, or null for the generic JSON error: a
 * `payment_required` AppError becomes the x402 402; a `settlement_pending` that carries the
 * holder's receipt becomes a 409 that hands the receipt over (header and cookie), so the request
 * that reserved the payment, and only it, collects the file once the chain settles it.
 */
export async function purchaseErrorResponse(link: LinkForSale, error: unknown): Promise<Response | null> {
  if (!(error instanceof AppError)) return null;
  if (error.code === "payment_required") {
    const failure = error.details as PaymentFailure;
    return paymentRequiredResponse(link, { ...failure, message: error.message });
  }
  const pending = error.code === "settlement_pending" ? (error.details as PendingDetails | undefined) : undefined;
  if (pending?.receipt && pending.receiptExpiresAt) {
    const headers = new Headers({ "Retry-After": "2", "Cache-Control": "no-store", "X-Vend-Receipt": pending.receipt });
    headers.append("Set-Cookie", receiptCookie(link.slug, pending.receipt, pending.receiptExpiresAt));
    return Response.json(error.toJSON(), { status: error.status, headers });
  }
  return null;
}

/**
 * Headers that go with a delivery after a purchase or replay: the settlement in both
 * `PAYMENT-RESPONSE` (v2) and `X-PAYMENT-RESPONSE` (v1) — base64 JSON SettleResponses carrying the
 * deployment's signed receipt (x402 `offer-receipt`, `extensions["offer-receipt"].info.receipt`),
 * identical on every retry — and the receipt token as a header and an HTTP-only cookie. For a v1
 * payment `X-PAYMENT-RESPONSE` names the network in v1 form (`base-sepolia`), as the v1
 * facilitator does; `PAYMENT-RESPONSE` always uses CAIP-2.
 */
export async function purchaseHeaders(link: LinkForSale, outcome: PurchaseOutcome): Promise<Headers> {
  const headers = new Headers({ "Access-Control-Expose-Headers": EXPOSED_HEADERS });
  const settlement: SettleResponse = { ...outcome.settlement, extensions: await receiptExtensions(receiptFacts(link.slug, outcome.payment)) };
  const encoded = encodePaymentResponseHeader(settlement);
  const v1Name = outcome.payment.x402Version === 1 ? getNetwork(outcome.payment.network)?.v1Name : undefined;
  headers.set("PAYMENT-RESPONSE", encoded);
  headers.set("X-PAYMENT-RESPONSE", v1Name ? encodePaymentResponseHeader({ ...settlement, network: v1Name as SettleResponse["network"] }) : encoded);
  headers.set("X-Vend-Receipt", outcome.receipt);
  headers.append("Set-Cookie", receiptCookie(link.slug, outcome.receipt, outcome.receiptExpiresAt));
  return headers;
}

/**
 * The JSON shape of a purchase for `POST /api/purchases` (amounts in atomic units as strings), with
 * the signed offer-receipt receipt for the buyer to keep (`offerReceipt`).
 */
export async function purchaseJson(link: LinkForSale, outcome: PurchaseOutcome) {
  const p = outcome.payment;
  const network = saleTerms(link).network;
  return {
    payment: {
      id: p.id,
      status: p.status,
      transaction: p.transaction,
      transactionUrl: network.explorer && p.transaction ? `${network.explorer}/tx/${p.transaction}` : null,
      network: p.network,
      payer: p.payer,
      amount: p.amount.toString(),
      settledAt: p.settledAt,
    },
    replay: outcome.replay,
    receipt: outcome.receipt,
    offerReceipt: await signedReceipt(receiptFacts(link.slug, outcome.payment)),
    receiptExpiresAt: new Date(outcome.receiptExpiresAt * 1000).toISOString(),
    // The receipt rides in the HTTP-only cookie set with this response, not in the URL (which would
    // put it in browser history and access logs); non-browser clients send `receipt` as
    // `X-Vend-Receipt` or `?receipt=`.
    downloadUrl: `/l/${link.slug}`,
  };
}
