import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataItem } from "arbundles";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byteChunks } from "@/lib/storage/types";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { startS3rver, type LocalS3 } from "../support/s3rver";

/**
 * Direct uploads (issue 11) against a real S3 protocol server (s3rver), real PostgreSQL (PGlite, or
 * the server of TEST_DATABASE_URL) and real HTTP PUTs to the presigned URLs: the bytes never pass
 * through the use cases, which only open, sign, complete and record.
 */

const MiB = 1024 * 1024;
const dataDir = mkdtempSync(path.join(tmpdir(), "vend-uploads-"));
let s3: LocalS3;
let database: FreshDatabase;

type Uploads = {
  createUpload: typeof import("@/lib/uploads/create-upload")["createUpload"];
  signParts: typeof import("@/lib/uploads/sign-parts")["signParts"];
  completeUpload: typeof import("@/lib/uploads/complete-upload")["completeUpload"];
  cancelUpload: typeof import("@/lib/uploads/cancel-upload")["cancelUpload"];
  sweepExpiredUploads: typeof import("@/lib/uploads/sweep-uploads")["sweepExpiredUploads"];
  deliverObject: typeof import("@/lib/objects/deliver")["deliverObject"];
  storage: typeof import("@/lib/storage")["storage"];
  db: typeof import("@/lib/db")["db"];
};
let u: Uploads;
const owner = "usr_uploader0000000000000";

beforeAll(async () => {
  s3 = await startS3rver();
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  Object.assign(process.env, {
    VEND_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    APP_URL: "http://localhost:3000",
    MAX_UPLOAD_BYTES: String(64 * MiB),
    ...s3.env("tenant"),
  });
  delete process.env.VERCEL;
  const { applyMigrations } = await import("@/scripts/lib/migrations");
  await applyMigrations(database.url);
  u = {
    createUpload: (await import("@/lib/uploads/create-upload")).createUpload,
    signParts: (await import("@/lib/uploads/sign-parts")).signParts,
    completeUpload: (await import("@/lib/uploads/complete-upload")).completeUpload,
    cancelUpload: (await import("@/lib/uploads/cancel-upload")).cancelUpload,
    sweepExpiredUploads: (await import("@/lib/uploads/sweep-uploads")).sweepExpiredUploads,
    deliverObject: (await import("@/lib/objects/deliver")).deliverObject,
    storage: (await import("@/lib/storage")).storage,
    db: (await import("@/lib/db")).db,
  };
  await (await u.db()).user.create({ data: { id: owner, address: "0x00000000000000000000000000000000000000aa" } });
});

afterAll(async () => {
  await (await u?.db())?.$disconnect();
  await database?.drop();
  await s3?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Plan = Extract<Awaited<ReturnType<Uploads["createUpload"]>>, { mode: "multipart" }>;

async function open(bytes: Uint8Array, name = "clip.bin"): Promise<Plan> {
  const plan = await u.createUpload({ ownerId: owner, name, contentType: "video/mp4", size: String(bytes.byteLength) });
  if (plan.mode !== "multipart") throw new Error("expected a multipart plan");
  return plan;
}

/** PUTs every part to its presigned URL, all at once; returns the parts' ETags and the completion URL. */
async function putParts(plan: Plan, bytes: Uint8Array) {
  const partNumbers = Array.from({ length: plan.partCount }, (_, i) => i + 1);
  const signed = await u.signParts(owner, plan.id, { partNumbers });
  const partSize = Number(plan.partSize);
  const parts = await Promise.all(
    signed.parts.map(async ({ partNumber, url, size }) => {
      const body = bytes.subarray((partNumber - 1) * partSize, (partNumber - 1) * partSize + Number(size));
      const res = await fetch(url, { method: "PUT", body: body as BodyInit });
      expect(res.status).toBe(200);
      return { partNumber, etag: res.headers.get("etag")! };
    }),
  );
  return { parts, completeUrl: signed.completeUrl };
}

async function readKey(key: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of byteChunks(await u.storage().get(key))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("direct uploads", () => {
  it("turns parts PUT straight to the bucket into a signed DataItem that verifies over the stored bytes", async () => {
    const bytes = new Uint8Array(randomBytes(21 * MiB + 123));
    const plan = await open(bytes, "field notes – 2026.mp4");
    expect(plan).toMatchObject({ size: String(bytes.byteLength), partSize: String(8 * MiB), partCount: 3 });
    const { parts } = await putParts(plan, bytes);
    const object = await u.completeUpload(owner, plan.id, { parts });
    expect(object).toMatchObject({
      id: plan.objectId,
      name: "field notes – 2026.mp4",
      contentType: "video/mp4",
      size: String(bytes.byteLength),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      signatureType: 3,
    });
    const row = await (await u.db()).storedObject.findUniqueOrThrow({ where: { id: object.id } });
    const whole = Buffer.concat([await readKey(row.headerKey), await readKey(row.storageKey)]);
    expect(await DataItem.verify(whole)).toBe(true);
    const item = new DataItem(whole);
    expect(item.id).toBe(object.dataItemId);
    expect(Buffer.from(item.rawData).equals(Buffer.from(bytes))).toBe(true);
    expect(item.tags).toEqual(expect.arrayContaining([{ name: "File-Name", value: "field notes – 2026.mp4" }]));
    expect(await (await u.db()).upload.count({ where: { id: plan.id } })).toBe(0);
  });

  it("accepts a multipart upload the client completed itself with the presigned completion URL", async () => {
    const bytes = new Uint8Array(randomBytes(9 * MiB));
    const plan = await open(bytes);
    const { parts, completeUrl } = await putParts(plan, bytes);
    await expect(u.completeUpload(owner, plan.id, {})).rejects.toMatchObject({ code: "conflict" });
    const xml = `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${p.etag}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    expect((await fetch(completeUrl, { method: "POST", body: xml, headers: { "content-type": "application/xml" } })).status).toBe(200);
    const object = await u.completeUpload(owner, plan.id, {});
    expect(object.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("keeps nothing when the stored size is not the declared one", async () => {
    const bytes = new Uint8Array(randomBytes(6 * MiB));
    const plan = await open(bytes);
    const { parts } = await putParts(plan, bytes.subarray(0, 5 * MiB));
    await expect(u.completeUpload(owner, plan.id, { parts })).rejects.toMatchObject({ code: "invalid_request" });
    const prisma = await u.db();
    expect(await prisma.upload.count({ where: { id: plan.id } })).toBe(0);
    expect(await prisma.storedObject.count({ where: { id: plan.objectId } })).toBe(0);
    expect(await u.storage().head(`objects/${owner}/${plan.objectId}/payload`)).toBeNull();
  });

  it("lets one completion run at a time, across callers", async () => {
    const bytes = new Uint8Array(randomBytes(5 * MiB));
    const plan = await open(bytes);
    const { parts } = await putParts(plan, bytes);
    const results = await Promise.allSettled([u.completeUpload(owner, plan.id, { parts }), u.completeUpload(owner, plan.id, { parts })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // The other one finds the completion running (409), or already done and the upload gone (404).
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(["conflict", "not_found"]).toContain((rejected.reason as { code: string }).code);
    expect(await (await u.db()).storedObject.count({ where: { id: plan.objectId } })).toBe(1);
  });

  it("refuses bad requests with clear errors and records nothing", async () => {
    await expect(u.createUpload({ ownerId: owner, name: "big.bin", size: String(64 * MiB + 1) })).rejects.toMatchObject({ code: "payload_too_large" });
    await expect(u.createUpload({ ownerId: owner, name: "empty.bin", size: "0" })).rejects.toMatchObject({ code: "empty_file" });
    await expect(u.createUpload({ ownerId: owner, name: "", size: "10" })).rejects.toThrow();
    const plan = await open(new Uint8Array(10));
    await expect(u.signParts(owner, plan.id, { partNumbers: [2] })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(u.signParts("usr_someoneelse00000000", plan.id, { partNumbers: [1] })).rejects.toMatchObject({ code: "not_found" });
    await expect(u.completeUpload(owner, plan.id, { parts: [] })).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("forgets a cancelled upload and an expired one", async () => {
    const bytes = new Uint8Array(randomBytes(5 * MiB));
    const cancelled = await open(bytes);
    const { parts } = await putParts(cancelled, bytes);
    await u.cancelUpload(owner, cancelled.id);
    await expect(u.completeUpload(owner, cancelled.id, { parts })).rejects.toMatchObject({ code: "not_found" });

    const abandoned = await open(bytes);
    const prisma = await u.db();
    await prisma.upload.update({ where: { id: abandoned.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(u.signParts(owner, abandoned.id, { partNumbers: [1] })).rejects.toMatchObject({ code: "not_found" });
    expect(await u.sweepExpiredUploads()).toEqual({ discarded: 1 });
    expect(await prisma.upload.count({ where: { id: { in: [cancelled.id, abandoned.id] } } })).toBe(0);
  });
});

describe("downloads from S3", () => {
  it("redirects a download that is not a paid answer to a short-lived presigned GET, and streams a paid one", async () => {
    const bytes = new Uint8Array(randomBytes(5 * MiB + 7));
    const plan = await open(bytes, "report (final).pdf");
    const { parts } = await putParts(plan, bytes);
    await u.completeUpload(owner, plan.id, { parts });
    const object = await (await u.db()).storedObject.findUniqueOrThrow({ where: { id: plan.objectId } });

    const redirect = await u.deliverObject(object, { rangeHeader: null, format: "raw" });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get("location")!;
    expect(location).toContain("X-Amz-Expires=120");
    const direct = await fetch(location, { headers: { range: "bytes=5-9" } });
    expect(direct.status).toBe(206);
    expect(Buffer.from(await direct.arrayBuffer()).equals(Buffer.from(bytes.subarray(5, 10)))).toBe(true);
    expect(direct.headers.get("content-disposition")).toContain('filename="report (final).pdf"');

    const paid = await u.deliverObject(object, {
      rangeHeader: null,
      format: "raw",
      headers: new Headers({ "PAYMENT-RESPONSE": "e30=" }),
    });
    expect(paid.status).toBe(200);
    expect(paid.headers.get("payment-response")).toBe("e30=");
    expect(Buffer.from(await paid.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    const whole = await u.deliverObject(object, { rangeHeader: null, format: "ans104" });
    expect(whole.status).toBe(200);
    expect(await DataItem.verify(Buffer.from(await whole.arrayBuffer()))).toBe(true);
  });
});
