import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FsObjectStore } from "@/lib/storage/fs";
import { describeObjectStoreContract, patternChunks } from "../support/storage-contract";

describeObjectStoreContract("fs", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "vend-fs-store-"));
  return { store: new FsObjectStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe("FsObjectStore specifics", () => {
  it("keeps objects at <root>/<key> and leaves no temp file after success or failure", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "vend-fs-layout-"));
    try {
      const store = new FsObjectStore(dir);
      await store.put("a/b/c.bin", patternChunks(300_000, 65_536));
      expect((await stat(path.join(dir, "a", "b", "c.bin"))).size).toBe(300_000);
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array(10);
        throw new Error("nope");
      }
      await expect(store.put("a/b/d.bin", failing())).rejects.toThrow("nope");
      expect(await readdir(path.join(dir, ".tmp"))).toEqual([]);
      expect(await readdir(path.join(dir, "a", "b"))).toEqual(["c.bin"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
