import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";

/**
 * What a buyer's own payment opens, and when the bytes of a deleted object may go (issue 9, items 1
 * and 4), decided against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and real
 * files: receipts are decided by the payment row (settled, not refunded, inside the access window),
 * and a deleted object's bytes stay while any buyer is owed them.
 */
let dataDir: string;
let database: FreshDatabase;
type Prisma = Awaited<ReturnType<(typeof import("@/lib/db"))["db"]>>;
let prisma: Prisma;

const HOUR = 3_600_000;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-access-"));
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  await applyMigrations(database.url);
  Object.assign(process.env, {
    VEND_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    APP_URL: "http://vend.test",
    NEXTAUTH_SECRET: "access-test-secret-access-test",
    STORAGE_DRIVER: "fs",
  });
  prisma = await (await import("@/lib/db")).db();
  await prisma.user.create({ data: { id: "usr_access", address: "0x0000000000000000000000000000000000000001" } });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

let serial = 0;

/** An object with real stored bytes, a link to it, and a payment in `status` settled `settledAgo` ms ago. */
async function seed(opts: { status: "settled" | "settling" | "refunded" | "failed"; settledAgo?: number; accessSeconds?: number }) {
  const { storage } = await import("@/lib/storage");
  const n = ++serial;
  const storageKey = `objects/usr_access/obj_${n}/payload`;
  const headerKey = `objects/usr_access/obj_${n}/header`;
  await storage().put(storageKey, (async function* () {
    yield new Uint8Array([1, 2, 3]);
  })());
  await storage().put(headerKey, (async function* () {
    yield new Uint8Array([9]);
  })());
  const object = await prisma.storedObject.create({
    data: {
      id: `obj_access${String(n).padStart(10, "0")}`, ownerId: "usr_access", name: "f.bin", contentType: "application/octet-stream",
      size: 3n, dataOffset: 1n, dataItemId: `di_${n}`, signatureType: 3, dataItemOwner: "o", signer: "s", tags: [],
      storageKey, headerKey, sha256: "00",
    },
  });
  const link = await prisma.paymentLink.create({
    data: {
      id: `lnk_access${String(n).padStart(10, "0")}`, slug: `accessslug${n}`, objectId: object.id, ownerId: "usr_access",
      payTo: "0x0000000000000000000000000000000000000002", amount: 10_000n, network: "eip155:31337",
      asset: "0x0000000000000000000000000000000000000003", expiresAt: new Date(Date.now() + HOUR),
      accessSeconds: opts.accessSeconds ?? 3600,
    },
    include: { object: true },
  });
  const settledAt = opts.settledAgo === undefined ? null : new Date(Date.now() - opts.settledAgo);
  const payment = await prisma.payment.create({
    data: {
      id: `pay_access${String(n).padStart(10, "0")}`, linkId: link.id, payer: "0x0000000000000000000000000000000000000004",
      amount: 10_000n, network: link.network, asset: link.asset, nonce: `0x${n.toString(16).padStart(64, "0")}`,
      validBefore: BigInt(Math.floor(Date.now() / 1000) + 300), signature: "0x00", x402Version: 2,
      status: opts.status, settledAt,
    },
  });
  return { object, link, payment };
}

describe("what a receipt opens", () => {
  it("opens a settled payment inside its window, then closes when the window ends", async () => {
    const { accessOf, receiptAccess } = await import("@/lib/purchases/access");
    const { signReceipt } = await import("@/lib/purchases/receipts");
    const { link, payment } = await seed({ status: "settled", settledAgo: 1000, accessSeconds: 3600 });
    const token = signReceipt({ paymentId: payment.id, linkId: link.id, expiresAt: 0 });
    expect((await receiptAccess(link, token))?.kind).toBe("open");
    const later = new Date(Date.now() + HOUR);
    expect(await accessOf(link, payment, later)).toMatchObject({ kind: "closed", reason: "access_expired" });
    expect(await receiptAccess(link, token, later)).toMatchObject({ kind: "closed", reason: "access_expired" });
  });

  it("closes for a refunded or failed payment, and is nothing for a forged token or another link's", async () => {
    const { receiptAccess } = await import("@/lib/purchases/access");
    const { signReceipt } = await import("@/lib/purchases/receipts");
    const refunded = await seed({ status: "refunded", settledAgo: 1000 });
    const failed = await seed({ status: "failed" });
    const refundedToken = signReceipt({ paymentId: refunded.payment.id, linkId: refunded.link.id, expiresAt: 0 });
    expect(await receiptAccess(refunded.link, refundedToken)).toMatchObject({ kind: "closed", reason: "refunded" });
    const failedToken = signReceipt({ paymentId: failed.payment.id, linkId: failed.link.id, expiresAt: 0 });
    expect(await receiptAccess(failed.link, failedToken)).toMatchObject({ kind: "closed", reason: "not_paid" });
    expect(await receiptAccess(refunded.link, `${refundedToken.slice(0, -3)}abc`)).toBeNull();
    expect(await receiptAccess(failed.link, refundedToken)).toBeNull();
    const crossLink = signReceipt({ paymentId: refunded.payment.id, linkId: failed.link.id, expiresAt: 0 });
    expect(await receiptAccess(failed.link, crossLink)).toBeNull();
  });
});

describe("erasing a deleted object", () => {
  it("keeps the bytes while a buyer is inside their window or a payment is settling, erases them after", async () => {
    const { purgeDeletedObjects, PURGE_GRACE_SECONDS } = await import("@/lib/objects/purge-deleted");
    const { storage } = await import("@/lib/storage");
    const owed = await seed({ status: "settled", settledAgo: 1000, accessSeconds: 3600 });
    const settling = await seed({ status: "settling" });
    const done = await seed({ status: "settled", settledAgo: 2 * HOUR, accessSeconds: 3600 });
    const deletedAt = new Date(Date.now() - (PURGE_GRACE_SECONDS + 60) * 1000);
    await prisma.storedObject.updateMany({ where: { ownerId: "usr_access" }, data: { deletedAt } });
    const justDeleted = await seed({ status: "settled", settledAgo: 2 * HOUR });
    await prisma.storedObject.update({ where: { id: justDeleted.object.id }, data: { deletedAt: new Date() } });

    expect(await purgeDeletedObjects()).toBeGreaterThanOrEqual(1);
    const state = async (id: string) => (await prisma.storedObject.findUniqueOrThrow({ where: { id } })).purgedAt;
    expect(await state(owed.object.id)).toBeNull();
    expect(await state(settling.object.id)).toBeNull();
    expect(await state(justDeleted.object.id)).toBeNull();
    expect(await state(done.object.id)).not.toBeNull();
    expect(await storage().head(done.object.storageKey)).toBeNull();
    expect(await storage().head(owed.object.storageKey)).not.toBeNull();

    // Once the owed buyer's window has closed too, the next run erases that one as well.
    expect(await purgeDeletedObjects(new Date(Date.now() + 2 * HOUR))).toBeGreaterThanOrEqual(2);
    expect(await state(owed.object.id)).not.toBeNull();
    expect(await state(settling.object.id)).toBeNull();
  });
});
