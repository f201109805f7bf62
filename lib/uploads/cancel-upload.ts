import "server-only";
import { db } from "@/lib/db";
import type { Upload } from "@/lib/generated/prisma/client";
import { storage } from "@/lib/storage";
import { isDirectStore } from "@/lib/storage/types";
import { getOwnedUpload, headerKeyOf } from "@/lib/uploads/get-upload";

/**
 * Cancels the creator's upload: the multipart upload is aborted (its parts are dropped by the
 * store), any object already completed at its key is deleted, and the upload is forgotten. A
 * completion running at the same time then finds no upload and keeps nothing.
 * @throws AppError `not_found` (404).
 */
export async function cancelUpload(ownerId: string, id: string): Promise<void> {
  await discardUpload(await getOwnedUpload(ownerId, id));
}

/**
 * Forgets `upload` and everything it left in the store: the row is deleted first (so no completion
 * can record it afterwards), then the multipart upload is aborted and the payload and header keys
 * are deleted. Store failures are left to the bucket's `AbortIncompleteMultipartUpload` rule.
 */
export async function discardUpload(upload: Upload): Promise<void> {
  const prisma = await db();
  await prisma.upload.deleteMany({ where: { id: upload.id } });
  const store = storage();
  await Promise.allSettled([
    isDirectStore(store) ? store.abortMultipartUpload(upload.storageKey, upload.multipartId) : Promise.resolve(),
    store.delete(upload.storageKey),
    store.delete(headerKeyOf(upload)),
  ]);
}
