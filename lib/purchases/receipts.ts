import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { authSecret } from "@/lib/auth/secret";

/**
 * Download receipts: the request that reserved a payment gets a receipt (even while the payment is
 * still settling), and that receipt re-opens the download of that link with no new payment (so a
 * download can be resumed with Range requests) for as long as the payment row allows: settled, not
 * refunded, within `accessSeconds` of its settlement (lib/purchases/access.ts asks the database).
 * The token only proves that this server issued it for this payment and link:
 * `r1.<base64url(JSON)>.<base64url(HMAC-SHA256)>`, keyed with RECEIPT_SECRET (default: the auth
 * secret). Carried as the HTTP-only cookie {@link receiptCookieName}, the `X-Vend-Receipt` header,
 * or `?receipt=`. It is never derived from anything on chain.
 */
export type Receipt = {
  /** Payment id (`pay_…`). */
  paymentId: string;
  /** Link id (`lnk_…`). */
  linkId: string;
  /** When the cookie should lapse, unix seconds (the database decides access, not this). */
  expiresAt: number;
};

export const RECEIPT_HEADER = "x-vend-receipt";

/** Cookie name for a link's receipt. */
export function receiptCookieName(slug: string): string {
  return `vend_r_${slug}`;
}

function secret(): string {
  return env().RECEIPT_SECRET ?? authSecret();
}

function mac(body: string): string {
  return createHmac("sha256", secret()).update(`vend-receipt:${body}`).digest("base64url");
}

/** Signs a receipt. */
export function signReceipt(receipt: Receipt): string {
  const body = Buffer.from(JSON.stringify({ p: receipt.paymentId, l: receipt.linkId, e: receipt.expiresAt })).toString(
    "base64url",
  );
  return `r1.${body}.${mac(body)}`;
}

/**
 * Verifies a receipt token's signature for `linkId`. Returns the receipt, or null when the token is
 * malformed, forged or for another link. Whether it still opens anything is the payment row's say.
 */
export function verifyReceipt(token: string | null | undefined, linkId: string): Receipt | null {
  if (!token) return null;
  const [version, body, signature] = token.split(".");
  if (version !== "r1" || !body || !signature) return null;
  const expected = Buffer.from(mac(body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let parsed: { p?: unknown; l?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed.p !== "string" || typeof parsed.l !== "string" || typeof parsed.e !== "number") return null;
  if (parsed.l !== linkId) return null;
  return { paymentId: parsed.p, linkId: parsed.l, expiresAt: parsed.e };
}

/** `Set-Cookie` value for a receipt: HTTP-only, SameSite=Lax, Secure on https, until expiry. */
export function receiptCookie(slug: string, token: string, expiresAt: number): string {
  const secure = env().appUrl.startsWith("https://") ? "; Secure" : "";
  const maxAge = Math.max(0, expiresAt - Math.floor(Date.now() / 1000));
  return `${receiptCookieName(slug)}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}
