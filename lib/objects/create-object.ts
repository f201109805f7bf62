import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { PayloadTooLargeError, storeSignedDataItem, type Tag } from "@/lib/ans104/stream-sign";
import { InvalidDataItemError, dataItemTag, storeVerifiedDataItem } from "@/lib/ans104/parse";
import { serverSigner } from "@/lib/ans104/signer";
import { objectJson, type ObjectJson } from "@/lib/objects/object-json";
import { storage } from "@/lib/storage";
import { byteChunks, StorageUnavailableError, type ByteSource } from "@/lib/storage/types";
import { isSafeString } from "@/lib/validate";

/** A stored object's file name, shown to buyers and sent as `Content-Disposition`. */
export const objectName = z
  .string()
  .trim()
  .min(1)
  .max(255, "The file name is longer than 255 characters.")
  .refine(isSafeString, "The file name may not contain NUL or control characters.");
/** A stored object's media type (`type/subtype`, parameters allowed). */
export const mediaType = z
  .string()
  .trim()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, "Not a valid media type.")
  .refine(isSafeString, "Not a valid media type.")
  .default("application/octet-stream");

export const createObjectInput = z.object({
  ownerId: z.string().min(1),
  /** File name shown to buyers and sent as `Content-Disposition`. */
  name: objectName.optional(),
  contentType: mediaType,
  /** Content-Length when the client sent one (bytes); lets an oversize upload fail before reading. */
  declaredSize: z.bigint().nonnegative().optional(),
  /** The body is an already signed ANS-104 DataItem to verify and store unchanged. */
  signed: z.boolean().default(false),
}).refine((d) => d.signed || d.name, {
  path: ["name"],
  message: "A file name is required (X-Filename header or the multipart file name).",
});
export type CreateObjectInput = z.input<typeof createObjectInput> & {
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Settles when the whole request body was read (a multipart parser's end); rejects when it broke. */
  done?: Promise<void>;
};

/**
 * Stores an upload as a signed ANS-104 DataItem, streaming (memory stays flat at any size; the body
 * is regrouped into 1 MiB chunks first, see {@link regroup}):
 * - unsigned body: the payload streams to storage while its deep hash is computed, then the server's
 *   key (ANS104_SIGNER) signs, with tags `Content-Type`, `File-Name`, `App-Name: Vend`;
 * - `signed`: the body is a creator-signed DataItem, verified (every arbundles signature type) and
 *   stored unchanged, so its id, owner and signature type are the creator's.
 * The object row is written only after both the payload and the signed header are stored.
 * @returns the object (see {@link objectJson}).
 * @throws AppError `empty_file` (400, no bytes; nothing stored), `payload_too_large` (413, nothing
 *   stored), `invalid_data_item` (400),
 *   `upstream_error` (502, storage failed; nothing recorded).
 */
export async function createObject(input: CreateObjectInput): Promise<ObjectJson> {
  const { body, done, ...rest } = input;
  const data = createObjectInput.parse(rest);
  const maxBytes = env().MAX_UPLOAD_BYTES;
  if (data.declaredSize !== undefined && data.declaredSize > maxBytes) throw tooLarge(maxBytes);
  if (data.declaredSize === 0n) throw emptyFile();

  const id = newId("obj");
  const payloadKey = `objects/${data.ownerId}/${id}/payload`;
  const headerKey = `objects/${data.ownerId}/${id}/header`;
  const store = storage();
  const source = regroup(body);
  let stored;
  try {
    stored = data.signed
      ? await storeVerifiedDataItem({ source, store, payloadKey, headerKey, maxBytes })
      : await storeSignedDataItem({
          source,
          store,
          payloadKey,
          headerKey,
          maxBytes,
          signer: await serverSigner(),
          anchor: newAnchor(),
          tags: serverTags(data.name as string, data.contentType),
        });
    await done;
  } catch (error) {
    if (stored) await Promise.allSettled([store.delete(payloadKey), store.delete(headerKey)]);
    if (error instanceof PayloadTooLargeError) throw tooLarge(maxBytes);
    if (error instanceof InvalidDataItemError) throw new AppError("invalid_data_item", error.message);
    if (error instanceof StorageUnavailableError) {
      throw new AppError("upstream_error", "The storage backend failed; nothing was stored. Try again.");
    }
    throw error;
  }

  if (stored.size === 0n) {
    await Promise.allSettled([store.delete(payloadKey), store.delete(headerKey)]);
    throw emptyFile();
  }

  const name = data.name ?? dataItemTag(stored.tags, "File-Name") ?? `${stored.id}.bin`;
  const contentType = data.signed ? (dataItemTag(stored.tags, "Content-Type") ?? data.contentType) : data.contentType;
  try {
    const prisma = await db();
    const row = await prisma.storedObject.create({
      data: {
        id,
        ownerId: data.ownerId,
        name,
        contentType,
        size: stored.size,
        dataOffset: stored.dataOffset,
        dataItemId: stored.id,
        signatureType: stored.signatureType,
        dataItemOwner: stored.owner,
        signer: stored.signer,
        tags: stored.tags.map(({ name, value }) => ({ name, value })),
        storageKey: payloadKey,
        headerKey,
        sha256: stored.sha256,
      },
    });
    return objectJson(row);
  } catch (error) {
    await Promise.allSettled([store.delete(payloadKey), store.delete(headerKey)]);
    throw error;
  }
}

/** The tags of a DataItem the server signs for an upload: `Content-Type`, `File-Name`, `App-Name: Vend`. */
export function serverTags(name: string, contentType: string): Tag[] {
  return [
    { name: "Content-Type", value: contentType },
    { name: "File-Name", value: name },
    { name: "App-Name", value: "Vend" },
  ];
}

/** A random ANS-104 anchor (32 bytes once encoded): every upload gets its own DataItem id, even for identical bytes. */
export function newAnchor(): string {
  return randomBytes(24).toString("base64url");
}

/** The 400 `empty_file` error of an upload of 0 bytes. */
export function emptyFile(): AppError {
  return new AppError("empty_file", "The file is empty (0 bytes): there is nothing to sell. Nothing was stored.");
}

/** Size of the chunks an upload body is regrouped into before hashing and storing (1 MiB). */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/**
 * Regroups a body into chunks of exactly `size` bytes (the last one shorter; a chunk already that
 * large passes through when nothing is pending). HTTP bodies arrive in pieces of at most 64 KiB,
 * and every piece costs a round trip through the upload pipeline (tee, hashing thread, one store
 * write each: for the fs driver a thread-pool write it waits for); 1 MiB chunks cut those round
 * trips 16-fold for one copy of the bytes. Holds at most one partly filled chunk; a fresh buffer
 * is used for each chunk handed on, since the store may keep it (S3 part buffers).
 */
export async function* regroup(body: ByteSource, size = UPLOAD_CHUNK_BYTES): AsyncGenerator<Uint8Array, void, undefined> {
  let buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const chunk of byteChunks(body)) {
    if (filled === 0 && chunk.byteLength >= size) {
      yield chunk;
      continue;
    }
    let offset = 0;
    while (offset < chunk.byteLength) {
      const n = Math.min(size - filled, chunk.byteLength - offset);
      buffer.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield buffer;
        buffer = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** The 413 `payload_too_large` error of an upload over `maxBytes` (MAX_UPLOAD_BYTES). */
export function tooLarge(maxBytes: bigint): AppError {
  return new AppError("payload_too_large", `The upload exceeds the limit of ${maxBytes} bytes; nothing was stored.`, {
    maxBytes: maxBytes.toString(),
  });
}
