import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { json, withPublic } from "@/lib/http";
import { reconcileStale } from "@/lib/purchases/reconcile";
import { sweepExpiredUploads } from "@/lib/uploads/sweep-uploads";

export const dynamic = "force-dynamic";
/** Reconciling asks the chain about every stale payment: up to Vercel Hobby's limit. */
export const maxDuration = 300;

/**
 * `GET /api/cron/reconcile` — decides payments left `settling` for over a minute from the chain
 * (see lib/purchases/reconcile.ts), and aborts uploads past their expiry. For Vercel Cron (daily, see
 * vercel.json): it sends `Authorization: Bearer $CRON_SECRET`.
 * 200 → `{checked, changed, uploadsDiscarded}`; 401 without the secret; 404 when CRON_SECRET is not configured
 * (self-hosted servers reconcile in-process, see instrumentation.ts).
 */
export const GET = withPublic(async ({ req }) => {
  const secret = env().CRON_SECRET;
  if (!secret) throw new AppError("not_found", "Not found.");
  if (req.headers.get("authorization") !== `Bearer ${secret}`) throw new AppError("unauthorized", "Bad cron secret.");
  const reconciled = await reconcileStale();
  const { discarded } = await sweepExpiredUploads();
  return json({ ...reconciled, uploadsDiscarded: discarded });
});
