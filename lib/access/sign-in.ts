import "server-only";
import { SIGN_IN_WITH_X, type SIWxExtension } from "@x402/extensions/sign-in-with-x";
import { siwxAccess, siwxChallenge, siwxRefusalOf } from "@/lib/access/siwx";
import { AppError } from "@/lib/errors";
import { bytesKept } from "@/lib/purchases/access";
import { receiptFor } from "@/lib/purchases/purchase";
import { goneError, linkUrl, loadLinkForSale, saleTerms } from "@/lib/purchases/sale";
import { requirementsV2 } from "@/lib/x402/requirements";

/**
 * The browser's way back in with a wallet ("Already paid? Sign with your wallet" on the pay page):
 * the same Sign-In-With-X challenge and proof as the gate's (lib/access/siwx.ts), answered with a
 * receipt for the payment it opens, which the route sets as the link's receipt cookie. It works
 * for any link whose file is still kept, also once the link stopped selling (expired, revoked,
 * sold out): buyers keep what they paid for.
 */

/**
 * A fresh SIWX challenge for a link: `{"sign-in-with-x": {info, supportedChains, schema}}`, the
 * same shape as in the link's 402. 404 for an unknown slug; 503 when its network is not configured.
 */
export async function accessChallenge(slug: string): Promise<Record<string, SIWxExtension>> {
  const link = await loadLinkForSale(slug);
  return { [SIGN_IN_WITH_X]: siwxChallenge(linkUrl(link.slug), [requirementsV2(saleTerms(link))]) };
}

/** A granted sign-in: the payment it opens and a receipt token for it (unix seconds expiry). */
export type SignedIn = { paymentId: string; payer: string; receipt: string; receiptExpiresAt: number };

/**
 * Verifies a `SIGN-IN-WITH-X` proof (base64 JSON SIWxPayload) for the link `slug` and returns a
 * receipt for the buyer's payment that opens the file. `clientIp` is for the smart-account limit.
 * @throws AppError `siwx_invalid` (401, details `{reason}`: the x402 SIWX reason) for a proof that is
 *   malformed, for another domain or link, too old, badly signed or already used; `no_purchase`
 *   (403) when the wallet has no payment of this link that opens it; `access_expired` (403);
 *   `settlement_pending` (409); `object_gone` (410); `not_found` (404).
 */
export async function signInToLink(slug: string, header: string, opts: { clientIp?: string } = {}): Promise<SignedIn> {
  const link = await loadLinkForSale(slug);
  if (!bytesKept(link.object)) throw goneError("object_gone");
  const outcome = await siwxAccess(link, header, opts);
  if (outcome.kind === "access" && outcome.access.kind === "open") {
    return { paymentId: outcome.access.payment.id, payer: outcome.payer, ...receiptFor(link, outcome.access.payment) };
  }
  if (outcome.kind === "access" && outcome.access.kind === "pending") {
    throw new AppError("settlement_pending", "Your payment is being confirmed on chain. Sign again in a moment.");
  }
  const refusal = siwxRefusalOf(outcome)!;
  switch (refusal.reason) {
    case "siwx_no_purchase":
      throw new AppError("no_purchase", refusal.message);
    case "siwx_access_expired":
      throw new AppError("access_expired", refusal.message);
    case "siwx_object_gone":
      throw goneError("object_gone");
    default:
      throw new AppError("siwx_invalid", refusal.message, { reason: refusal.reason });
  }
}
