import { json, parseQuery, withCreator } from "@/lib/http";
import { listDeliveries, listDeliveriesQuery } from "@/lib/webhooks/list-deliveries";

export const dynamic = "force-dynamic";

/**
 * `GET /api/webhooks/{id}/deliveries?status=pending|succeeded|failed&cursor=&limit=` → the delivery
 * log, newest first: `{deliveries: [{id, status, attempts, nextAttemptAt, lastStatus, lastError,
 * deliveredAt, event: {id, type, createdAt, payload}, log: [{startedAt, durationMs, statusCode,
 * error, responseBody}]}], nextCursor}`. 400, 404.
 */
export const GET = withCreator<{ id: string }>(async ({ req, params, creator }) =>
  json(await listDeliveries(creator.userId, params.id, parseQuery(req, listDeliveriesQuery))),
);
