import { json, parseJson, withCreator } from "@/lib/http";
import { completeUpload, completeUploadInput } from "@/lib/uploads/complete-upload";

export const dynamic = "force-dynamic";
/** Completion streams the whole stored object back from the bucket to sign it: up to Vercel Hobby's limit. */
export const maxDuration = 300;

/**
 * `POST /api/uploads/{id}/complete` `{parts?: [{partNumber, etag}]}` — completes the multipart upload
 * (unless the client did, with `completeUrl`), signs the stored bytes as an ANS-104 DataItem with
 * the server's key and records the object. 201 → the object, as `POST /api/objects` answers.
 * Errors: 400 `invalid_request` (parts missing or out of order; stored size ≠ declared size: nothing
 * kept), 404, 409 `conflict` (parts not all uploaded, or a completion already running),
 * 502 `upstream_error` (complete again).
 */
export const POST = withCreator<{ id: string }>(async ({ req, params, creator }) => {
  const body = req.headers.get("content-length") === "0" ? {} : await parseJson(req, completeUploadInput);
  return json(await completeUpload(creator.userId, params.id, body), { status: 201 });
});
