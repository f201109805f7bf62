import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";

/**
 * The Neon serverless driver path of lib/db.ts (`@prisma/adapter-neon`), against a real PostgreSQL
 * server: Neon's driver speaks the PostgreSQL protocol inside a WebSocket to Neon's proxy; here a
 * small proxy of ours stands in for it (WebSocket ↔ TCP to the server of TEST_DATABASE_URL, no TLS).
 * Node 20 has no global WebSocket, which the app then refuses to do without (it asks for Node 22):
 * the test lends it the `ws` client. Skipped without a PostgreSQL server.
 */

const server = process.env.TEST_DATABASE_URL;
const dataDir = mkdtempSync(path.join(tmpdir(), "vend-neon-"));
let database: FreshDatabase;
let proxy: WebSocketServer;
/** WebSocket connections the driver opened through the proxy. */
let connections = 0;

describe.runIf(server && /^postgres(ql)?:\/\//.test(server))("Neon's serverless driver", () => {
  beforeAll(async () => {
    database = await freshDatabase(dataDir, server, "vend_neon");
    proxy = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => proxy.once("listening", resolve));
    const target = new URL(database.url);
    proxy.on("connection", (socket) => {
      connections += 1;
      const tcp = net.connect(Number(target.port || 5432), target.hostname);
      socket.on("message", (data: Buffer) => tcp.write(data));
      tcp.on("data", (data) => socket.send(data));
      socket.on("close", () => tcp.destroy());
      tcp.on("close", () => socket.close());
      tcp.on("error", () => socket.close());
    });
    const { neonConfig } = await import("@neondatabase/serverless");
    const port = (proxy.address() as net.AddressInfo).port;
    neonConfig.wsProxy = () => `127.0.0.1:${port}/`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
    if (typeof globalThis.WebSocket === "undefined") (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
    Object.assign(process.env, { VEND_DATA_DIR: dataDir, DATABASE_URL: database.url, DATABASE_DRIVER: "neon" });
    const { applyMigrations } = await import("@/scripts/lib/migrations");
    await applyMigrations(database.url);
  });

  afterAll(async () => {
    await (await (await import("@/lib/db")).db()).$disconnect();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs the app's queries and transactions through @prisma/adapter-neon", async () => {
    const { db, databaseDriver } = await import("@/lib/db");
    expect(databaseDriver("postgresql://u:p@ep-quiet-1234-pooler.eu-central-1.aws.neon.tech/db", undefined)).toBe("neon");
    expect(databaseDriver("postgresql://u:p@ep-quiet-1234.eu-central-1.aws.neon.tech/db", "pg")).toBe("pg");
    expect(databaseDriver("postgresql://u:p@127.0.0.1:5432/db", undefined)).toBe("pg");
    const prisma = await db();
    await prisma.user.create({ data: { id: "usr_neon0000000000000000", address: "0x00000000000000000000000000000000000000bb" } });
    const [a, b] = await prisma.$transaction([
      prisma.user.count(),
      prisma.user.findUnique({ where: { id: "usr_neon0000000000000000" } }),
    ]);
    expect(a).toBe(1);
    expect(b?.address).toBe("0x00000000000000000000000000000000000000bb");
    const { migrationStatus } = await import("@/lib/health/migration-status");
    expect(await migrationStatus(prisma)).toEqual({ pending: [], failed: [] });
    expect(connections).toBeGreaterThan(0);
  });
});
