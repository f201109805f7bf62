import { z } from "zod";

/**
 * Keyset pagination for lists ordered newest first by (a time, id): the cursor after a row is
 * base64url of `<time ISO>|<id>`, opaque to clients. (Not Prisma's `cursor`, which with a nullable
 * sort column reads every following row and cuts the page in JavaScript.)
 */

/** The cursor after a row ordered by `at` then `id`. */
export function keysetCursor(at: Date | null, id: string): string {
  return Buffer.from(`${at?.toISOString() ?? ""}|${id}`).toString("base64url");
}

/**
 * The (time, id) a {@link keysetCursor} stands for. A malformed cursor → ZodError on `cursor`
 * (400 `invalid_request`).
 */
export function readKeysetCursor(cursor: string): { at: Date; id: string } {
  const [time, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const at = new Date(time ?? "");
  if (!id || Number.isNaN(at.getTime())) {
    throw new z.ZodError([{ code: "custom", path: ["cursor"], message: "Invalid cursor.", input: cursor }]);
  }
  return { at, id };
}
