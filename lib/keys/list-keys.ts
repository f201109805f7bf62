import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";

/** Input schema of {@link listKeys}. */
export const listKeysInput = z.object({ userId: z.string().min(1) });
/** Input of {@link listKeys}. */
export type ListKeysInput = z.input<typeof listKeysInput>;

/** A key as listed: never the secret nor its hash. */
export type ApiKeySummary = {
  id: string;
  name: string;
  /** First 12 characters of the secret, e.g. `vend_sk_Ab3x`. */
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/**
 * Lists the caller's API keys, newest first, revoked ones included (with `revokedAt`).
 * `lastUsedAt` is precise to about a minute.
 * @returns `ApiKeySummary[]` (no secrets, no hashes).
 */
export async function listKeys(input: ListKeysInput): Promise<ApiKeySummary[]> {
  const { userId } = listKeysInput.parse(input);
  const prisma = await db();
  return prisma.apiKey.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}
