import "server-only";
import { db } from "@/lib/db";
import { getOwnedObject } from "@/lib/objects/get-object";
import { forgetLinks } from "@/lib/purchases/sale";

/**
 * Deletes the creator's object. Its links stop selling at once (410 `object_gone` for new buyers;
 * a purchase that was already reserved still completes, since the reservation re-checks the object
 * in SQL before it claims a slot). The bytes are kept for as long as a buyer may be owed them — a
 * payment still settling, or a settled buyer inside their access window — and erased after that by
 * {@link purgeDeletedObjects} (lib/objects/purge-deleted.ts), so a buyer who paid always gets the file.
 * The row is kept so that links and sales stay readable.
 * @returns `{id, deletedAt, keptUntil}`: `keptUntil` (ISO) is when the last settled buyer's access
 *   window closes, or null when no buyer is owed the file (then it is erased within minutes).
 * @throws AppError `not_found` (404) for an unknown, another creator's or an already deleted object.
 */
export async function deleteObject(
  ownerId: string,
  id: string,
): Promise<{ id: string; deletedAt: string; keptUntil: string | null }> {
  const object = await getOwnedObject(ownerId, id);
  const prisma = await db();
  const deletedAt = new Date();
  await prisma.storedObject.update({ where: { id: object.id }, data: { deletedAt } });
  forgetLinks();
  const [row] = await prisma.$queryRaw<{ keptUntil: Date | null }[]>`
    SELECT max(p."settledAt" + make_interval(secs => l."accessSeconds")) AS "keptUntil"
    FROM "Payment" p JOIN "PaymentLink" l ON l."id" = p."linkId"
    WHERE l."objectId" = ${object.id} AND p."status" = 'settled'::"PaymentStatus"`;
  const keptUntil = row?.keptUntil && row.keptUntil > deletedAt ? row.keptUntil.toISOString() : null;
  return { id: object.id, deletedAt: deletedAt.toISOString(), keptUntil };
}
