import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { directStore, getOwnedUpload, partCountOf } from "@/lib/uploads/get-upload";

/** Longest validity of a presigned part or completion URL: 1 h (a new one can be asked for any time). */
const URL_TTL_SECONDS = 3600;

export const signPartsInput = z.object({
  /** Part numbers (1 … partCount), at most 100 per call. */
  partNumbers: z.array(z.number().int().min(1)).min(1).max(100),
});

/**
 * Presigned URLs for parts of the creator's upload: each accepts one `PUT` of exactly that part's
 * bytes (`partSize`, the last part the rest; the length is signed) and answers with the part's
 * `ETag`; plus the presigned `CompleteMultipartUpload` URL (POST of S3's part list XML), for
 * clients that complete the multipart upload themselves. Valid for an hour at most, never past the
 * upload's expiry.
 * @returns `{parts: [{partNumber, size, url}], completeUrl, expiresAt}` (sizes: decimal strings).
 * @throws AppError `not_found` (404), `invalid_request` (400: a part number over `partCount`),
 *   `unprocessable` (422: the store does not take direct uploads).
 */
export async function signParts(ownerId: string, id: string, input: z.input<typeof signPartsInput>) {
  const { partNumbers } = signPartsInput.parse(input);
  const upload = await getOwnedUpload(ownerId, id);
  const store = directStore();
  if (!store) throw new AppError("unprocessable", "This server's storage does not take direct uploads.");
  const partCount = partCountOf(upload);
  const beyond = partNumbers.find((n) => n > partCount);
  if (beyond) throw new AppError("invalid_request", `Part ${beyond} does not exist: this upload has ${partCount} parts.`);
  const ttl = Math.max(1, Math.min(URL_TTL_SECONDS, Math.floor((upload.expiresAt.getTime() - Date.now()) / 1000)));
  const sizeOf = (n: number) => {
    const start = BigInt(n - 1) * upload.partSize;
    const rest = upload.size - start;
    return rest < upload.partSize ? rest : upload.partSize;
  };
  const parts = await Promise.all(
    [...new Set(partNumbers)].map(async (partNumber) => {
      const size = sizeOf(partNumber);
      return { partNumber, size: size.toString(), url: await store.presignPart(upload.storageKey, upload.multipartId, partNumber, size, ttl) };
    }),
  );
  return {
    parts,
    completeUrl: await store.presignComplete(upload.storageKey, upload.multipartId, ttl),
    expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
  };
}
