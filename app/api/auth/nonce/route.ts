import { issueNonce } from "@/lib/auth/siwe";
import { json, withPublic } from "@/lib/http";
import { clientIp, consume, nonceLimits } from "@/lib/rate-limit";

/**
 * `GET /api/auth/nonce` → 200 `{ nonce, expiresAt }` (`Cache-Control: no-store`).
 * `nonce` goes in the EIP-4361 message's `Nonce:` field; it works once, for 5 minutes.
 * 429 `rate_limited` (with `Retry-After`) past RATE_LIMIT_NONCES_PER_IP per minute from one IP.
 */
export const GET = withPublic(async ({ req }) => {
  await consume(nonceLimits(clientIp(req.headers)));
  const { nonce, expiresAt } = await issueNonce();
  return json({ nonce, expiresAt }, { headers: { "cache-control": "no-store" } });
});
