import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { WebhookEndpoint } from "@/lib/generated/prisma/client";
import { endpointJson } from "@/lib/webhooks/endpoint-json";

/** The creator's endpoint row. @throws AppError `not_found` (404) when it is not theirs. */
export async function ownedEndpoint(ownerId: string, id: string): Promise<WebhookEndpoint> {
  const prisma = await db();
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id, ownerId } });
  if (!endpoint) throw notFound("Webhook endpoint");
  return endpoint;
}

/**
 * One of the creator's endpoints with its delivery counts (`pending`, `succeeded`, `failed`).
 * @throws AppError `not_found` (404).
 */
export async function getEndpoint(ownerId: string, id: string) {
  const endpoint = await ownedEndpoint(ownerId, id);
  const prisma = await db();
  const counts = await prisma.webhookDelivery.groupBy({ by: ["status"], where: { endpointId: id }, _count: { _all: true } });
  const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
  return { ...endpointJson(endpoint), deliveries: { pending: count("pending"), succeeded: count("succeeded"), failed: count("failed") } };
}
export type EndpointDetail = Awaited<ReturnType<typeof getEndpoint>>;
