/**
 * Next.js server start hook. On a long-lived Node server (self-hosted, `next start`, `npm run dev`):
 * - refuses to serve on a database this build's migrations have not all been applied to: prints
 *   what is pending and to run `npm run db:migrate`, and exits (status 1) before the first request;
 * - runs the deployment's periodic work once a minute (lib/maintenance.ts: reconcile settlements,
 *   erase deleted objects no buyer is owed, sweep rate limits, abort expired uploads).
 * On Vercel, where functions do not stay up, the build command migrates, `GET /api/health` reports
 * an unmigrated database, and `GET /api/cron/reconcile` (Vercel Cron) does the periodic work.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.VERCEL) return;
  const [{ db }, { migrationStatus }, { runMaintenance }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/health/migration-status"),
    import("@/lib/maintenance"),
  ]);
  const { pending, failed } = await migrationStatus(await db());
  if (pending.length > 0 || failed.length > 0) {
    console.error(
      `\n✗ Vend will not start: the database is not migrated.\n` +
        (failed.length ? `  Failed migrations: ${failed.join(", ")} (fix them first).\n` : "") +
        (pending.length ? `  Pending migrations: ${pending.join(", ")}.\n` : "") +
        `  Run \`npm run db:migrate\` with the same DATABASE_URL, then start again.\n`,
    );
    process.exit(1);
  }
  const timer = setInterval(() => {
    runMaintenance().catch((error: unknown) => console.error("[vend] maintenance failed", error));
  }, 60_000);
  timer.unref();
}
