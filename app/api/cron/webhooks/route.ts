import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { json, withPublic } from "@/lib/http";
import { runWebhooks } from "@/lib/webhooks/run";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/**
 * `GET /api/cron/webhooks` — sweeps link expiries and delivers due webhooks for up to 45 s (see
 * lib/webhooks/run.ts). For Vercel Cron (`Authorization: Bearer $CRON_SECRET`); long-lived servers
 * deliver in-process every second (instrumentation.ts). 200 → `{expired, attempted, succeeded,
 * retrying, failed}`; 401 without the secret; 404 when CRON_SECRET is not configured.
 */
export const GET = withPublic(async ({ req }) => {
  const secret = env().CRON_SECRET;
  if (!secret) throw new AppError("not_found", "Not found.");
  if (req.headers.get("authorization") !== `Bearer ${secret}`) throw new AppError("unauthorized", "Bad cron secret.");
  return json(await runWebhooks({ budgetMs: 45_000, sweep: true }));
});
