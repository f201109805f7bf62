import "server-only";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";

/**
 * How long a deleted object's bytes are kept at least. Any reservation that began before the
 * deletion committed has long been recorded by then, so "no payment owed" is a settled fact.
 */
export const PURGE_GRACE_SECONDS = 600;

/**
 * Erases the bytes (payload and DataItem header) of deleted objects that no buyer is owed any more:
 * deleted more than {@link PURGE_GRACE_SECONDS} ago, with no payment on any of their links still
 * `settling` and no `settled` one inside its access window. Marks them `purgedAt`. Storage errors
 * leave the object for the next run. Returns how many objects were erased.
 */
export async function purgeDeletedObjects(now = new Date(), limit = 100): Promise<number> {
  const prisma = await db();
  const graceEnd = new Date(now.getTime() - PURGE_GRACE_SECONDS * 1000);
  const due = await prisma.$queryRaw<{ id: string; storageKey: string; headerKey: string }[]>`
    SELECT o."id", o."storageKey", o."headerKey" FROM "StoredObject" o
    WHERE o."deletedAt" IS NOT NULL AND o."deletedAt" < ${graceEnd} AND o."purgedAt" IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM "Payment" p JOIN "PaymentLink" l ON l."id" = p."linkId"
        WHERE l."objectId" = o."id" AND (
          p."status" = 'settling'::"PaymentStatus"
          OR (p."status" = 'settled'::"PaymentStatus" AND p."settledAt" + make_interval(secs => l."accessSeconds") > ${now})))
    ORDER BY o."deletedAt" LIMIT ${limit}`;
  const store = storage();
  let purged = 0;
  for (const object of due) {
    try {
      await Promise.all([store.delete(object.storageKey), store.delete(object.headerKey)]);
    } catch (error) {
      console.error("[vend] could not erase a deleted object's bytes; will retry", object.id, error);
      continue;
    }
    await prisma.storedObject.update({ where: { id: object.id }, data: { purgedAt: new Date() } });
    purged++;
  }
  return purged;
}
