import "server-only";
import { db } from "@/lib/db";
import { ownedEndpoint } from "@/lib/webhooks/get-endpoint";

/**
 * Deletes an endpoint with its deliveries and their log (pending deliveries are dropped).
 * @returns `{ id, deleted: true }`. @throws AppError `not_found` (404).
 */
export async function deleteEndpoint(ownerId: string, id: string): Promise<{ id: string; deleted: true }> {
  const endpoint = await ownedEndpoint(ownerId, id);
  const prisma = await db();
  await prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
  return { id: endpoint.id, deleted: true };
}
