import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { json, withPublic } from "@/lib/http";
import { runMaintenance } from "@/lib/maintenance";

export const dynamic = "force-dynamic";
/** Reconciling asks the chain about every stale payment: up to Vercel Hobby's limit. */
export const maxDuration = 300;

/**
 * `GET /api/cron/reconcile` — the deployment's periodic work (lib/maintenance.ts): decides payments
 * left `settling` from the chain, erases deleted objects no buyer is owed, drops old rate-limit
 * counters, aborts uploads left unfinished past their expiry. For Vercel Cron (daily, see
 * vercel.json): it sends `Authorization: Bearer $CRON_SECRET`.
 * 200 → `{reconcile: {checked, changed}, purged, rateLimitRows, uploadsDiscarded}`; 401 without the secret; 404 when CRON_SECRET is not configured
 * (self-hosted servers reconcile in-process, see instrumentation.ts).
 */
export const GET = withPublic(async ({ req }) => {
  const secret = env().CRON_SECRET;
  if (!secret) throw new AppError("not_found", "Not found.");
  if (req.headers.get("authorization") !== `Bearer ${secret}`) throw new AppError("unauthorized", "Bad cron secret.");
  return json(await runMaintenance());
});
