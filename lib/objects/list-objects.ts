import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { objectJson } from "@/lib/objects/object-json";

export const listObjectsInput = z.object({
  ownerId: z.string().min(1),
  /** Case-insensitive substring of the name, or a DataItem id prefix. */
  q: z.string().trim().max(200).optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListObjectsInput = z.input<typeof listObjectsInput>;

/**
 * The creator's objects (not deleted), newest first, cursor-paginated.
 * @returns `{ objects, nextCursor }` — `nextCursor` is null on the last page.
 */
export async function listObjects(input: ListObjectsInput) {
  const { ownerId, q, cursor, limit } = listObjectsInput.parse(input);
  const prisma = await db();
  const rows = await prisma.storedObject.findMany({
    where: {
      ownerId,
      deletedAt: null,
      ...(q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { dataItemId: { startsWith: q } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  return { objects: page.map(objectJson), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
