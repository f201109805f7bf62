import "server-only";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  assertValidKey,
  byteChunks,
  StorageNotFoundError,
  StorageRangeError,
  StorageUnavailableError,
  type ByteRange,
  type ByteSource,
  type DirectStore,
  type PutOptions,
} from "@/lib/storage/types";

const MiB = 1024 * 1024;

/** How to reach an S3-compatible server (Load S3, AWS S3, Cloudflare R2, MinIO, s3rver). */
export interface S3ConnectionConfig {
  /** Base URL of the S3 API, e.g. `https://api.load.network/s3`; unset = AWS S3 for `region`. */
  endpoint?: string;
  /** Signing region (`us-east-1` for Load S3 and most non-AWS servers, `auto` for R2). */
  region: string;
  /** Access key id (Load S3: a `load_acc_…` key). Unset = the SDK's default credential chain. */
  accessKeyId?: string;
  /** Secret access key; may be empty (Load S3 ignores it, the id alone authenticates). */
  secretAccessKey?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (Load S3 requires it). */
  forcePathStyle: boolean;
  /** Most concurrent sockets to the server (each streamed download holds one). Default 256. */
  maxSockets?: number;
}

/**
 * Builds the `S3Client` the driver uses, configured for servers that are not AWS:
 * - `requestChecksumCalculation` / `responseChecksumValidation` = `"WHEN_REQUIRED"`: SDK 3.729+
 *   otherwise adds CRC32 checksum trailers (`aws-chunked` bodies) to every upload and validates
 *   checksums on downloads, which Load S3, R2 and s3rver reject or do not return;
 * - path-style addressing when `forcePathStyle` (Load S3: required);
 * - an empty `secretAccessKey` is allowed (Load S3 authenticates by the access key id only);
 * - keep-alive sockets, at most `maxSockets` (default 256), 10 s connection timeout, and no
 *   request or idle timeout, because a streamed download legitimately stalls while a slow buyer
 *   applies backpressure;
 * - `PutObject` / `UploadPart` bodies are signed as `UNSIGNED-PAYLOAD` (see
 *   `UNSIGNED_PAYLOAD_COMMANDS`).
 */
export function createS3Client(config: S3ConnectionConfig): S3Client {
  const agent = { keepAlive: true, maxSockets: config.maxSockets ?? 256 };
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey ?? "" } }
      : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { connectionTimeout: 10_000, httpAgent: agent, httpsAgent: agent },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers && UNSIGNED_PAYLOAD_COMMANDS.has(context.commandName ?? "")) {
        request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      }
      return next(args);
    },
    { step: "build", name: "vendUnsignedPayload" },
  );
  return client;
}

/**
 * Uploads whose body SigV4 does not hash: the SDK would otherwise compute a SHA-256 of every part
 * on the main thread just to sign it (a third full hash of each upload, after the payload's
 * SHA-256 and the DataItem's SHA-384). `UNSIGNED-PAYLOAD` is what the SDK itself sends for streamed
 * bodies; the bytes are still covered by TLS and by the DataItem's signature over its deep hash.
 */
const UNSIGNED_PAYLOAD_COMMANDS = new Set(["PutObjectCommand", "UploadPartCommand"]);

/** Options of {@link S3ObjectStore}. */
export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /**
   * Prepended to every key, e.g. `vend/prod` → `vend/prod/objects/…`. Leading and trailing
   * slashes are ignored; the rest must follow the key rules of `assertValidKey`.
   */
  prefix?: string;
  /**
   * Multipart part size in bytes (≥ 5 MiB, S3's minimum). Default 8 MiB, which allows objects up to
   * 78 GiB (S3 allows 10,000 parts). Memory held by one upload is about `partSize × queueSize × 2`.
   */
  partSize?: number;
  /** Parts uploaded concurrently. Default 2. */
  queueSize?: number;
}

/**
 * {@link ObjectStore} on any S3-compatible server, streaming in both directions:
 *
 * - `put` streams the source with `@aws-sdk/lib-storage`'s `Upload` (multipart, at most `queueSize`
 *   parts of `partSize` in flight, or one `PutObject` for a small body). S3 makes an object visible
 *   only when the `PutObject` or `CompleteMultipartUpload` succeeds, so a failed put never shows a
 *   partial object; the multipart upload is aborted on failure, and if the server refuses that
 *   too, a bucket lifecycle rule (`AbortIncompleteMultipartUpload`) reclaims the parts.
 * - `get` is a `GetObject`, with `Range: bytes=start-end` for a range. The answer's
 *   `Content-Range` is checked and, for servers that answer a range loosely (s3rver ignores an
 *   `end` of 0 and serves `bytes 0-0/0` for an empty object), the stream is cut to exactly the
 *   requested bytes, so callers always get what the contract promises.
 * - `head` is `HeadObject` (404 → null), `delete` is `DeleteObject` (idempotent in S3).
 *
 * Errors: `NoSuchKey` / 404 → {@link StorageNotFoundError}; `InvalidRange` / 416 →
 * {@link StorageRangeError} with the object's size; everything else the server or the network
 * reports (5xx, `NoSuchBucket`, `AccessDenied`, `InvalidAccessKeyId`, connection refused, …) →
 * {@link StorageUnavailableError} naming the S3 error code, without the bucket or key.
 */
export class S3ObjectStore implements DirectStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(opts: S3ObjectStoreOptions) {
    if (!opts.bucket) throw new Error("S3ObjectStore needs a bucket name");
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = normalizePrefix(opts.prefix ?? "");
    this.partSize = opts.partSize ?? 8 * MiB;
    this.queueSize = opts.queueSize ?? 2;
    if (!Number.isInteger(this.partSize) || this.partSize < 5 * MiB) throw new Error("S3 partSize must be at least 5 MiB");
    if (!Number.isInteger(this.queueSize) || this.queueSize < 1) throw new Error("S3 queueSize must be at least 1");
  }

  /** The full S3 key for a store key: the prefix, a slash, the key. Throws for an invalid key. */
  objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  /**
   * See {@link ObjectStore.put}. `contentType` becomes the object's `Content-Type`. Streams the
   * source through `@aws-sdk/lib-storage`'s `Upload`: one `PutObject` when the body fits in a part,
   * else a multipart upload with at most `queueSize` parts in flight, aborted on any failure
   * (`leavePartsOnError: false`). An abort of `signal` aborts the upload and rejects with the
   * signal's reason; a source error is rethrown as it is; anything else the store reports becomes
   * {@link StorageUnavailableError}.
   */
  async put(key: string, body: ByteSource, opts?: PutOptions): Promise<{ size: bigint }> {
    const Key = this.objectKey(key);
    const signal = opts?.signal;
    signal?.throwIfAborted();
    let size = 0n;
    // Only errors of the source itself count as source errors: when the upload fails, the stream is
    // destroyed and Node injects its AbortError at the `yield`, which must not be mistaken for one.
    let sourceError: { error: unknown } | undefined;
    const source = byteChunks(body)[Symbol.asyncIterator]();
    const counted = Readable.from(
      (async function* () {
        for (;;) {
          let next: IteratorResult<Uint8Array>;
          try {
            next = await source.next();
          } catch (error) {
            sourceError = { error };
            throw error;
          }
          if (next.done) return;
          size += BigInt(next.value.byteLength);
          yield next.value;
        }
      })(),
      { objectMode: false },
    );
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: counted, ...(opts?.contentType ? { ContentType: opts.contentType } : {}) },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort().catch(() => undefined);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await upload.done();
      return { size };
    } catch (error) {
      counted.destroy();
      if (sourceError) throw sourceError.error;
      if (signal?.aborted) throw signal.reason;
      throw unavailable(error, "put");
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** See {@link ObjectStore.get}. The stream closes the HTTP response when read to the end or cancelled. */
  async get(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const Key = this.objectKey(key);
    if (range && (range.start < 0n || range.end < range.start)) {
      const info = await this.head(key);
      if (!info) throw new StorageNotFoundError(key);
      throw new StorageRangeError(`Invalid range ${range.start}-${range.end}`, info.size);
    }
    let response;
    try {
      response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new StorageNotFoundError(key);
      if (isRangeError(error)) {
        const info = await this.head(key);
        if (!info) throw new StorageNotFoundError(key);
        throw new StorageRangeError(`Range starts at ${range?.start}, object has ${info.size} bytes`, info.size);
      }
      throw unavailable(error, "get");
    }
    const body = response.Body as Readable | undefined;
    if (!body) return Readable.toWeb(Readable.from([])) as unknown as ReadableStream<Uint8Array>;
    if (!range) return Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>;

    const served = parseContentRange(response.ContentRange) ?? {
      start: 0n,
      end: BigInt(response.ContentLength ?? 0) - 1n,
      total: BigInt(response.ContentLength ?? 0),
    };
    if (range.start >= served.total) {
      body.destroy();
      throw new StorageRangeError(`Range starts at ${range.start}, object has ${served.total} bytes`, served.total);
    }
    const end = range.end < served.total - 1n ? range.end : served.total - 1n;
    if (served.start > range.start || served.end < end) {
      body.destroy();
      throw new StorageUnavailableError(
        `S3 get answered bytes ${served.start}-${served.end}/${served.total} for ${range.start}-${end}`,
      );
    }
    if (served.start === range.start && served.end === end) {
      return Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>;
    }
    const sliced = Readable.from(slice(body, range.start - served.start, end - range.start + 1n), { highWaterMark: 1 });
    return Readable.toWeb(sliced) as unknown as ReadableStream<Uint8Array>;
  }

  /** See {@link ObjectStore.head}. */
  async head(key: string): Promise<{ size: bigint } | null> {
    const Key = this.objectKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { size: BigInt(response.ContentLength ?? 0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(error, "head");
    }
  }

  /** See {@link ObjectStore.delete}. */
  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw unavailable(error, "delete");
    }
  }

  /** See {@link DirectStore.createMultipartUpload}. */
  async createMultipartUpload(key: string, contentType: string): Promise<string> {
    const Key = this.objectKey(key);
    try {
      const { UploadId } = await this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key, ContentType: contentType }),
      );
      if (!UploadId) throw new Error("CreateMultipartUpload answered without an UploadId");
      return UploadId;
    } catch (error) {
      throw unavailable(error, "create multipart upload");
    }
  }

  /** See {@link DirectStore.presignPart}. */
  presignPart(key: string, uploadId: string, partNumber: number, contentLength: bigint, expiresIn: number): Promise<string> {
    const command = new UploadPartCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      UploadId: uploadId,
      PartNumber: partNumber,
      ContentLength: Number(contentLength),
    });
    return this.presign(command, expiresIn, ["content-length"]);
  }

  /** See {@link DirectStore.presignComplete}. */
  presignComplete(key: string, uploadId: string, expiresIn: number): Promise<string> {
    const command = new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey(key), UploadId: uploadId });
    return this.presign(command, expiresIn);
  }

  /** See {@link DirectStore.completeMultipartUpload}. An unknown upload or a bad part list is a `StorageUnavailableError` naming the S3 code. */
  async completeMultipartUpload(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void> {
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    } catch (error) {
      throw unavailable(error, "complete multipart upload");
    }
  }

  /**
   * See {@link DirectStore.abortMultipartUpload}. `NoSuchUpload` (already completed or aborted) and
   * `MethodNotAllowed` (servers without the call, such as s3rver, whose lifecycle then reclaims
   * the parts) resolve; other failures are `StorageUnavailableError`.
   */
  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey(key), UploadId: uploadId }));
    } catch (error) {
      const { code, status } = errorCode(error);
      if (code === "NoSuchUpload" || code === "MethodNotAllowed" || status === 404 || status === 405) return;
      throw unavailable(error, "abort multipart upload");
    }
  }

  /** See {@link DirectStore.presignGet}. The type and disposition ride as the signed `response-content-*` overrides. */
  presignGet(key: string, opts: { expiresIn: number; contentType: string; contentDisposition: string }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ResponseContentType: opts.contentType,
      ResponseContentDisposition: opts.contentDisposition,
      ResponseCacheControl: "private, no-store",
    });
    return this.presign(command, opts.expiresIn);
  }

  /**
   * A SigV4 query-string signature of `command` as this client would send it, made by the client's
   * own signer (`config.signer`, the SDK's SignatureV4): the command runs through the client's
   * serialize and build steps (endpoint, path style, host), then, instead of being signed and sent,
   * is presigned and returned as a URL. Only `host` and the `signedHeaders` named here are signed
   * (the client's own `user-agent`/`amz-sdk-*` headers, which a browser does not send, are dropped).
   */
  private async presign(
    command: UploadPartCommand | CompleteMultipartUploadCommand | GetObjectCommand,
    expiresIn: number,
    signedHeaders: string[] = [],
  ): Promise<string> {
    const keep = new Set(["host", ...signedHeaders]);
    let url = "";
    command.middlewareStack.addRelativeTo(
      (() => async (args: { request: unknown }) => {
        const request = args.request as HttpRequestLike;
        for (const name of Object.keys(request.headers)) if (!keep.has(name.toLowerCase())) delete request.headers[name];
        const signer = (await this.client.config.signer()) as unknown as Presigner;
        const signed = await signer.presign(request, { expiresIn, signableHeaders: keep });
        url = requestUrl(signed);
        return { output: { $metadata: {} }, response: {} };
      }) as never,
      { relation: "before", toMiddleware: "httpSigningMiddleware", name: "vendPresign", override: true },
    );
    try {
      await this.client.send(command as never);
    } catch (error) {
      throw unavailable(error, "presign");
    }
    return url;
  }
}

/** The S3 client's signer (`SignatureV4MultiRegion`) seen as what it also is: a presigner. */
interface Presigner {
  presign(request: HttpRequestLike, options: { expiresIn: number; signableHeaders: Set<string> }): Promise<HttpRequestLike>;
}

/** The parts of a Smithy `HttpRequest` a presigned URL is made of. */
interface HttpRequestLike {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}

function requestUrl(request: HttpRequestLike): string {
  const url = new URL(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}`);
  url.pathname = request.path;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  // S3 wants `%20`, not `+`, for spaces in query values (e.g. a file name in response-content-disposition).
  url.search = search.toString().replace(/\+/g, "%20");
  return url.toString();
}

/**
 * Normalizes an S3 key prefix: surrounding slashes removed; the remainder must be a valid store
 * key (segments of `[A-Za-z0-9._-]`, none starting with `.`). Throws an Error naming the problem.
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "";
  try {
    assertValidKey(trimmed);
  } catch (error) {
    throw new Error(`S3_KEY_PREFIX ${JSON.stringify(prefix)} is not usable: ${(error as Error).message}`);
  }
  return trimmed;
}

/** Parses `bytes start-end/total` (the only form a 206 carries); null when absent or malformed. */
function parseContentRange(header: string | undefined): { start: bigint; end: bigint; total: bigint } | null {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim()) : null;
  if (!match) return null;
  return { start: BigInt(match[1]!), end: BigInt(match[2]!), total: BigInt(match[3]!) };
}

/** Skips `skip` bytes of `source`, then yields exactly `take` bytes and closes the source. */
async function* slice(source: Readable, skip: bigint, take: bigint): AsyncGenerator<Buffer> {
  let toSkip = skip;
  let left = take;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let view = chunk;
    if (toSkip > 0n) {
      const n = toSkip < BigInt(view.byteLength) ? Number(toSkip) : view.byteLength;
      view = view.subarray(n);
      toSkip -= BigInt(n);
    }
    if (view.byteLength === 0) continue;
    if (BigInt(view.byteLength) >= left) {
      yield view.subarray(0, Number(left));
      return;
    }
    left -= BigInt(view.byteLength);
    yield view;
  }
  if (left > 0n) throw new StorageUnavailableError(`S3 get ended ${left} bytes early`);
}

function errorCode(error: unknown): { code: string; status?: number } {
  if (error instanceof S3ServiceException) return { code: error.name, status: error.$metadata?.httpStatusCode };
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return { code: e?.code ?? e?.name ?? "Error", status: e?.$metadata?.httpStatusCode };
}

/** A missing object, not a missing bucket (which is a configuration problem: unavailable). */
function isNotFound(error: unknown): boolean {
  const { code, status } = errorCode(error);
  if (code === "NoSuchBucket") return false;
  return code === "NoSuchKey" || code === "NotFound" || status === 404;
}

function isRangeError(error: unknown): boolean {
  const { code, status } = errorCode(error);
  return code === "InvalidRange" || status === 416;
}

function unavailable(error: unknown, operation: string): StorageUnavailableError {
  const { code, status } = errorCode(error);
  return new StorageUnavailableError(`S3 ${operation} failed: ${code}${status ? ` (HTTP ${status})` : ""}`, { cause: error });
}
