import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/http";
import { deliverObject } from "@/lib/objects/deliver";
import { purchase } from "@/lib/purchases/purchase";
import { verifyReceipt } from "@/lib/purchases/receipts";
import {
  paymentFailureResponse,
  paymentRequiredResponse,
  presentedReceipt,
  purchaseHeaders,
  wantsHtml,
} from "@/lib/purchases/responses";
import { goneError, linkState, loadLinkForSale } from "@/lib/purchases/sale";
import { Timings } from "@/lib/timing";
import { decodePayment, readPaymentHeader } from "@/lib/x402/payment-header";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

/**
 * THE GATE — `GET /l/{slug}`, the one shareable URL (ARCHITECTURE §1), served here through the
 * rewrite in `next.config.mjs` (route handlers under `app/api` apply the 402 gate). Reads as the protocol:
 * 1. a browser with no payment and no receipt → 303 to the pay page `/pay/{slug}`;
 * 2. load the link (404 `not_found`), and answer 410 (`object_gone`) if its file was deleted;
 * 3. a valid receipt for this link → deliver (no payment; Range → 206);
 * 4. no payment header → 402: v1 JSON body `{x402Version: 1, error, accepts}` + v2 `PAYMENT-REQUIRED`
 *    (a link that can no longer sell answers 410 `link_expired` / `link_revoked` / `link_sold_out`);
 * 5. decode `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1) — malformed → 400 `invalid_payment_header`;
 * 6–9. purchase: replay check, verify, reserve, settle on chain (see lib/purchases/purchase.ts):
 *    invalid or failed → 402 with `error` = reason; still settling → 409 `settlement_pending`;
 * 10. deliver the payload (or `?format=ans104`: the whole DataItem) with `PAYMENT-RESPONSE`
 *    (v2) / `X-PAYMENT-RESPONSE` (v1), a receipt (`X-Vend-Receipt` + cookie), `Server-Timing`.
 */
export async function GET(req: NextRequest, ctx: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await ctx.params;
  const timings = new Timings();
  const paymentHeader = readPaymentHeader(req.headers);
  const receiptToken = presentedReceipt(req, slug);
  const format = req.nextUrl.searchParams.get("format") === "ans104" ? "ans104" : "raw";
  if (!paymentHeader && !receiptToken && wantsHtml(req)) {
    return NextResponse.redirect(`${env().appUrl}/pay/${encodeURIComponent(slug)}`, 303);
  }
  let link;
  try {
    link = await timings.span("db", () => loadLinkForSale(slug));
    const state = linkState(link);
    if (state === "object_gone") throw goneError(state);
    if (verifyReceipt(receiptToken, link.id)) {
      return await deliverObject(link.object, { rangeHeader: req.headers.get("range"), format });
    }
    if (!paymentHeader) {
      if (state !== "active") throw goneError(state);
      return paymentRequiredResponse(link);
    }
    const decoded = decodePayment(paymentHeader);
    const outcome = await purchase(link, decoded, timings);
    const headers = purchaseHeaders(link, outcome);
    headers.set("Server-Timing", timings.header());
    return await deliverObject(link.object, { rangeHeader: req.headers.get("range"), format, headers });
  } catch (error) {
    return (link && paymentFailureResponse(link, error)) || errorResponse(error, { "Server-Timing": timings.header() });
  }
}
