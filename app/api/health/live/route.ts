export const dynamic = "force-dynamic";

/**
 * `GET /api/health/live` — liveness: 200 `{ok: true}` as soon as the server answers requests,
 * whatever the state of its dependencies (readiness is `GET /api/health`).
 */
export function GET(): Response {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
