import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { deliverObject } from "@/lib/objects/deliver";
import { siwxAccess, siwxRefusalOf, SIWX_HEADER, type SiwxRefusal } from "@/lib/access/siwx";
import { bytesKept, receiptAccess } from "@/lib/purchases/access";
import { purchase } from "@/lib/purchases/purchase";
import {
  gatePreflight,
  paymentRequiredResponse,
  presentedReceipt,
  purchaseErrorResponse,
  purchaseHeaders,
  wantsHtml,
  withGateCors,
} from "@/lib/purchases/responses";
import { goneError, linkState, loadLinkForSale, type LinkForSale } from "@/lib/purchases/sale";
import { clientIp } from "@/lib/rate-limit";
import { Timings } from "@/lib/timing";
import { decodePayment, readPaymentHeader } from "@/lib/x402/payment-header";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/**
 * THE GATE — `GET /l/{slug}`, the one shareable URL (ARCHITECTURE §1), served here through the
 * rewrite in `next.config.mjs` (route handlers under `app/api` apply the 402 gate). Reads as the protocol:
 * 1. a browser with no payment and no receipt → 303 to the pay page `/pay/{slug}`;
 * 2. load the link (404 `not_found`); a file whose bytes are gone → 410 `object_gone`;
 * 3. a receipt (cookie, `X-Vend-Receipt` or `?receipt=`) that opens its payment → deliver (no payment;
 *    Range → 206); one whose payment is still settling → 409 `settlement_pending`;
 * 3b. Sign-In-With-X (x402 `sign-in-with-x`, lib/access/siwx.ts): a `SIGN-IN-WITH-X` proof from a
 *    wallet whose purchase of this link still opens it → deliver the same way (no payment); one still
 *    settling → 409 `settlement_pending`; a refused proof goes on to payment, its reason in the 402;
 * 4. no payment header → 402: v1 JSON body `{x402Version: 1, error?, accepts}` + v2 `PAYMENT-REQUIRED`
 *    declaring `payment-identifier`, `sign-in-with-x`, `offer-receipt` and, for listed links,
 *    `bazaar` (a link that can no longer sell answers 410 `link_expired` / `link_revoked` /
 *    `link_sold_out` / `object_gone`);
 * 5. decode `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1) — malformed → 400 `invalid_payment_header`;
 * 6–9. purchase (lib/purchases/purchase.ts): an authorization seen before answers only its holder
 *    (payment-identifier), else 409 `authorization_used` / `settlement_pending`; verify (invalid →
 *    402 with `error` = reason; chain unreachable → 503); reserve; settle on chain (refused → 402,
 *    "you were not charged"; unknown → 409 `settlement_pending` with this request's receipt);
 * 10. deliver the payload (or `?format=ans104`: the whole DataItem) with `PAYMENT-RESPONSE`
 *    (v2) / `X-PAYMENT-RESPONSE` (v1) carrying the signed offer-receipt receipt, a receipt token
 *    (`X-Vend-Receipt` + cookie), `Server-Timing`.
 * Every answer carries CORS headers (any origin, no credentials) so browser x402 clients can pay.
 */
export async function GET(req: NextRequest, ctx: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await ctx.params;
  const timings = new Timings();
  let link: LinkForSale | undefined;
  try {
    return withGateCors(await gate(req, slug, timings, (loaded) => (link = loaded)));
  } catch (error) {
    const response = (link && (await purchaseErrorResponse(link, error))) || errorResponse(error);
    response.headers.set("Server-Timing", timings.header());
    return withGateCors(response);
  }
}

/** `OPTIONS /l/{slug}` — the CORS preflight of a browser x402 client on another origin. */
export function OPTIONS(): Response {
  return gatePreflight();
}

async function gate(req: NextRequest, slug: string, timings: Timings, loaded: (link: LinkForSale) => void): Promise<Response> {
  const paymentHeader = readPaymentHeader(req.headers);
  const receiptToken = presentedReceipt(req, slug);
  const siwxHeader = req.headers.get(SIWX_HEADER);
  const format = req.nextUrl.searchParams.get("format") === "ans104" ? "ans104" : "raw";
  const range = req.headers.get("range");
  if (!paymentHeader && !receiptToken && !siwxHeader && wantsHtml(req)) {
    return NextResponse.redirect(`${env().appUrl}/pay/${encodeURIComponent(slug)}`, 303);
  }
  const link = await timings.span("db", () => loadLinkForSale(slug));
  loaded(link);
  if (!bytesKept(link.object)) throw goneError("object_gone");

  if (receiptToken) {
    const access = await timings.span("db", () => receiptAccess(link, receiptToken));
    if (access?.kind === "open") return deliverObject(link.object, { rangeHeader: range, format });
    if (access?.kind === "pending" && !paymentHeader) {
      throw new AppError("settlement_pending", "Your payment is being confirmed on chain. Retry shortly with the same receipt.");
    }
  }

  let siwxRefusal: SiwxRefusal | undefined;
  if (siwxHeader) {
    const signedIn = await timings.span("siwx", () => siwxAccess(link, siwxHeader, { clientIp: clientIp(req.headers) }));
    if (signedIn.kind === "access" && signedIn.access.kind === "open") return deliverObject(link.object, { rangeHeader: range, format });
    if (signedIn.kind === "access" && signedIn.access.kind === "pending" && !paymentHeader) {
      throw new AppError("settlement_pending", "Your payment is being confirmed on chain. Retry shortly with a fresh signature.");
    }
    siwxRefusal = siwxRefusalOf(signedIn);
  }

  if (!paymentHeader) {
    const state = linkState(link);
    if (state !== "active") throw goneError(state);
    return paymentRequiredResponse(link, siwxRefusal);
  }
  const outcome = await purchase(link, decodePayment(paymentHeader), { timings, clientIp: clientIp(req.headers) });
  const headers = await purchaseHeaders(link, outcome);
  headers.set("Server-Timing", timings.header());
  return deliverObject(link.object, { rangeHeader: range, format, headers });
}
