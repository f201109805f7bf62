import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { descriptionField, eventTypesField, webhookUrlField } from "@/lib/webhooks/endpoint-input";
import { endpointJson, type EndpointJson } from "@/lib/webhooks/endpoint-json";
import { newSecret } from "@/lib/webhooks/signing";

/** Endpoints a creator may have. */
export const MAX_ENDPOINTS = 20;

export const createEndpointInput = z.object({
  ownerId: z.string().min(1),
  url: webhookUrlField,
  description: descriptionField,
  eventTypes: eventTypesField.default([]),
});
export type CreateEndpointInput = z.input<typeof createEndpointInput>;

/**
 * Adds a webhook endpoint for the creator, with a new signing secret (`whsec_…`).
 * @returns the endpoint and its `secret` — returned this once, never again.
 * @throws ZodError (→ 400 `invalid_request`: bad URL, internal address, unknown event type);
 *   AppError `conflict` (409) past {@link MAX_ENDPOINTS} endpoints.
 */
export async function createEndpoint(input: CreateEndpointInput): Promise<EndpointJson & { secret: string }> {
  const v = createEndpointInput.parse(input);
  const prisma = await db();
  if ((await prisma.webhookEndpoint.count({ where: { ownerId: v.ownerId } })) >= MAX_ENDPOINTS) {
    throw new AppError("conflict", `You can have at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`);
  }
  const secret = newSecret();
  const endpoint = await prisma.webhookEndpoint.create({
    data: { id: newId("whe"), ownerId: v.ownerId, url: v.url, description: v.description || null, eventTypes: v.eventTypes, secret },
  });
  return { ...endpointJson(endpoint), secret };
}
