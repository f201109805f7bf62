import "server-only";
import { db } from "@/lib/db";
import { endpointJson } from "@/lib/webhooks/endpoint-json";
import { EVENT_TYPES } from "@/lib/webhooks/events";

/**
 * The creator's webhook endpoints, newest first, each with its delivery counts by status, and the
 * event types one can subscribe to.
 * @returns `{ endpoints: [{…endpoint, deliveries: {pending, succeeded, failed}}], eventTypes }`.
 */
export async function listEndpoints(ownerId: string) {
  const prisma = await db();
  const endpoints = await prisma.webhookEndpoint.findMany({ where: { ownerId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const counts = await prisma.webhookDelivery.groupBy({
    by: ["endpointId", "status"],
    where: { endpointId: { in: endpoints.map((e) => e.id) } },
    _count: { _all: true },
  });
  const count = (endpointId: string, status: string) =>
    counts.find((c) => c.endpointId === endpointId && c.status === status)?._count._all ?? 0;
  return {
    endpoints: endpoints.map((e) => ({
      ...endpointJson(e),
      deliveries: { pending: count(e.id, "pending"), succeeded: count(e.id, "succeeded"), failed: count(e.id, "failed") },
    })),
    eventTypes: EVENT_TYPES,
  };
}
