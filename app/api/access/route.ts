import { z } from "zod";
import { signInToLink, accessChallenge } from "@/lib/access/sign-in";
import { AppError } from "@/lib/errors";
import { json, parseJson, parseQuery, withPublic } from "@/lib/http";
import { receiptCookie } from "@/lib/purchases/receipts";
import { clientIp } from "@/lib/rate-limit";

const query = z.object({ slug: z.string().min(1).max(64) });

/**
 * `GET /api/access?slug=` → `{"sign-in-with-x": {info, supportedChains, schema}}`: a fresh
 * Sign-In-With-X challenge for the link (x402 `sign-in-with-x`, the same as in its 402), for a
 * buyer coming back with their wallet. 400; 404 unknown link.
 */
export const GET = withPublic(async ({ req }) => {
  const { slug } = parseQuery(req, query);
  return json(await accessChallenge(slug), { headers: { "Cache-Control": "no-store" } });
});

const body = z.object({
  slug: z.string().min(1).max(64),
  /** The `SIGN-IN-WITH-X` header value: base64 JSON SIWxPayload signed by the buyer's wallet. */
  siwx: z.string().min(1).max(16_384),
});

/**
 * `POST /api/access` `{slug, siwx}` — "Already paid? Sign with your wallet": verifies the proof
 * like the gate does and sets the link's receipt cookie for the payment it opens.
 * 200 → `{paymentId, payer, receipt, receiptExpiresAt (ISO), downloadUrl}` + `Set-Cookie`.
 * Errors: 400 `invalid_request`; 401 `siwx_invalid` (details.reason = x402 SIWX reason); 403
 * `no_purchase` / `access_expired`; 404; 409 `settlement_pending`; 410 `object_gone`.
 */
export const POST = withPublic(async ({ req }) => {
  const input = await parseJson(req, body).catch((error: unknown) => {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid_request", "Send {\"slug\", \"siwx\"}: the link and your signed SIGN-IN-WITH-X proof.");
  });
  const signedIn = await signInToLink(input.slug, input.siwx, { clientIp: clientIp(req.headers) });
  return json(
    {
      paymentId: signedIn.paymentId,
      payer: signedIn.payer,
      receipt: signedIn.receipt,
      receiptExpiresAt: new Date(signedIn.receiptExpiresAt * 1000).toISOString(),
      downloadUrl: `/l/${input.slug}`,
    },
    { headers: { "Set-Cookie": receiptCookie(input.slug, signedIn.receipt, signedIn.receiptExpiresAt), "Cache-Control": "no-store" } },
  );
});
