import { json, parseJson, withCreator } from "@/lib/http";
import { createUpload, createUploadInput } from "@/lib/uploads/create-upload";

export const dynamic = "force-dynamic";

/**
 * `POST /api/uploads` `{name, contentType?, size}` — starts a direct upload: the file's bytes go to
 * the bucket in parts, never through this app (Vercel refuses request bodies over 4.5 MB).
 * S3 driver: 201 `{mode: "multipart", id, objectId, name, contentType, size, partSize, partCount,
 * expiresAt}`; then `POST /api/uploads/{id}/parts` for presigned part URLs, PUT each part, and
 * `POST /api/uploads/{id}/complete`. fs driver: 200 `{mode: "stream", url: "/api/objects"}` (send the
 * bytes there). Errors: 400 `invalid_request`, 401, 413 `payload_too_large`, 502 `upstream_error`.
 */
export const POST = withCreator(async ({ req, creator }) => {
  const body = await parseJson(req, createUploadInput.omit({ ownerId: true }));
  const plan = await createUpload({ ...body, size: body.size.toString(), ownerId: creator.userId });
  return json(plan, { status: plan.mode === "multipart" ? 201 : 200 });
});
