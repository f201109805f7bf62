import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  StorageNotFoundError,
  StorageRangeError,
  type ObjectStore,
} from "@/lib/storage/types";

/** Deterministic pseudo-random bytes (xorshift32), so any byte of a generated object can be recomputed. */
export function patternBytes(offset: number, length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    let x = (offset + i + seed) | 0;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Yields `total` pattern bytes in chunks of `chunkSize` (the last one shorter); never builds the whole. */
export async function* patternChunks(total: number, chunkSize: number, seed?: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < total; offset += chunkSize) {
    yield patternBytes(offset, Math.min(chunkSize, total - offset), seed);
  }
}

/** Reads a (small) web stream to one Buffer. Tests only: production code never does this. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(Buffer.from(value));
  }
  return Buffer.concat(parts);
}

async function sha256OfStream(stream: ReadableStream<Uint8Array>): Promise<{ hex: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    bytes += value.byteLength;
  }
  return { hex: hash.digest("hex"), bytes };
}

async function* from(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? Buffer.from(part) : part;
}

const MiB = 1024 * 1024;

/**
 * The behaviour every {@link ObjectStore} driver must show. `make` builds a fresh, empty store
 * (and `cleanup` removes everything it created); it runs once for the suite.
 */
export function describeObjectStoreContract(
  name: string,
  make: () => Promise<{ store: ObjectStore; cleanup(): Promise<void> }>,
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await make());
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it("puts, heads, gets and deletes an object", async () => {
      const key = "basic/hello.txt";
      expect(await store.head(key)).toBeNull();
      const { size } = await store.put(key, from("hello ", "world"), { contentType: "text/plain" });
      expect(size).toBe(11n);
      expect(await store.head(key)).toEqual({ size: 11n });
      expect((await readAll(await store.get(key))).toString()).toBe("hello world");
      await store.delete(key);
      expect(await store.head(key)).toBeNull();
      await expect(store.get(key)).rejects.toBeInstanceOf(StorageNotFoundError);
    });

    it("accepts a WHATWG ReadableStream and a zero-byte body", async () => {
      const web = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(Buffer.from("web "));
          controller.enqueue(Buffer.from("stream"));
          controller.close();
        },
      });
      expect((await store.put("basic/web", web)).size).toBe(10n);
      expect((await readAll(await store.get("basic/web"))).toString()).toBe("web stream");
      expect((await store.put("basic/empty", from())).size).toBe(0n);
      expect(await store.head("basic/empty")).toEqual({ size: 0n });
      expect((await readAll(await store.get("basic/empty"))).byteLength).toBe(0);
      await expect(store.get("basic/empty", { start: 0n, end: 0n })).rejects.toBeInstanceOf(StorageRangeError);
    });

    it("overwrites an existing key with the new bytes", async () => {
      await store.put("basic/over", from("first version"));
      await store.put("basic/over", from("second"));
      expect(await store.head("basic/over")).toEqual({ size: 6n });
      expect((await readAll(await store.get("basic/over"))).toString()).toBe("second");
    });

    it("throws StorageNotFoundError for a missing key, head → null, delete is idempotent", async () => {
      await expect(store.get("missing/nothing")).rejects.toBeInstanceOf(StorageNotFoundError);
      await expect(store.get("missing/nothing", { start: 0n, end: 1n })).rejects.toBeInstanceOf(StorageNotFoundError);
      expect(await store.head("missing/nothing")).toBeNull();
      await expect(store.delete("missing/nothing")).resolves.toBeUndefined();
      await store.put("missing/once", from("x"));
      await store.delete("missing/once");
      await expect(store.delete("missing/once")).resolves.toBeUndefined();
    });

    it.each([
      "",
      "../escape",
      "a/../../escape",
      "/absolute",
      "a\\b",
      "a//b",
      "trailing/",
      ".hidden",
      "a/./b",
      "with space",
      "ünïcode",
      "q?x=1",
      "x".repeat(513),
    ])("rejects the invalid key %j in every method", async (key) => {
      await expect(store.put(key, from("x"))).rejects.toThrow(/Invalid storage key/);
      await expect(store.get(key)).rejects.toThrow(/Invalid storage key/);
      await expect(store.head(key)).rejects.toThrow(/Invalid storage key/);
      await expect(store.delete(key)).rejects.toThrow(/Invalid storage key/);
    });

    it("accepts keys made of [A-Za-z0-9._/-]", async () => {
      const key = "Valid-key_1/sub.dir/file.name-2.bin";
      await store.put(key, from("ok"));
      expect(await store.head(key)).toEqual({ size: 2n });
    });

    describe("ranged reads of a multi-MiB object", () => {
      const size = 5 * MiB + 123;
      const chunk = MiB;
      const key = "ranges/object.bin";
      const expected = (start: number, end: number) => Buffer.from(patternBytes(start, end - start + 1));
      const range = async (start: number, end: number) =>
        readAll(await store.get(key, { start: BigInt(start), end: BigInt(end) }));

      beforeAll(async () => {
        expect((await store.put(key, patternChunks(size, chunk))).size).toBe(BigInt(size));
      });

      it("reads the whole object", async () => {
        expect((await readAll(await store.get(key))).equals(Buffer.from(patternBytes(0, size)))).toBe(true);
      });
      it("reads the first byte", async () => {
        expect((await range(0, 0)).equals(expected(0, 0))).toBe(true);
      });
      it("reads the last byte", async () => {
        expect((await range(size - 1, size - 1)).equals(expected(size - 1, size - 1))).toBe(true);
      });
      it("reads a middle range", async () => {
        const start = 2 * MiB + 4321;
        expect((await range(start, start + 99_999)).equals(expected(start, start + 99_999))).toBe(true);
      });
      it("reads across a chunk boundary of the upload and of 64 KiB reads", async () => {
        expect((await range(chunk - 7, chunk + 8)).equals(expected(chunk - 7, chunk + 8))).toBe(true);
        expect((await range(65_536 - 1, 65_536))).toEqual(expected(65_535, 65_536));
        expect((await range(3 * chunk - 70_000, 3 * chunk + 70_000)).equals(expected(3 * chunk - 70_000, 3 * chunk + 70_000))).toBe(true);
      });
      it("clamps an end past the last byte", async () => {
        expect((await range(size - 10, size + 1000)).equals(expected(size - 10, size - 1))).toBe(true);
      });
      it("rejects a range starting at or after the end, or reversed", async () => {
        await expect(store.get(key, { start: BigInt(size), end: BigInt(size + 5) })).rejects.toBeInstanceOf(StorageRangeError);
        await expect(store.get(key, { start: 10n, end: 9n })).rejects.toBeInstanceOf(StorageRangeError);
        await expect(store.get(key, { start: -1n, end: 9n })).rejects.toBeInstanceOf(StorageRangeError);
      });
    });

    it("leaves no object when the source errors midway, and keeps a previous version intact", async () => {
      const boom = new Error("source broke");
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield patternBytes(0, MiB);
        yield patternBytes(MiB, MiB);
        throw boom;
      }
      await expect(store.put("failed/new", failing())).rejects.toBe(boom);
      expect(await store.head("failed/new")).toBeNull();
      await expect(store.get("failed/new")).rejects.toBeInstanceOf(StorageNotFoundError);

      await store.put("failed/existing", from("previous"));
      await expect(store.put("failed/existing", failing())).rejects.toBe(boom);
      expect((await readAll(await store.get("failed/existing"))).toString()).toBe("previous");
    });

    it("leaves no object when the put is aborted", async () => {
      const controller = new AbortController();
      async function* slow(): AsyncGenerator<Uint8Array> {
        yield patternBytes(0, MiB);
        controller.abort(new Error("client went away"));
        yield patternBytes(MiB, MiB);
        yield patternBytes(2 * MiB, MiB);
      }
      await expect(store.put("aborted/key", slow(), { signal: controller.signal })).rejects.toThrow();
      expect(await store.head("aborted/key")).toBeNull();
    });

    it("streams a 64 MiB put from generated chunks and reads it back with the same sha256", async () => {
      const total = 64 * MiB;
      const hash = createHash("sha256");
      async function* generated(): AsyncGenerator<Uint8Array> {
        for await (const chunk of patternChunks(total, MiB, 7)) {
          hash.update(chunk);
          yield chunk;
        }
      }
      const { size } = await store.put("big/64mib.bin", generated());
      expect(size).toBe(BigInt(total));
      expect(await store.head("big/64mib.bin")).toEqual({ size: BigInt(total) });
      const back = await sha256OfStream(await store.get("big/64mib.bin"));
      expect(back.bytes).toBe(total);
      expect(back.hex).toBe(hash.digest("hex"));
      await store.delete("big/64mib.bin");
      expect(await store.head("big/64mib.bin")).toBeNull();
    });
  });
}
