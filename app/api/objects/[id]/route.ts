import { json, withCreator } from "@/lib/http";
import { deleteObject } from "@/lib/objects/delete-object";
import { getOwnedObject } from "@/lib/objects/get-object";
import { objectJson } from "@/lib/objects/object-json";

/** `GET /api/objects/{id}` — one of the creator's objects (tags, signature type, owner). 404 otherwise. */
export const GET = withCreator<{ id: string }>(async ({ params, creator }) =>
  json(objectJson(await getOwnedObject(creator.userId, params.id))),
);

/**
 * `DELETE /api/objects/{id}` — deletes the object: its links stop selling at once (410
 * `object_gone`); buyers who paid keep their access until their window closes, then the bytes are
 * erased. 200 → `{id, deletedAt, keptUntil}` (ISO or null); 404 when not the caller's.
 */
export const DELETE = withCreator<{ id: string }>(async ({ params, creator }) =>
  json(await deleteObject(creator.userId, params.id)),
);
