import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { DataItem } from "arbundles";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createStore, s3Settings, type StorageEnv } from "@/lib/storage";
import { createS3Client, normalizePrefix, S3ObjectStore } from "@/lib/storage/s3";
import { StorageNotFoundError, StorageUnavailableError } from "@/lib/storage/types";
import { startS3rver, type LocalS3 } from "../support/s3rver";
import { describeObjectStoreContract, patternBytes, patternChunks, readAll } from "../support/storage-contract";

const MiB = 1024 * 1024;
/** The smallest part S3 allows, so that modest test objects already span several parts. */
const PART = 5 * MiB;

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
});

function clientFor(local: LocalS3): S3Client {
  return createS3Client({
    endpoint: local.endpoint,
    region: "us-east-1",
    accessKeyId: local.accessKeyId,
    secretAccessKey: local.secretAccessKey,
    forcePathStyle: true,
  });
}

/**
 * A client that records the name of every command it sends (`PutObjectCommand`, …) and, for each,
 * the payload hash its signed request carried (`x-amz-content-sha256`).
 */
function recordingClient(local: LocalS3): { client: S3Client; commands: string[]; payloadHashes: Map<string, Set<string>> } {
  const client = clientFor(local);
  const commands: string[] = [];
  const payloadHashes = new Map<string, Set<string>>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? "?");
      return next(args);
    },
    { step: "initialize", name: "recordCommands" },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? "?";
      const hash = (args.request as { headers: Record<string, string> }).headers["x-amz-content-sha256"] ?? "";
      payloadHashes.set(name, new Set([...(payloadHashes.get(name) ?? []), hash]));
      return next(args);
    },
    { step: "deserialize", name: "recordPayloadHashes" },
  );
  return { client, commands, payloadHashes };
}

/** An S3 error as the SDK raises it for a 500 from the server. */
function serverError(): S3ServiceException {
  return new S3ServiceException({
    name: "InternalError",
    $fault: "server",
    $metadata: { httpStatusCode: 500 },
    message: "We encountered an internal error. Please try again.",
  });
}

describeObjectStoreContract("s3 (s3rver, 5 MiB parts, key prefix)", async () => {
  const local = await startS3rver({ bucket: "contract" });
  const store = new S3ObjectStore({ client: clientFor(local), bucket: local.bucket, prefix: "vend/contract", partSize: PART });
  return { store, cleanup: () => local.stop() };
});

describe("S3ObjectStore specifics", () => {
  it("keeps objects under the key prefix with their content type", async () => {
    const { client } = recordingClient(s3);
    const store = new S3ObjectStore({ client, bucket: s3.bucket, prefix: "/tenant-1/objects/" });
    await store.put("a/b.txt", patternChunks(1000, 100), { contentType: "text/plain" });
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: "tenant-1/objects/a/b.txt" }));
    expect(head.ContentLength).toBe(1000);
    expect(head.ContentType).toBe("text/plain");
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "a/" }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });

  it("sends a body smaller than a part as one PutObject, and a larger one as a multipart upload, without hashing it to sign", async () => {
    const { client, commands, payloadHashes } = recordingClient(s3);
    const store = new S3ObjectStore({ client, bucket: s3.bucket, partSize: PART });
    await store.put("parts/small", patternChunks(PART - 1, 64 * 1024));
    expect(commands).toEqual(["PutObjectCommand"]);
    commands.length = 0;
    const size = 2 * PART + 12_345;
    expect((await store.put("parts/three", patternChunks(size, 100_000))).size).toBe(BigInt(size));
    expect(commands.filter((c) => c === "UploadPartCommand")).toHaveLength(3);
    expect(commands[0]).toBe("CreateMultipartUploadCommand");
    expect(commands.at(-1)).toBe("CompleteMultipartUploadCommand");
    expect(commands).not.toContain("PutObjectCommand");
    expect(payloadHashes.get("PutObjectCommand")).toEqual(new Set(["UNSIGNED-PAYLOAD"]));
    expect(payloadHashes.get("UploadPartCommand")).toEqual(new Set(["UNSIGNED-PAYLOAD"]));
    expect(payloadHashes.get("CompleteMultipartUploadCommand")?.has("UNSIGNED-PAYLOAD")).toBe(false);
  });

  it("sends a body of exactly n parts as n parts, with at most queueSize parts in flight", async () => {
    const { client, commands } = recordingClient(s3);
    let active = 0;
    let most = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "UploadPartCommand") return next(args);
        most = Math.max(most, ++active);
        try {
          return await next(args);
        } finally {
          active -= 1;
        }
      },
      { step: "initialize", name: "countParts" },
    );
    const store = new S3ObjectStore({ client, bucket: s3.bucket, partSize: PART, queueSize: 2 });
    expect((await store.put("parts/exact", patternChunks(2 * PART, 300_000, 5))).size).toBe(BigInt(2 * PART));
    expect(commands.filter((c) => c === "UploadPartCommand")).toHaveLength(2);
    commands.length = 0;
    await store.put("parts/five", patternChunks(5 * PART - 1, 1_000_000, 6));
    expect(commands.filter((c) => c === "UploadPartCommand")).toHaveLength(5);
    expect(most).toBeLessThanOrEqual(2);
    expect(await store.head("parts/exact")).toEqual({ size: BigInt(2 * PART) });
    expect((await readAll(await store.get("parts/five"))).equals(Buffer.from(patternBytes(0, 5 * PART - 1, 6)))).toBe(true);
  });

  it("reads ranges across part boundaries of a multipart object", async () => {
    const store = new S3ObjectStore({ client: clientFor(s3), bucket: s3.bucket, partSize: PART });
    const size = 3 * PART + 777;
    await store.put("parts/ranges", patternChunks(size, 333_333, 11));
    const read = async (start: number, end: number) => readAll(await store.get("parts/ranges", { start: BigInt(start), end: BigInt(end) }));
    const expected = (start: number, end: number) => Buffer.from(patternBytes(start, end - start + 1, 11));
    for (const [start, end] of [
      [PART - 1, PART],
      [PART - 100, PART + 100],
      [2 * PART - 5, 2 * PART + 5],
      [PART - 3, 2 * PART + 3],
      [3 * PART, size - 1],
      [0, size - 1],
    ] as const) {
      expect((await read(start, end)).equals(expected(start, end))).toBe(true);
    }
  });

  it("aborts the multipart upload when the source fails after some parts, and leaves no object", async () => {
    const { client, commands } = recordingClient(s3);
    const store = new S3ObjectStore({ client, bucket: s3.bucket, partSize: PART });
    const boom = new Error("the uploader's connection dropped");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* patternChunks(2 * PART + 1000, MiB);
      throw boom;
    }
    await expect(store.put("failed/multipart", failing())).rejects.toBe(boom);
    expect(commands).toContain("UploadPartCommand");
    expect(commands).toContain("AbortMultipartUploadCommand");
    expect(commands).not.toContain("CompleteMultipartUploadCommand");
    expect(await store.head("failed/multipart")).toBeNull();
  });

  it("sends nothing at all when a source smaller than a part fails", async () => {
    const { client, commands } = recordingClient(s3);
    const store = new S3ObjectStore({ client, bucket: s3.bucket, partSize: PART });
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield patternBytes(0, 1000);
      throw new Error("nope");
    }
    await expect(store.put("failed/small", failing())).rejects.toThrow("nope");
    expect(commands).toEqual([]);
  });

  it("rejects with the abort reason even while the source waits for data, and leaves no object", async () => {
    const { client, commands } = recordingClient(s3);
    const store = new S3ObjectStore({ client, bucket: s3.bucket, partSize: PART });
    const controller = new AbortController();
    const reason = new Error("client went away");
    async function* stalled(): AsyncGenerator<Uint8Array> {
      yield* patternChunks(PART + 10, MiB);
      controller.abort(reason);
      await new Promise(() => undefined);
    }
    await expect(store.put("aborted/stalled", stalled(), { signal: controller.signal })).rejects.toBe(reason);
    expect(commands).not.toContain("CompleteMultipartUploadCommand");
    expect(await store.head("aborted/stalled")).toBeNull();
  });

  it("turns a server failure mid-upload into StorageUnavailableError and keeps the previous version", async () => {
    const { client, commands } = recordingClient(s3);
    let parts = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        if ((args.input as { PartNumber?: number }).PartNumber !== undefined && ++parts === 2) throw serverError();
        return next(args);
      },
      { step: "initialize", name: "failSecondPart" },
    );
    const store = new S3ObjectStore({ client, bucket: s3.bucket, partSize: PART, queueSize: 1 });
    await store.put("failed/server", patternChunks(100, 100));
    const error = await store.put("failed/server", patternChunks(3 * PART, MiB)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    // lib-storage reports the failure of its abort when there is one: s3rver refuses
    // AbortMultipartUpload (405), a real S3 accepts it and the part's InternalError surfaces.
    expect((error as Error).message).toMatch(/^S3 put failed: (InternalError \(HTTP 500\)|MethodNotAllowed \(HTTP 405\))$/);
    expect(commands).toContain("AbortMultipartUploadCommand");
    expect(commands).not.toContain("CompleteMultipartUploadCommand");
    expect(await store.head("failed/server")).toEqual({ size: 100n });
    expect((await readAll(await store.get("failed/server"))).equals(Buffer.from(patternBytes(0, 100)))).toBe(true);
  });

  it("maps a missing bucket and an unreachable server to StorageUnavailableError, a missing key to not found", async () => {
    const noBucket = new S3ObjectStore({ client: clientFor(s3), bucket: "no-such-bucket" });
    const missingBucket = await noBucket.get("x").catch((e: unknown) => e);
    expect(missingBucket).toBeInstanceOf(StorageUnavailableError);
    expect((missingBucket as Error).message).toBe("S3 get failed: NoSuchBucket (HTTP 404)");
    await expect(noBucket.put("x", patternChunks(10, 10))).rejects.toBeInstanceOf(StorageUnavailableError);
    const gone = await startS3rver();
    const unreachable = new S3ObjectStore({ client: clientFor(gone), bucket: gone.bucket });
    await gone.stop();
    for (const call of [
      () => unreachable.get("x"),
      () => unreachable.head("x"),
      () => unreachable.delete("x"),
      () => unreachable.put("x", patternChunks(10, 10)),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    }
    const store = new S3ObjectStore({ client: clientFor(s3), bucket: s3.bucket });
    await expect(store.get("never/stored")).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it("rejects unusable prefixes and part sizes", () => {
    expect(normalizePrefix("//a/b//")).toBe("a/b");
    expect(normalizePrefix("")).toBe("");
    expect(() => normalizePrefix("a/../b")).toThrow(/S3_KEY_PREFIX/);
    expect(() => normalizePrefix("with space")).toThrow(/S3_KEY_PREFIX/);
    const client = clientFor(s3);
    expect(() => new S3ObjectStore({ client, bucket: "b", partSize: MiB })).toThrow(/5 MiB/);
    expect(() => new S3ObjectStore({ client, bucket: "" })).toThrow(/bucket/);
  });
});

describe("S3 settings from the environment", () => {
  const base: StorageEnv = {
    dataDir: "/tmp/unused",
    STORAGE_DRIVER: "s3",
    S3_ENDPOINT: undefined,
    S3_REGION: "us-east-1",
    S3_BUCKET: undefined,
    S3_ACCESS_KEY_ID: undefined,
    S3_SECRET_ACCESS_KEY: "",
    S3_FORCE_PATH_STYLE: true,
    S3_KEY_PREFIX: "",
  };

  it("accepts the Load S3 preset: load_acc key, empty secret, path-style", () => {
    const settings = s3Settings({
      ...base,
      S3_ENDPOINT: "https://api.load.network/s3",
      S3_BUCKET: "my-bucket",
      S3_ACCESS_KEY_ID: "load_acc_abc123",
      S3_KEY_PREFIX: "vend/",
    });
    expect(settings).toEqual({
      bucket: "my-bucket",
      prefix: "vend",
      region: "us-east-1",
      forcePathStyle: true,
      endpoint: "https://api.load.network/s3",
      accessKeyId: "load_acc_abc123",
      secretAccessKey: "",
    });
  });

  it("accepts AWS with the default credential chain and R2 with keys", () => {
    expect(s3Settings({ ...base, S3_BUCKET: "b", S3_FORCE_PATH_STYLE: false })).toEqual({
      bucket: "b",
      prefix: "",
      region: "us-east-1",
      forcePathStyle: false,
    });
    const r2 = s3Settings({
      ...base,
      S3_ENDPOINT: "https://0123456789abcdef.r2.cloudflarestorage.com",
      S3_REGION: "auto",
      S3_BUCKET: "b",
      S3_ACCESS_KEY_ID: "AKID",
      S3_SECRET_ACCESS_KEY: "secret",
    });
    expect(r2).toMatchObject({ region: "auto", accessKeyId: "AKID", secretAccessKey: "secret" });
  });

  it("lists every problem in one message", () => {
    expect(() =>
      s3Settings({
        ...base,
        S3_ENDPOINT: "ftp://example.com",
        S3_REGION: " ",
        S3_ACCESS_KEY_ID: "AKID",
        S3_KEY_PREFIX: "bad prefix",
      }),
    ).toThrow(
      [
        "Invalid S3 storage settings (STORAGE_DRIVER=s3):",
        "  - S3_BUCKET is required (the bucket that holds the objects).",
        '  - S3_ENDPOINT must be an http(s) URL such as https://api.load.network/s3 (got "ftp://example.com").',
        "  - S3_REGION must not be empty (us-east-1 for Load S3, auto for R2, the bucket's region for AWS).",
        "  - S3_SECRET_ACCESS_KEY is empty; only Load S3 (a load_acc_… access key) works without a secret.",
      ].join("\n"),
    );
    expect(() => s3Settings({ ...base, S3_BUCKET: "b", S3_SECRET_ACCESS_KEY: "s" })).toThrow(
      "S3_SECRET_ACCESS_KEY is set but S3_ACCESS_KEY_ID is not.",
    );
    expect(() => s3Settings({ ...base, S3_BUCKET: "b", S3_KEY_PREFIX: "a/./b" })).toThrow(/S3_KEY_PREFIX "a\/.\/b" is not usable/);
  });

  it("insists on a load_acc key and path-style addressing for Load S3", () => {
    expect(() =>
      s3Settings({
        ...base,
        S3_ENDPOINT: "https://api.load.network/s3",
        S3_BUCKET: "b",
        S3_ACCESS_KEY_ID: "AKIA123",
        S3_SECRET_ACCESS_KEY: "x",
        S3_FORCE_PATH_STYLE: false,
      }),
    ).toThrow(/load_acc_… key from the Load Cloud Platform[\s\S]*S3_FORCE_PATH_STYLE=true/);
  });

  it("builds a working store from the settings", async () => {
    const store = createStore({
      ...base,
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_KEY_PREFIX: "from-env",
    });
    expect(store).toBeInstanceOf(S3ObjectStore);
    await store.put("k", patternChunks(10, 10));
    const head = await clientFor(s3).send(new HeadObjectCommand({ Bucket: s3.bucket, Key: "from-env/k" }));
    expect(head.ContentLength).toBe(10);
  });
});

/**
 * The use cases on the S3 driver, in-process: `createObject` (real PGlite database migrated with the
 * project's migrations, real s3rver) and `deliverObject`. The environment is set before the lib
 * modules are imported, since they read it once.
 */
describe("objects stored on S3", () => {
  let dataDir: string;
  let createObject: typeof import("@/lib/objects/create-object")["createObject"];
  let deliverObject: typeof import("@/lib/objects/deliver")["deliverObject"];
  let prisma: Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;
  let ownerId: string;
  let local: LocalS3;
  let raw: S3Client;
  const PREFIX = "objects-test";

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "vend-s3-objects-"));
    const databaseUrl = `pglite:${path.join(dataDir, "db")}`;
    local = await startS3rver({ bucket: "objects" });
    raw = clientFor(local);
    Object.assign(process.env, local.env(PREFIX), {
      VEND_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      MAX_UPLOAD_BYTES: String(64 * MiB),
      ANS104_SIGNER: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
    });
    const { applyMigrations } = await import("@/scripts/lib/migrations");
    await applyMigrations(databaseUrl);
    ({ createObject } = await import("@/lib/objects/create-object"));
    ({ deliverObject } = await import("@/lib/objects/deliver"));
    prisma = await (await import("@/lib/db")).db();
    ownerId = (await prisma.user.create({ data: { id: "usr_s3test", address: "0x0000000000000000000000000000000000000001" } })).id;
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await local?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function storedKeys(): Promise<string[]> {
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: local.bucket, Prefix: `${PREFIX}/` }));
    return (listed.Contents ?? []).map((o) => o.Key!).sort();
  }

  /** Makes the S3 client fail (as a 500 the SDK does not retry here) on the `nth` command matching `match`. */
  function failNth(match: (command: object) => boolean, nth: number): void {
    const send = S3Client.prototype.send;
    let seen = 0;
    vi.spyOn(S3Client.prototype, "send").mockImplementation(function (this: S3Client, command: never, ...rest: never[]) {
      if (match(command) && ++seen === nth) return Promise.reject(serverError());
      return (send as (...a: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    } as typeof send);
  }

  it("regroups an upload body into 1 MiB chunks before hashing and storing it", async () => {
    const { regroup } = await import("@/lib/objects/create-object");
    const total = 3 * MiB + 100;
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    async function* mixed(): AsyncGenerator<Uint8Array> {
      yield patternBytes(0, 10);
      yield patternBytes(10, 2 * MiB);
      for (let offset = 2 * MiB + 10; offset < total; offset += 65_536) yield patternBytes(offset, Math.min(65_536, total - offset));
    }
    for await (const chunk of regroup(mixed())) {
      sizes.push(chunk.byteLength);
      parts.push(Buffer.from(chunk));
    }
    expect(sizes).toEqual([MiB, MiB, MiB, 100]);
    expect(Buffer.concat(parts).equals(Buffer.from(patternBytes(0, total)))).toBe(true);
    const big = patternBytes(0, 2 * MiB);
    const passed: Uint8Array[] = [];
    for await (const chunk of regroup((async function* () {
      yield big;
    })())) passed.push(chunk);
    expect(passed).toEqual([big]);
  });

  it("records no object row and leaves no object when the store fails mid-upload (502 upstream_error)", async () => {
    const before = await storedKeys();
    failNth((c) => c instanceof UploadPartCommand, 2);
    const error = await createObject({
      ownerId,
      name: "video.mp4",
      contentType: "video/mp4",
      body: patternChunks(20 * MiB, MiB),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upstream_error", status: 502 });
    expect(await prisma.storedObject.count()).toBe(0);
    expect(await storedKeys()).toEqual(before);
  });

  it("records no row and deletes the payload when writing the signed header fails", async () => {
    failNth((c) => c instanceof PutObjectCommand && (c as PutObjectCommand).input.Key?.endsWith("/header") === true, 1);
    const error = await createObject({ ownerId, name: "a.bin", body: patternChunks(100_000, 10_000) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upstream_error" });
    expect(await prisma.storedObject.count()).toBe(0);
    expect(await storedKeys()).toEqual([]);
  });

  it("stores a multipart upload as a DataItem and delivers it whole, ranged and unsatisfiable in both formats", async () => {
    const size = 11 * MiB + 5;
    const object = await createObject({ ownerId, name: "data.bin", contentType: "application/x-test", body: patternChunks(size, 256 * 1024, 3) });
    expect(object.size).toBe(String(size));
    const row = await prisma.storedObject.findUniqueOrThrow({ where: { id: object.id } });
    expect(await storedKeys()).toEqual([`${PREFIX}/${row.headerKey}`, `${PREFIX}/${row.storageKey}`].sort());
    const payload = Buffer.from(patternBytes(0, size, 3));
    const headerLength = Number(row.dataOffset);

    const whole = await deliverObject(row, { rangeHeader: null, format: "ans104" });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("application/octet-stream");
    expect(whole.headers.get("content-disposition")).toContain(`filename="${row.dataItemId}.ans104"`);
    const item = Buffer.from(await whole.arrayBuffer());
    expect(item.byteLength).toBe(headerLength + size);
    expect(item.subarray(headerLength).equals(payload)).toBe(true);
    expect(await DataItem.verify(item)).toBe(true);
    expect(new DataItem(item).id).toBe(row.dataItemId);

    const total = headerLength + size;
    for (const [format, header, start, end, length] of [
      ["raw", `bytes=${PART - 10}-${PART + 9}`, PART - 10, PART + 9, size],
      ["raw", "bytes=-7", size - 7, size - 1, size],
      ["raw", `bytes=${size - 3}-`, size - 3, size - 1, size],
      ["ans104", `bytes=${headerLength - 5}-${headerLength + 4}`, headerLength - 5, headerLength + 4, total],
      ["ans104", "bytes=0-0", 0, 0, total],
      ["ans104", `bytes=${total - 2}-${total + 100}`, total - 2, total - 1, total],
    ] as const) {
      // A paid answer streams (a receipted raw download redirects: see tests/unit/uploads.test.ts).
      const res = await deliverObject(row, { rangeHeader: header, format, headers: new Headers({ "PAYMENT-RESPONSE": "e30=" }) });
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${length}`);
      const body = Buffer.from(await res.arrayBuffer());
      const source = format === "raw" ? payload : item;
      expect(body.equals(source.subarray(start, end + 1))).toBe(true);
    }
    for (const [format, length] of [
      ["raw", size],
      ["ans104", total],
    ] as const) {
      const res = await deliverObject(row, { rangeHeader: `bytes=${length}-`, format });
      expect(res.status).toBe(416);
      expect(res.headers.get("content-range")).toBe(`bytes */${length}`);
      expect((await res.json()).error.code).toBe("range_not_satisfiable");
    }
  });

  it("answers object_gone when the bytes vanished from the bucket, in both formats", async () => {
    const object = await createObject({ ownerId, name: "gone.bin", body: patternChunks(1000, 1000) });
    const row = await prisma.storedObject.findUniqueOrThrow({ where: { id: object.id } });
    const { storage } = await import("@/lib/storage");
    await storage().delete(row.storageKey);
    await storage().delete(row.headerKey);
    for (const format of ["raw", "ans104"] as const) {
      await expect(deliverObject(row, { rangeHeader: null, format })).rejects.toMatchObject({ code: "object_gone" });
    }
  });
});
