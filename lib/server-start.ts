import "server-only";
import { db } from "@/lib/db";
import { migrationStatus } from "@/lib/health/migration-status";
import { runMaintenance } from "@/lib/maintenance";
import { startWebhookTimer } from "@/lib/webhooks/timer";

/**
 * What a long-lived Node server (self-hosted, `next start`, `npm run dev`) does once, before its
 * first request (called by instrumentation.ts in the Node.js runtime, never on Vercel):
 * - refuses to serve on a database this build's migrations have not all been applied to: prints
 *   what is pending and to run `npm run db:migrate`, and exits (status 1);
 * - runs the deployment's periodic work once a minute (lib/maintenance.ts: reconcile settlements,
 *   erase deleted objects no buyer is owed, sweep rate limits, abort expired uploads) and delivers
 *   webhooks every second (lib/webhooks/timer.ts).
 */
export async function startServer(): Promise<void> {
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
  startWebhookTimer();
}
