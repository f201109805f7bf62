import { issueNonce } from "@/lib/auth/siwe";
import { json, withPublic } from "@/lib/http";

/**
 * `GET /api/auth/nonce` → 200 `{ nonce, expiresAt }` (`Cache-Control: no-store`).
 * `nonce` goes in the EIP-4361 message's `Nonce:` field; it works once, for 5 minutes.
 */
export const GET = withPublic(async () => {
  const { nonce, expiresAt } = await issueNonce();
  return json({ nonce, expiresAt }, { headers: { "cache-control": "no-store" } });
});
