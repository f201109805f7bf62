import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { StoredObject } from "@/lib/generated/prisma/client";

/**
 * The creator's object by id (`obj_…`). Another creator's, a deleted or an unknown object →
 * AppError `not_found` (404): the answer never tells which.
 */
export async function getOwnedObject(ownerId: string, id: string): Promise<StoredObject> {
  const prisma = await db();
  const object = await prisma.storedObject.findFirst({ where: { id, ownerId, deletedAt: null } });
  if (!object) throw notFound("Object");
  return object;
}
