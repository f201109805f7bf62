import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { keysetCursor, readKeysetCursor } from "@/lib/keyset";
import { optionalQuery } from "@/lib/validate";
import { DELIVERY_INCLUDE, deliveryJson } from "@/lib/webhooks/delivery-json";
import { ownedEndpoint } from "@/lib/webhooks/get-endpoint";

export const listDeliveriesQuery = z.object({
  status: optionalQuery(z.enum(["pending", "succeeded", "failed"])),
  /** The `nextCursor` of the previous page. */
  cursor: optionalQuery(z.string().max(200)),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

function afterCursor(cursor: string | undefined) {
  if (!cursor) return {};
  const { at: createdAt, id } = readKeysetCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

/**
 * The delivery log of one endpoint, newest first (keyset pagination), optionally by status: each
 * delivery with its event, exact payload and attempts.
 * @returns `{ deliveries, nextCursor }`.
 * @throws ZodError (→ 400 `invalid_request`); AppError `not_found` (404).
 */
export async function listDeliveries(ownerId: string, endpointId: string, query: z.input<typeof listDeliveriesQuery>) {
  const { status, cursor, limit } = listDeliveriesQuery.parse(query);
  const endpoint = await ownedEndpoint(ownerId, endpointId);
  const prisma = await db();
  const rows = await prisma.webhookDelivery.findMany({
    where: { AND: [{ endpointId: endpoint.id }, status ? { status } : {}, afterCursor(cursor)] },
    include: DELIVERY_INCLUDE,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { deliveries: page.map(deliveryJson), nextCursor: rows.length > limit && last ? keysetCursor(last.createdAt, last.id) : null };
}
