import "server-only";
import { db } from "@/lib/db";
import { discardUpload } from "@/lib/uploads/cancel-upload";

/** Most uploads one sweep discards (the next sweep takes the rest). */
const SWEEP_BATCH = 100;

/**
 * Aborts and forgets uploads past their expiry (abandoned: the tab was closed, the script died),
 * all of them or only `ownerId`'s, at most 100 per call. Runs from `POST /api/uploads` (the
 * creator's own), the daily cron and the in-process timer of long-lived servers.
 * @returns `{discarded}`: how many were discarded.
 */
export async function sweepExpiredUploads(opts: { ownerId?: string; now?: Date } = {}): Promise<{ discarded: number }> {
  const prisma = await db();
  const expired = await prisma.upload.findMany({
    where: { expiresAt: { lte: opts.now ?? new Date() }, ...(opts.ownerId ? { ownerId: opts.ownerId } : {}) },
    orderBy: { expiresAt: "asc" },
    take: SWEEP_BATCH,
  });
  for (const upload of expired) await discardUpload(upload);
  return { discarded: expired.length };
}
