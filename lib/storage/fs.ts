import "server-only";
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assertValidKey,
  byteChunks,
  StorageNotFoundError,
  StorageRangeError,
  StorageUnavailableError,
  type ByteRange,
  type ByteSource,
  type ObjectStore,
  type PutOptions,
} from "@/lib/storage/types";

/** fs error codes that mean "the disk/backend is in trouble", not "you asked for something wrong". */
const UNAVAILABLE_CODES = new Set(["ENOSPC", "EIO", "EROFS", "EACCES", "EPERM", "EMFILE", "ENFILE", "EDQUOT", "EBUSY"]);

/**
 * Object store on the local filesystem: `key` lives at `<root>/<key>`.
 *
 * - `put` streams into `<root>/.tmp/<uuid>` with backpressure (`stream/promises` pipeline),
 *   fsyncs it, then renames it over the final path (atomic on one filesystem); on any failure the
 *   temp file is removed, so a key is either absent, the previous object, or the complete new one.
 * - `get` opens the file once and streams `[start, end]` from that descriptor, so a concurrent
 *   overwrite or delete cannot mix two versions into one response.
 *
 * Limitation compared with S3: a key cannot be both an object and a "directory" prefix of another
 * key (`a` and `a/b`); the second `put` then fails. Empty directories left by `delete` are kept.
 */
export class FsObjectStore implements ObjectStore {
  readonly root: string;

  /** @param root absolute or relative directory holding the objects; created on first write. */
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** See {@link ObjectStore.put}. The fs driver ignores `contentType`. */
  async put(key: string, body: ByteSource, opts?: PutOptions): Promise<{ size: bigint }> {
    const final = this.pathOf(key);
    opts?.signal?.throwIfAborted();
    const tmpDir = path.join(this.root, ".tmp");
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    let size = 0n;
    let sourceError: { error: unknown } | undefined;
    async function* counted(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of byteChunks(body)) {
          size += BigInt(chunk.byteLength);
          yield chunk;
        }
      } catch (error) {
        sourceError = { error };
        throw error;
      }
    }
    try {
      await mkdir(tmpDir, { recursive: true });
      await pipeline(counted, createWriteStream(tmp, { flags: "wx", mode: 0o640 }), { signal: opts?.signal });
      const handle = await open(tmp, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(path.dirname(final), { recursive: true });
      await rename(tmp, final);
      return { size };
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => undefined);
      if (sourceError && error === sourceError.error) throw error;
      if (opts?.signal?.aborted) throw opts.signal.reason ?? error;
      throw this.mapError(error, `put ${key}`);
    }
  }

  /** See {@link ObjectStore.get}. The returned stream closes the file when read to the end or cancelled. */
  async get(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const file = this.pathOf(key);
    let handle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR") || isCode(error, "EISDIR")) throw new StorageNotFoundError(key);
      throw this.mapError(error, `get ${key}`);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new StorageNotFoundError(key);
      const size = BigInt(info.size);
      let start = 0n;
      let end = size - 1n;
      if (range) {
        if (range.start < 0n || range.end < range.start) {
          throw new StorageRangeError(`Invalid range ${range.start}-${range.end}`, size);
        }
        if (range.start >= size) throw new StorageRangeError(`Range starts at ${range.start}, object has ${size} bytes`, size);
        start = range.start;
        end = range.end < size - 1n ? range.end : size - 1n;
      }
      const nodeStream =
        size === 0n
          ? Readable.from([])
          : // 1 MiB reads instead of Node's 64 KiB: less CPU per downloaded byte.
            handle.createReadStream({ start: Number(start), end: Number(end), autoClose: true, highWaterMark: 1024 * 1024 });
      if (size === 0n) await handle.close();
      return Readable.toWeb(nodeStream) as unknown as ReadableStream<Uint8Array>;
    } catch (error) {
      await handle.close().catch(() => undefined);
      if (error instanceof StorageNotFoundError || error instanceof StorageRangeError) throw error;
      throw this.mapError(error, `get ${key}`);
    }
  }

  /** See {@link ObjectStore.head}. */
  async head(key: string): Promise<{ size: bigint } | null> {
    const file = this.pathOf(key);
    try {
      const info = await stat(file, { bigint: true });
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return null;
      throw this.mapError(error, `head ${key}`);
    }
  }

  /** See {@link ObjectStore.delete}. */
  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await unlink(file);
    } catch (error) {
      if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return;
      throw this.mapError(error, `delete ${key}`);
    }
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  private mapError(error: unknown, what: string): unknown {
    if (isCode(error) && UNAVAILABLE_CODES.has(error.code)) {
      return new StorageUnavailableError(`Storage failed (${what}): ${error.code}`, { cause: error });
    }
    return error;
  }
}

function isCode(error: unknown, code?: string): error is NodeJS.ErrnoException & { code: string } {
  if (typeof error !== "object" || error === null) return false;
  const actual = (error as NodeJS.ErrnoException).code;
  return typeof actual === "string" && (code === undefined || actual === code);
}
