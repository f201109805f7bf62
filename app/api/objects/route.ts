import { json, parseQuery, withCreator } from "@/lib/http";
import { createObject } from "@/lib/objects/create-object";
import { listObjects, listObjectsInput } from "@/lib/objects/list-objects";
import { readUpload } from "@/lib/objects/read-upload";

export const dynamic = "force-dynamic";

/**
 * `POST /api/objects` — upload a file, stored as a signed ANS-104 DataItem (streamed; memory flat).
 * Body: the raw bytes (`Content-Type`, `X-Filename`: percent-encoded UTF-8 name) or
 * `multipart/form-data` with one file part. A creator-signed DataItem is sent with
 * `Content-Type: application/vnd.ans104` (or `X-Vend-Signed: true`) and stored unchanged.
 * 201 → the object `{id, name, contentType, size, dataItemId, signatureType, owner, signer, tags, …}`.
 * Errors: 400 `invalid_request` / `invalid_data_item` / `empty_file`, 401, 413 `payload_too_large`, 502 `upstream_error`.
 */
export const POST = withCreator(async ({ req, creator }) => {
  const upload = await readUpload(req);
  const object = await createObject({ ownerId: creator.userId, ...upload });
  return json(object, { status: 201 });
});

/**
 * `GET /api/objects?q=&cursor=&limit=` — the creator's objects, newest first.
 * 200 → `{objects: [...], nextCursor: string | null}`.
 */
export const GET = withCreator(async ({ req, creator }) => {
  const query = parseQuery(req, listObjectsInput.omit({ ownerId: true }));
  return json(await listObjects({ ...query, ownerId: creator.userId }));
});
