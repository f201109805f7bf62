import { json, withPublic } from "@/lib/http";
import { checkHealth } from "@/lib/health/check-health";

export const dynamic = "force-dynamic";

/**
 * `GET /api/health` — readiness: 200 `{ready: true, checks}` when the database is reachable and
 * migrated, the storage settings are complete and the store answers, and every configured network's
 * RPC answers; else 503 with the same shape, each failing check carrying a `problem` (for example
 * "The database is not migrated (2 pending). Run `npm run db:migrate`."). Liveness is
 * `GET /api/health/live`.
 */
export const GET = withPublic(async () => {
  const health = await checkHealth();
  return json(health, { status: health.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
});
