import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { descriptionField, eventTypesField, webhookUrlField } from "@/lib/webhooks/endpoint-input";
import { endpointJson, type EndpointJson } from "@/lib/webhooks/endpoint-json";
import { ownedEndpoint } from "@/lib/webhooks/get-endpoint";

export const updateEndpointInput = z
  .object({
    url: webhookUrlField.optional(),
    description: descriptionField,
    eventTypes: eventTypesField.optional(),
    /** true stops deliveries (pending ones wait); false resumes them. */
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to change." });
export type UpdateEndpointInput = z.input<typeof updateEndpointInput>;

/**
 * Changes an endpoint's URL, description, subscribed event types or disabled state. A disabled
 * endpoint gets no new events and its pending deliveries wait until it is enabled again (their
 * retry schedule continues from there).
 * @throws ZodError (→ 400 `invalid_request`); AppError `not_found` (404).
 */
export async function updateEndpoint(ownerId: string, id: string, input: UpdateEndpointInput): Promise<EndpointJson> {
  const v = updateEndpointInput.parse(input);
  const endpoint = await ownedEndpoint(ownerId, id);
  const prisma = await db();
  const updated = await prisma.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: {
      ...(v.url !== undefined ? { url: v.url } : {}),
      ...(v.description !== undefined ? { description: v.description || null } : {}),
      ...(v.eventTypes !== undefined ? { eventTypes: v.eventTypes } : {}),
      ...(v.disabled !== undefined ? { disabledAt: v.disabled ? (endpoint.disabledAt ?? new Date()) : null } : {}),
    },
  });
  return endpointJson(updated);
}
