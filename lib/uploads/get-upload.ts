import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Upload } from "@/lib/generated/prisma/client";
import { storage } from "@/lib/storage";
import { isDirectStore, type DirectStore } from "@/lib/storage/types";

/**
 * The creator's upload in progress by id (`upl_…`). Another creator's, a finished, a cancelled, an
 * expired or an unknown upload → AppError `not_found` (404): the answer never tells which.
 */
export async function getOwnedUpload(ownerId: string, id: string): Promise<Upload> {
  const prisma = await db();
  const upload = await prisma.upload.findFirst({ where: { id, ownerId, expiresAt: { gt: new Date() } } });
  if (!upload) throw notFound("Upload");
  return upload;
}

/** The store of direct uploads; null with a driver that clients cannot reach (fs). */
export function directStore(): DirectStore | null {
  const store = storage();
  return isDirectStore(store) ? store : null;
}

/** The storage key of the signed DataItem header of the object an upload becomes. */
export function headerKeyOf(upload: Pick<Upload, "ownerId" | "objectId">): string {
  return `objects/${upload.ownerId}/${upload.objectId}/header`;
}

/** Number of parts of an upload: ceil(size / partSize). */
export function partCountOf(upload: Pick<Upload, "size" | "partSize">): number {
  return Number((upload.size + upload.partSize - 1n) / upload.partSize);
}
