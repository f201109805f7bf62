import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { emptyFile, mediaType, objectName, tooLarge } from "@/lib/objects/create-object";
import { directStore, partCountOf } from "@/lib/uploads/get-upload";
import { sweepExpiredUploads } from "@/lib/uploads/sweep-uploads";

const MiB = 1024n * 1024n;
/** Default part size: 8 MiB (S3's minimum is 5 MiB; at most 10,000 parts). */
const PART_SIZE = 8n * MiB;
/** S3's most parts per multipart upload. */
const MAX_PARTS = 10_000n;
/** How long an upload may stay unfinished before it is aborted and forgotten: 24 h. */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export const createUploadInput = z.object({
  ownerId: z.string().min(1),
  name: objectName,
  contentType: mediaType,
  /** Payload bytes (decimal string or integer); 1 … MAX_UPLOAD_BYTES. */
  size: z.union([z.string().regex(/^\d{1,20}$/, "size must be a whole number of bytes"), z.number().int().nonnegative()]).transform(
    (v) => BigInt(v),
  ),
});
export type CreateUploadInput = z.input<typeof createUploadInput>;

/** What `POST /api/uploads` answers. */
export type UploadPlan =
  | {
      /** The bytes go straight to the bucket in parts (S3 driver). */
      mode: "multipart";
      id: string;
      /** The object id the upload becomes once completed (`GET /api/objects/{objectId}`). */
      objectId: string;
      name: string;
      contentType: string;
      /** Bytes, decimal strings. Every part is `partSize` bytes except the last. */
      size: string;
      partSize: string;
      partCount: number;
      expiresAt: string;
    }
  | {
      /** The store is not reachable by clients (fs driver): stream the bytes to `url` (`POST /api/objects`). */
      mode: "stream";
      url: string;
    };

/**
 * Starts a direct-to-storage upload (issue 11): with the S3 driver, opens an S3 multipart upload for
 * the object's payload key and records it (`Upload`, expiring after {@link UPLOAD_TTL_MS}); the
 * client then asks for presigned part URLs, PUTs the parts to the bucket and completes. The part
 * size is 8 MiB, or larger for files over 78 GiB (S3 allows 10,000 parts), rounded up to a MiB.
 * With the fs driver nothing is recorded: the answer says to stream the bytes to `POST /api/objects`.
 * The creator's own expired uploads are swept first (aborted and forgotten).
 * @throws AppError `invalid_request` (400: bad name, type or size), `empty_file` (400: 0 bytes,
 *   nothing to sell), `payload_too_large` (413, over MAX_UPLOAD_BYTES),
 *   `upstream_error` (502, the store refused to open the upload; nothing recorded).
 */
export async function createUpload(input: CreateUploadInput): Promise<UploadPlan> {
  const data = createUploadInput.parse(input);
  const maxBytes = env().MAX_UPLOAD_BYTES;
  if (data.size > maxBytes) throw tooLarge(maxBytes);
  if (data.size === 0n) throw emptyFile();
  const store = directStore();
  if (!store) return { mode: "stream", url: "/api/objects" };
  await sweepExpiredUploads({ ownerId: data.ownerId });

  const perPart = (data.size + MAX_PARTS - 1n) / MAX_PARTS;
  const partSize = perPart > PART_SIZE ? ((perPart + MiB - 1n) / MiB) * MiB : PART_SIZE;
  const id = newId("upl");
  const objectId = newId("obj");
  const storageKey = `objects/${data.ownerId}/${objectId}/payload`;
  let multipartId: string;
  try {
    multipartId = await store.createMultipartUpload(storageKey, data.contentType);
  } catch {
    throw new AppError("upstream_error", "The storage backend refused to start the upload; nothing was recorded. Try again.");
  }
  const prisma = await db();
  try {
    const row = await prisma.upload.create({
      data: {
        id,
        ownerId: data.ownerId,
        objectId,
        name: data.name,
        contentType: data.contentType,
        size: data.size,
        partSize,
        multipartId,
        storageKey,
        expiresAt: new Date(Date.now() + UPLOAD_TTL_MS),
      },
    });
    return {
      mode: "multipart",
      id,
      objectId,
      name: row.name,
      contentType: row.contentType,
      size: row.size.toString(),
      partSize: row.partSize.toString(),
      partCount: partCountOf(row),
      expiresAt: row.expiresAt.toISOString(),
    };
  } catch (error) {
    await store.abortMultipartUpload(storageKey, multipartId).catch(() => undefined);
    throw error;
  }
}
