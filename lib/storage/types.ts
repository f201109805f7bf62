import "server-only";
import { AppError } from "@/lib/errors";

/**
 * The storage contract shared by every driver (`fs` today, S3-compatible later: Load S3, AWS, R2).
 *
 * Shape chosen so both backends map onto it without buffering:
 * - `put` takes a pull-based byte source; the fs driver pipes it into a temp file and renames it,
 *   an S3 driver feeds it to a multipart upload (`@aws-sdk/lib-storage` `Upload`) and aborts the
 *   upload on failure. Either way a failed `put` leaves nothing at `key`.
 * - `get` with an inclusive byte range is exactly an HTTP/S3 `Range: bytes=start-end` GET.
 * - Sizes are `bigint` bytes throughout (objects may exceed 2^53 bytes in principle, and the DB
 *   stores them as BigInt).
 *
 * Keys are relative, slash-separated paths; see {@link assertValidKey}.
 */
export interface ObjectStore {
  /**
   * Streams `body` to `key` and resolves with the stored byte count. Overwrites an existing object
   * atomically (readers see the old or the new object, never a mix). Never leaves a partial object
   * at `key` when it fails: the source erroring, `signal` aborting or the backend failing all
   * reject and discard what was written. Errors thrown by `body` itself are rethrown unchanged;
   * backend failures surface as {@link StorageUnavailableError}.
   */
  put(key: string, body: ByteSource, opts?: PutOptions): Promise<{ size: bigint }>;
  /**
   * Streams the object's bytes, or only bytes `start..end` (inclusive, zero-based) when `range` is
   * given. `end` past the last byte is clamped to it (as HTTP and S3 do). Throws
   * {@link StorageNotFoundError} when `key` does not exist and {@link StorageRangeError} when
   * `start > end` or `start >= size`.
   */
  get(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
  /** The object's size in bytes, or `null` when `key` does not exist. */
  head(key: string): Promise<{ size: bigint } | null>;
  /** Removes `key`. Idempotent: deleting a missing key resolves. */
  delete(key: string): Promise<void>;
}

/**
 * What a store that clients can reach themselves (S3) offers besides {@link ObjectStore}: multipart
 * uploads whose parts the client PUTs to presigned URLs (the bytes never pass through the app), and
 * short-lived presigned downloads. Keys are store keys (the driver adds its prefix). Every URL is a
 * SigV4 query-string signature made by the AWS SDK's signer, valid `expiresIn` seconds.
 */
export interface DirectStore extends ObjectStore {
  /** S3 `CreateMultipartUpload`; resolves with the `UploadId`. */
  createMultipartUpload(key: string, contentType: string): Promise<string>;
  /**
   * A presigned `UploadPart` URL for part `partNumber` (1–10,000) that accepts exactly
   * `contentLength` bytes (the length is a signed header, so a larger body is refused by the store).
   */
  presignPart(key: string, uploadId: string, partNumber: number, contentLength: bigint, expiresIn: number): Promise<string>;
  /** A presigned `CompleteMultipartUpload` URL (the client POSTs the S3 part list XML to it). */
  presignComplete(key: string, uploadId: string, expiresIn: number): Promise<string>;
  /** S3 `CompleteMultipartUpload` with the parts' numbers and ETags, in order. */
  completeMultipartUpload(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void>;
  /** S3 `AbortMultipartUpload`; an upload the store no longer knows (or a store without the call) resolves. */
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  /** A presigned `GetObject` URL answering with the given `Content-Type` and `Content-Disposition`. */
  presignGet(key: string, opts: { expiresIn: number; contentType: string; contentDisposition: string }): Promise<string>;
}

/** Whether `store` supports direct uploads and downloads ({@link DirectStore}). */
export function isDirectStore(store: ObjectStore): store is DirectStore {
  return typeof (store as Partial<DirectStore>).presignPart === "function";
}

/** Anything `put` can read bytes from: an async iterable (Node streams are), or a WHATWG stream. */
export type ByteSource = AsyncIterable<Uint8Array> | NodeJS.ReadableStream | ReadableStream<Uint8Array>;

/** Options for {@link ObjectStore.put}. */
export interface PutOptions {
  /** Stored as the object's Content-Type by drivers that keep metadata (S3); the fs driver ignores it. */
  contentType?: string;
  /** Aborting rejects `put` with the signal's reason and discards the partial upload. */
  signal?: AbortSignal;
}

/** An inclusive, zero-based byte range (`Range: bytes=start-end`). */
export interface ByteRange {
  start: bigint;
  end: bigint;
}

/** The key does not exist (`get` only; `head` returns null and `delete` resolves). Maps to 404. */
export class StorageNotFoundError extends AppError {
  readonly key: string;
  constructor(key: string) {
    super("not_found", `Object not found: ${key}`);
    this.name = "StorageNotFoundError";
    this.key = key;
  }
}

/** The backend failed or is unreachable (disk full, I/O error, S3 5xx/network). Maps to 503. */
export class StorageUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("unavailable", message);
    this.name = "StorageUnavailableError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A requested range lies outside the object. Maps to 416. */
export class StorageRangeError extends AppError {
  /** The object's size in bytes, for a `Content-Range: bytes *\/size` response. */
  readonly size: bigint;
  constructor(message: string, size: bigint) {
    super("range_not_satisfiable", message);
    this.name = "StorageRangeError";
    this.size = size;
  }
}

/** The key breaks the key rules of {@link assertValidKey}. A programming error: maps to 400. */
export class InvalidStorageKeyError extends AppError {
  constructor(key: string, reason: string) {
    super("invalid_request", `Invalid storage key ${JSON.stringify(key)}: ${reason}`);
    this.name = "InvalidStorageKeyError";
  }
}

const KEY_CHARS = /^[A-Za-z0-9._/-]+$/;
/** Longest accepted key, in bytes (S3's own limit is 1024). */
export const MAX_KEY_LENGTH = 512;

/**
 * Throws {@link InvalidStorageKeyError} unless `key` is a safe relative key: 1–512 characters from
 * `[A-Za-z0-9._/-]`, slash-separated segments that are non-empty and do not start with `.` (which
 * excludes `.`, `..`, absolute paths, `a//b`, trailing slashes and the fs driver's `.tmp` area).
 * Backslashes and every other character are rejected, so a key is also a valid S3 key and a valid
 * relative file path on every OS.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new InvalidStorageKeyError(String(key), "empty");
  if (key.length > MAX_KEY_LENGTH) throw new InvalidStorageKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_CHARS.test(key)) throw new InvalidStorageKeyError(key, "only [A-Za-z0-9._/-] are allowed");
  for (const segment of key.split("/")) {
    if (segment.length === 0) throw new InvalidStorageKeyError(key, "empty path segment (leading, trailing or double slash)");
    if (segment.startsWith(".")) throw new InvalidStorageKeyError(key, "a path segment may not start with '.'");
  }
}

/**
 * Normalizes any {@link ByteSource} to an async iterable of `Uint8Array` chunks (strings from a Node
 * stream with an encoding become UTF-8 bytes). Pulls lazily: nothing is read before iteration.
 */
export async function* byteChunks(source: ByteSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (isWebStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
  }
}

function isWebStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === "function";
}
