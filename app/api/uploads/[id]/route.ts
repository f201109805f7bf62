import { json, withCreator } from "@/lib/http";
import { cancelUpload } from "@/lib/uploads/cancel-upload";

/**
 * `DELETE /api/uploads/{id}` — cancels an upload: the multipart upload is aborted in the bucket and
 * the upload is forgotten. 200 → `{id, cancelled: true}`; 404 when unknown, finished or not the caller's.
 */
export const DELETE = withCreator<{ id: string }>(async ({ params, creator }) => json(await cancelUpload(creator.userId, params.id)));
