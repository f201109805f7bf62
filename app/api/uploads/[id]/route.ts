import { withCreator } from "@/lib/http";
import { cancelUpload } from "@/lib/uploads/cancel-upload";

/**
 * `DELETE /api/uploads/{id}` — cancels an upload: the multipart upload is aborted in the bucket and
 * the upload is forgotten. 204 (no body: S3 clients such as Uppy read the answer as S3's own
 * `AbortMultipartUpload` answer); 404 when unknown, finished or not the caller's.
 */
export const DELETE = withCreator<{ id: string }>(async ({ params, creator }) => {
  await cancelUpload(creator.userId, params.id);
  return new Response(null, { status: 204 });
});
