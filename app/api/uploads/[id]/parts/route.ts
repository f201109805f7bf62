import { json, parseJson, withCreator } from "@/lib/http";
import { signParts, signPartsInput } from "@/lib/uploads/sign-parts";

/**
 * `POST /api/uploads/{id}/parts` `{partNumbers: [1, 2, …]}` (at most 100) — presigned URLs, valid
 * up to an hour: `PUT` each part's bytes (exactly `size`) to its `url` and keep the `ETag` header of
 * the answer; `completeUrl` takes S3's `CompleteMultipartUpload` XML for clients that complete
 * themselves. 200 → `{parts: [{partNumber, size, url}], completeUrl, expiresAt}`. Errors: 400, 404, 422.
 */
export const POST = withCreator<{ id: string }>(async ({ req, params, creator }) =>
  json(await signParts(creator.userId, params.id, await parseJson(req, signPartsInput))),
);
