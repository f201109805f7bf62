import "server-only";
import { z } from "zod";
import { EVENT_TYPES } from "@/lib/webhooks/events";
import { checkWebhookUrl } from "@/lib/webhooks/targets";

/** The URL of an endpoint, checked by {@link checkWebhookUrl} and normalized. */
export const webhookUrlField = z.string().transform((v, ctx) => {
  const checked = checkWebhookUrl(v);
  if (checked.ok) return checked.url;
  ctx.addIssue({ code: "custom", message: checked.message });
  return z.NEVER;
});

/** Event types subscribed to: a subset of {@link EVENT_TYPES} without repeats; `[]` = every type. */
export const eventTypesField = z
  .array(z.enum(EVENT_TYPES, { message: `Use event types among ${EVENT_TYPES.join(", ")}.` }))
  .max(EVENT_TYPES.length)
  .transform((types) => EVENT_TYPES.filter((t) => types.includes(t)));

export const descriptionField = z.string().trim().max(200, "At most 200 characters.").nullish();
