import "server-only";
import { db } from "@/lib/db";
import { getOwnedObject } from "@/lib/objects/get-object";
import { forgetLinks } from "@/lib/purchases/sale";
import { storage } from "@/lib/storage";

/**
 * Deletes the creator's object: the row is kept (marked `deletedAt`) so its links and sales stay
 * readable and answer 410 `object_gone`; the bytes (payload and DataItem header) are removed.
 * @returns `{ id, deletedAt }`. @throws AppError `not_found`.
 */
export async function deleteObject(ownerId: string, id: string): Promise<{ id: string; deletedAt: string }> {
  const object = await getOwnedObject(ownerId, id);
  const prisma = await db();
  const deletedAt = new Date();
  await prisma.storedObject.update({ where: { id: object.id }, data: { deletedAt } });
  forgetLinks();
  const store = storage();
  await Promise.all([store.delete(object.storageKey), store.delete(object.headerKey)]);
  return { id: object.id, deletedAt: deletedAt.toISOString() };
}
