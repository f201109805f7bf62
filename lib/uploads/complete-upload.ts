import "server-only";
import { z } from "zod";
import { signStoredPayload } from "@/lib/ans104/stream-sign";
import { serverSigner } from "@/lib/ans104/signer";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Upload } from "@/lib/generated/prisma/client";
import { newAnchor, serverTags } from "@/lib/objects/create-object";
import { objectJson, type ObjectJson } from "@/lib/objects/object-json";
import { storage } from "@/lib/storage";
import { StorageNotFoundError, StorageUnavailableError } from "@/lib/storage/types";
import { directStore, getOwnedUpload, headerKeyOf, partCountOf } from "@/lib/uploads/get-upload";
import { discardUpload } from "@/lib/uploads/cancel-upload";

/** A completion that has not finished after this long (a function killed at its time limit) may be taken over. */
const COMPLETION_LEASE_MS = 15 * 60 * 1000;

export const completeUploadInput = z.object({
  /**
   * Every part's number and the `ETag` its PUT answered, when the server should complete the S3
   * multipart upload; omit when the client already completed it with the presigned `completeUrl`.
   */
  parts: z
    .array(z.object({ partNumber: z.number().int().min(1), etag: z.string().min(1).max(200) }))
    .max(10_000)
    .optional(),
});

/**
 * Finishes the creator's direct upload and makes it an object (issue 11):
 * 1. takes the upload's completion lease (one completion at a time, across instances: a conditional
 *    update in PostgreSQL; a stale lease, older than 15 min, may be taken over);
 * 2. completes the S3 multipart upload with `parts` (all of them, in order), unless the client did;
 * 3. streams the stored payload back from the bucket (never buffered), computes the ANS-104 deep hash
 *    and SHA-256, signs with the server's key (ANS104_SIGNER) and verifies the signature over that
 *    hash — so the object is ready only once its DataItem verifies over the bytes as stored; the
 *    stored size must be the declared size; the signed header is written next to the payload;
 * 4. records the object and forgets the upload in one transaction (a cancelled upload records nothing).
 * @returns the object (see `objectJson`), the same shape as `POST /api/objects`.
 * @throws AppError `not_found` (404), `conflict` (409: another completion is running, or the parts
 *   are not all uploaded yet: PUT them and complete again), `invalid_request` (400: the part list
 *   is incomplete or the stored size differs from the declared one — then nothing is kept and the
 *   upload is gone), `upstream_error` (502: the store failed; the upload stays, complete again).
 */
export async function completeUpload(ownerId: string, id: string, input: z.input<typeof completeUploadInput>): Promise<ObjectJson> {
  const { parts } = completeUploadInput.parse(input);
  const upload = await claim(ownerId, id);
  try {
    return await finish(upload, parts);
  } catch (error) {
    await release(upload);
    if (error instanceof StorageUnavailableError) {
      throw new AppError("upstream_error", "The storage backend failed while completing the upload; nothing was recorded. Complete it again.");
    }
    throw error;
  }
}

async function claim(ownerId: string, id: string): Promise<Upload> {
  const upload = await getOwnedUpload(ownerId, id);
  const prisma = await db();
  const now = new Date();
  const { count } = await prisma.upload.updateMany({
    where: {
      id: upload.id,
      OR: [{ completingAt: null }, { completingAt: { lt: new Date(now.getTime() - COMPLETION_LEASE_MS) } }],
    },
    data: { completingAt: now },
  });
  if (count !== 1) throw new AppError("conflict", "This upload is already being completed; wait for that answer.");
  return { ...upload, completingAt: now };
}

async function release(upload: Upload): Promise<void> {
  const prisma = await db();
  await prisma.upload.updateMany({ where: { id: upload.id, completingAt: upload.completingAt }, data: { completingAt: null } });
}

async function finish(upload: Upload, parts: { partNumber: number; etag: string }[] | undefined): Promise<ObjectJson> {
  const store = directStore();
  if (!store) throw new AppError("unprocessable", "This server's storage does not take direct uploads.");
  if (parts) {
    const count = partCountOf(upload);
    const numbers = parts.map((p) => p.partNumber);
    if (numbers.length !== count || numbers.some((n, i) => n !== i + 1)) {
      throw new AppError("invalid_request", `List every part once, in order: parts 1 to ${count}.`);
    }
    await store.completeMultipartUpload(upload.storageKey, upload.multipartId, parts);
  }
  const stored = await store.head(upload.storageKey);
  if (!stored) {
    throw new AppError("conflict", "The upload is not complete yet: PUT every part, then complete it (with the parts' ETags).");
  }
  if (stored.size !== upload.size) {
    await discardUpload(upload);
    throw new AppError("invalid_request", `The stored object has ${stored.size} bytes, not the declared ${upload.size}; nothing was kept.`);
  }
  const headerKey = headerKeyOf(upload);
  let item;
  try {
    item = await signStoredPayload({
      store,
      payloadKey: upload.storageKey,
      headerKey,
      size: upload.size,
      signer: await serverSigner(),
      anchor: newAnchor(),
      tags: serverTags(upload.name, upload.contentType),
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_request") {
      await discardUpload(upload);
      throw error;
    }
    if (error instanceof StorageNotFoundError) {
      throw new AppError("conflict", "The upload's object disappeared while it was being signed (cancelled?).");
    }
    throw error;
  }
  const prisma = await db();
  const row = await prisma.$transaction(async (tx) => {
    const { count } = await tx.upload.deleteMany({ where: { id: upload.id } });
    if (count !== 1) return null;
    return tx.storedObject.create({
      data: {
        id: upload.objectId,
        ownerId: upload.ownerId,
        name: upload.name,
        contentType: upload.contentType,
        size: item.size,
        dataOffset: item.dataOffset,
        dataItemId: item.id,
        signatureType: item.signatureType,
        dataItemOwner: item.owner,
        signer: item.signer,
        tags: item.tags.map(({ name, value }) => ({ name, value })),
        storageKey: upload.storageKey,
        headerKey,
        sha256: item.sha256,
      },
    });
  });
  if (!row) {
    await Promise.allSettled([storage().delete(upload.storageKey), storage().delete(headerKey)]);
    throw new AppError("not_found", "Upload not found (it was cancelled while it was being completed).");
  }
  return objectJson(row);
}
