import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs?: string[] }[];
}) => S3rverInstance;

/**
 * The bucket CORS rule direct uploads need (README, "Storage"): browsers PUT parts and POST the
 * completion from the app's origin, and must read each part's `ETag`.
 */
export const UPLOAD_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** A running s3rver and what a client needs to reach it. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` — use with `forcePathStyle: true`. */
  endpoint: string;
  port: number;
  bucket: string;
  /** s3rver's fixed credentials (it checks SigV4 signatures against them). */
  accessKeyId: string;
  secretAccessKey: string;
  /** The folder s3rver keeps buckets, objects and multipart parts in. */
  directory: string;
  /** The environment that points Vend's `s3` driver at this server (`STORAGE_DRIVER=s3`, `S3_*`). */
  env(prefix?: string): Record<string, string>;
  /** Stops listening (in-flight requests then fail) and, unless `keepFiles`, deletes the folder. */
  stop(opts?: { keepFiles?: boolean }): Promise<void>;
}

/**
 * Starts s3rver 3.7 in this process on a free port of 127.0.0.1 (or `port`), with its data in a
 * new temp folder (or `directory`) and `bucket` created. s3rver speaks enough of S3 for the driver:
 * Put/Get(Range)/Head/DeleteObject and multipart uploads (but not AbortMultipartUpload: it answers
 * 405, so aborted uploads leave their parts under `<directory>/<bucket>/.uploads`, invisible as
 * objects). With `cors`, the bucket has the CORS rule the README asks for direct uploads from browsers
 * ({@link UPLOAD_CORS}).
 */
export async function startS3rver(
  opts: { bucket?: string; port?: number; directory?: string; cors?: boolean } = {},
): Promise<LocalS3> {
  const require = createRequire(import.meta.url);
  const S3rver = require("s3rver") as S3rverConstructor;
  const bucket = opts.bucket ?? "vend-test";
  const directory = opts.directory ?? (await mkdtemp(path.join(tmpdir(), "vend-s3rver-")));
  const server = new S3rver({
    port: opts.port ?? 0,
    address: "127.0.0.1",
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, ...(opts.cors ? { configs: [UPLOAD_CORS] } : {}) }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    bucket,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    directory,
    env: (prefix = "") => ({
      STORAGE_DRIVER: "s3",
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "true",
      S3_KEY_PREFIX: prefix,
    }),
    async stop(stopOpts) {
      await server.close().catch(() => undefined);
      if (!stopOpts?.keepFiles && !opts.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
