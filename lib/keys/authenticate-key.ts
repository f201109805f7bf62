import "server-only";
import { getAddress, type Address } from "viem";
import { db } from "@/lib/db";
import { API_KEY_SECRET_PATTERN, hashApiKeySecret } from "@/lib/keys/create-key";

/** How often `lastUsedAt` is written for a key in use (at most once per interval). */
export const LAST_USED_RESOLUTION_MS = 60 * 1000;

/** The creator behind a valid API key. */
export type AuthenticatedKey = { userId: string; address: Address; apiKeyId: string };

/**
 * Authenticates an API key secret (`vend_sk_…`, as sent in `Authorization: Bearer <secret>`):
 * looks it up by SHA-256, refuses revoked keys, and records `lastUsedAt` at most once a minute
 * (a conditional update, so concurrent requests write it once).
 * @returns `{ userId, address, apiKeyId }`, or null for a malformed, unknown or revoked secret.
 */
export async function authenticateKey(secret: string): Promise<AuthenticatedKey | null> {
  if (!API_KEY_SECRET_PATTERN.test(secret)) return null;
  const prisma = await db();
  const key = await prisma.apiKey.findUnique({
    where: { hash: hashApiKeySecret(secret) },
    select: { id: true, userId: true, lastUsedAt: true, revokedAt: true, user: { select: { address: true } } },
  });
  if (!key || key.revokedAt) return null;
  const now = new Date();
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!key.lastUsedAt || key.lastUsedAt < staleBefore) {
    await prisma.apiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
  return { userId: key.userId, address: getAddress(key.user.address), apiKeyId: key.id };
}
