import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";

/** Input schema of {@link revokeKey}. */
export const revokeKeyInput = z.object({ userId: z.string().min(1), id: z.string().min(1) });
/** Input of {@link revokeKey}: the caller and the key id (`key_…`). */
export type RevokeKeyInput = z.input<typeof revokeKeyInput>;

/** A revoked key. */
export type RevokedKey = { id: string; revokedAt: Date };

/**
 * Revokes one of the caller's API keys: it stops authenticating at once. Idempotent: revoking an
 * already revoked key returns its original `revokedAt`.
 * @returns `{ id, revokedAt }`.
 * @throws AppError `not_found` (404) when the key does not exist or belongs to another user.
 */
export async function revokeKey(input: RevokeKeyInput): Promise<RevokedKey> {
  const { userId, id } = revokeKeyInput.parse(input);
  const prisma = await db();
  await prisma.apiKey.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  const key = await prisma.apiKey.findFirst({ where: { id, userId }, select: { id: true, revokedAt: true } });
  if (!key?.revokedAt) throw notFound("API key");
  return { id: key.id, revokedAt: key.revokedAt };
}
