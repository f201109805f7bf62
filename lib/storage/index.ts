import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { FsObjectStore } from "@/lib/storage/fs";
import type { ObjectStore } from "@/lib/storage/types";

export * from "@/lib/storage/types";

let instance: ObjectStore | undefined;

/**
 * The process-wide object store, chosen once by `env().STORAGE_DRIVER`:
 * - `fs` (default): {@link FsObjectStore} rooted at `<VEND_DATA_DIR>/objects`;
 * - `s3`: not wired yet, throws `Error("S3 driver not configured")`.
 */
export function storage(): ObjectStore {
  if (instance) return instance;
  const config = env();
  switch (config.STORAGE_DRIVER) {
    case "fs":
      instance = new FsObjectStore(path.join(config.dataDir, "objects"));
      return instance;
    case "s3":
      throw new Error("S3 driver not configured");
  }
}
