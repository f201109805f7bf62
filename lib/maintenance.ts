import "server-only";
import { sweepSiwxNonces } from "@/lib/access/siwx";
import { purgeDeletedObjects } from "@/lib/objects/purge-deleted";
import { reconcileStale } from "@/lib/purchases/reconcile";
import { sweepRateLimits } from "@/lib/rate-limit";
import { sweepExpiredUploads } from "@/lib/uploads/sweep-uploads";

/**
 * The periodic work of a deployment, in one place: decide payments the chain has settled or
 * refused (lib/purchases/reconcile.ts), erase deleted objects no buyer is owed any more, drop
 * old rate-limit counters and spent Sign-In-With-X nonces, and abort direct uploads left unfinished
 * past their expiry. Long-lived servers run it every minute (instrumentation.ts); Vercel runs
 * it from `GET /api/cron/reconcile`. Every step is safe to run concurrently on several instances.
 * A failing step is logged and does not stop the others.
 */
export async function runMaintenance(): Promise<{
  reconcile?: { checked: number; changed: number };
  purged?: number;
  rateLimitRows?: number;
  uploadsDiscarded?: number;
  siwxNonces?: number;
}> {
  const [reconcile, purged, rateLimitRows, uploads, siwxNonces] = await Promise.allSettled([
    reconcileStale(),
    purgeDeletedObjects(),
    sweepRateLimits(),
    sweepExpiredUploads(),
    sweepSiwxNonces(),
  ]);
  for (const result of [reconcile, purged, rateLimitRows, uploads, siwxNonces]) {
    if (result.status === "rejected") console.error("[vend] maintenance step failed", result.reason);
  }
  return {
    reconcile: reconcile.status === "fulfilled" ? reconcile.value : undefined,
    purged: purged.status === "fulfilled" ? purged.value : undefined,
    rateLimitRows: rateLimitRows.status === "fulfilled" ? rateLimitRows.value : undefined,
    uploadsDiscarded: uploads.status === "fulfilled" ? uploads.value.discarded : undefined,
    siwxNonces: siwxNonces.status === "fulfilled" ? siwxNonces.value : undefined,
  };
}
