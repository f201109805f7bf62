/**
 * Next.js server start hook. On a long-lived Node server (self-hosted, `next start`, `npm run dev`)
 * it reconciles payments left `settling` once a minute; on Vercel, where functions do not stay up,
 * `GET /api/cron/reconcile` (Vercel Cron) does it instead.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.VERCEL) return;
  const { reconcileStale } = await import("@/lib/purchases/reconcile");
  const timer = setInterval(() => {
    reconcileStale().catch((error: unknown) => console.error("[vend] reconcile failed", error));
  }, 60_000);
  timer.unref();
  (await import("@/lib/webhooks/timer")).startWebhookTimer();
}
