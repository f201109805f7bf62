import "server-only";
import type { WebhookAttempt, WebhookDelivery, WebhookEvent } from "@/lib/generated/prisma/client";
import { eventBody } from "@/lib/webhooks/events";

/** Prisma `include` that loads what {@link deliveryJson} needs (attempts newest first). */
export const DELIVERY_INCLUDE = { event: true, log: { orderBy: { startedAt: "desc" } } } as const;

/**
 * The API view of a delivery: its state, the event (`id` = `webhook-id`, `type`, the exact
 * `payload` sent) and the log of attempts, newest first, with status codes and errors.
 */
export function deliveryJson(d: WebhookDelivery & { event: WebhookEvent; log: WebhookAttempt[] }) {
  return {
    id: d.id,
    endpointId: d.endpointId,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    event: { id: d.event.id, type: d.event.type, createdAt: d.event.createdAt.toISOString(), payload: eventBody(d.event) },
    log: d.log.map((a) => ({
      id: a.id,
      startedAt: a.startedAt.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      error: a.error,
      responseBody: a.responseBody,
    })),
  };
}
export type DeliveryJson = ReturnType<typeof deliveryJson>;
