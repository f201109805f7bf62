import { withCreator } from "@/lib/http";
import { deliverObject } from "@/lib/objects/deliver";
import { getOwnedObject } from "@/lib/objects/get-object";

/**
 * `GET /api/objects/{id}/content[?format=ans104]` — the owner's download, streamed and Range-aware
 * (206 / 416). `format=ans104` returns the whole signed DataItem.
 */
export const GET = withCreator<{ id: string }>(async ({ req, params, creator }) => {
  const object = await getOwnedObject(creator.userId, params.id);
  const format = req.nextUrl.searchParams.get("format") === "ans104" ? "ans104" : "raw";
  return deliverObject(object, { rangeHeader: req.headers.get("range"), format });
});
