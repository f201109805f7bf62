import "server-only";
import path from "node:path";
import { env, type Env } from "@/lib/env";
import { FsObjectStore } from "@/lib/storage/fs";
import { createS3Client, normalizePrefix, S3ObjectStore, type S3ConnectionConfig } from "@/lib/storage/s3";
import type { ObjectStore } from "@/lib/storage/types";

export * from "@/lib/storage/types";

let instance: ObjectStore | undefined;

/**
 * The process-wide object store, built once from the environment by {@link createStore}.
 * Throws (on first use, not at import) an Error listing every problem when the S3 settings are unusable.
 */
export function storage(): ObjectStore {
  instance ??= createStore(env());
  return instance;
}

/** The environment variables that choose and configure the store. */
export type StorageEnv = Pick<
  Env,
  | "dataDir"
  | "STORAGE_DRIVER"
  | "S3_ENDPOINT"
  | "S3_REGION"
  | "S3_BUCKET"
  | "S3_ACCESS_KEY_ID"
  | "S3_SECRET_ACCESS_KEY"
  | "S3_FORCE_PATH_STYLE"
  | "S3_KEY_PREFIX"
>;

/**
 * Builds the store `STORAGE_DRIVER` names:
 * - `fs` (default): {@link FsObjectStore} rooted at `<VEND_DATA_DIR>/objects`;
 * - `s3`: {@link S3ObjectStore} on the server described by the `S3_*` variables (see
 *   {@link s3Settings}), keys under `S3_KEY_PREFIX`.
 */
export function createStore(config: StorageEnv): ObjectStore {
  switch (config.STORAGE_DRIVER) {
    case "fs":
      return new FsObjectStore(path.join(config.dataDir, "objects"));
    case "s3": {
      const settings = s3Settings(config);
      return new S3ObjectStore({ client: createS3Client(settings), bucket: settings.bucket, prefix: settings.prefix });
    }
  }
}

/** Hosts of Load Network's S3 API (Load S3), which has its own credential rules. */
function isLoadS3(endpoint: URL | undefined): boolean {
  return !!endpoint && (endpoint.hostname === "load.network" || endpoint.hostname.endsWith(".load.network"));
}

/**
 * Validates the `S3_*` variables and returns the connection settings. Every problem is listed in
 * one Error (`Invalid S3 storage settings (STORAGE_DRIVER=s3): …`):
 * - `S3_BUCKET` is required;
 * - `S3_ENDPOINT`, when set, must be an `http(s)://` URL (unset = AWS S3 in `S3_REGION`);
 * - `S3_REGION` must not be empty;
 * - a secret without an access key id is refused; both unset = the AWS SDK's default credential
 *   chain (`AWS_ACCESS_KEY_ID`…, instance or task roles);
 * - an empty `S3_SECRET_ACCESS_KEY` is accepted only with a Load S3 `load_acc_…` key (Load S3
 *   authenticates by the key id alone; every other server would answer `SignatureDoesNotMatch`);
 * - on a Load S3 endpoint (`*.load.network`) the key must be a `load_acc_…` key and
 *   `S3_FORCE_PATH_STYLE` must be true;
 * - `S3_KEY_PREFIX` must be made of `[A-Za-z0-9._/-]` segments (see `normalizePrefix`).
 */
export function s3Settings(config: StorageEnv): S3ConnectionConfig & { bucket: string; prefix: string } {
  const problems: string[] = [];
  const bucket = config.S3_BUCKET?.trim() ?? "";
  if (!bucket) problems.push("S3_BUCKET is required (the bucket that holds the objects).");
  let endpoint: URL | undefined;
  const rawEndpoint = config.S3_ENDPOINT?.trim();
  if (rawEndpoint) {
    try {
      endpoint = new URL(rawEndpoint);
      if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:") throw new Error("protocol");
    } catch {
      endpoint = undefined;
      problems.push(`S3_ENDPOINT must be an http(s) URL such as https://api.load.network/s3 (got ${JSON.stringify(rawEndpoint)}).`);
    }
  }
  const region = config.S3_REGION.trim();
  if (!region) problems.push("S3_REGION must not be empty (us-east-1 for Load S3, auto for R2, the bucket's region for AWS).");
  const accessKeyId = config.S3_ACCESS_KEY_ID?.trim() || undefined;
  const secretAccessKey = config.S3_SECRET_ACCESS_KEY;
  if (!accessKeyId && secretAccessKey) problems.push("S3_SECRET_ACCESS_KEY is set but S3_ACCESS_KEY_ID is not.");
  const loadKey = accessKeyId?.startsWith("load_acc_") ?? false;
  if (accessKeyId && !secretAccessKey && !loadKey) {
    problems.push("S3_SECRET_ACCESS_KEY is empty; only Load S3 (a load_acc_… access key) works without a secret.");
  }
  if (isLoadS3(endpoint)) {
    if (!loadKey) problems.push("Load S3 needs S3_ACCESS_KEY_ID set to a load_acc_… key from the Load Cloud Platform.");
    if (!config.S3_FORCE_PATH_STYLE) problems.push("Load S3 needs path-style addressing: S3_FORCE_PATH_STYLE=true.");
  }
  let prefix = "";
  try {
    prefix = normalizePrefix(config.S3_KEY_PREFIX);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid S3 storage settings (STORAGE_DRIVER=s3):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return {
    bucket,
    prefix,
    region,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(endpoint ? { endpoint: rawEndpoint } : {}),
    ...(accessKeyId ? { accessKeyId, secretAccessKey } : {}),
  };
}
