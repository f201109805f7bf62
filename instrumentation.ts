/**
 * Next.js server start hook. On a long-lived Node server (self-hosted, `next start`, `npm run dev`)
 * it runs lib/server-start.ts: refuse an unmigrated database, then the periodic maintenance and
 * webhook delivery. The import is inside the Node.js runtime check so the Edge build of this hook
 * bundles none of it. On Vercel, where functions do not stay up, the build command migrates,
 * `GET /api/health` reports an unmigrated database, and Vercel Cron calls `GET /api/cron/reconcile`
 * and `GET /api/cron/webhooks` for the periodic work.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs" && !process.env.VERCEL) {
    await (await import("@/lib/server-start")).startServer();
  }
}
