/**
 * Next.js server start hook. On a long-lived Node server (self-hosted, `next start`, `npm run dev`)
 * it runs the deployment's periodic work once a minute (lib/maintenance.ts: reconcile settlements,
 * erase deleted objects no buyer is owed, sweep rate limits); on Vercel, where functions do not
 * stay up, `GET /api/cron/reconcile` (Vercel Cron) does it instead.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.VERCEL) return;
  const { runMaintenance } = await import("@/lib/maintenance");
  const timer = setInterval(() => {
    runMaintenance().catch((error: unknown) => console.error("[vend] maintenance failed", error));
  }, 60_000);
  timer.unref();
}
