import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";

/**
 * Several instances share a PostgreSQL server: an edit made by one must show at once on the others,
 * whose gate reuses a loaded link for 2 s. Another instance's edit is played here by SQL on the same
 * database (it bumps the link's version, as the edit use case does); PGlite has one process only,
 * where the editing process forgets its own copy, so this runs against a server.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
let dataDir: string;
let database: FreshDatabase;
type Db = Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;
let prisma: Db;

describe.runIf(serverUrl?.startsWith("postgres"))("a loaded link on another instance", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-link-version-"));
    process.env.VEND_DATA_DIR = dataDir;
    process.env.APP_URL = "http://127.0.0.1:3999";
    database = await freshDatabase(dataDir, serverUrl, "vend_link_version");
    await applyMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    prisma = await (await import("@/lib/db")).db();
    await prisma.user.create({ data: { id: "usr_v", address: "0x00000000000000000000000000000000000000v1" } });
    await prisma.storedObject.create({
      data: {
        id: "obj_v", ownerId: "usr_v", name: "v.bin", contentType: "application/octet-stream", size: 1n, dataOffset: 1n, dataItemId: "d",
        signatureType: 3, dataItemOwner: "o", signer: "s", tags: [], storageKey: "k", headerKey: "h", sha256: "00",
      },
    });
    await prisma.paymentLink.create({
      data: {
        id: "lnk_v", slug: "versionslug", objectId: "obj_v", ownerId: "usr_v", payTo: "0x000000000000000000000000000000000000dEaD", amount: 1n,
        network: "eip155:31337", asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3", title: "Before", expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("is reused while unchanged and reloaded as soon as its version moves", async () => {
    const { loadLinkForSale } = await import("@/lib/purchases/sale");
    const first = await loadLinkForSale("versionslug");
    expect(first.title).toBe("Before");
    expect(await loadLinkForSale("versionslug")).toBe(first);
    await prisma.$executeRaw`UPDATE "PaymentLink" SET "title" = 'After', "version" = "version" + 1 WHERE "id" = 'lnk_v'`;
    const after = await loadLinkForSale("versionslug");
    expect(after.title).toBe("After");
    expect(after.version).toBe(first.version + 1);
  });
});
