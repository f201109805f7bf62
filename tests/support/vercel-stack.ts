import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generatePrivateKey } from "viem/accounts";
import { startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startApp, type AppServer } from "./app-server";
import { ensureBuild } from "./build";
import { freePort } from "./ports";
import { startS3rver, type LocalS3 } from "./s3rver";
import { startVercelProxy, type VercelProxy } from "./vercel-proxy";

/** The Vercel-shaped stack; `stop()` tears it all down. */
export type VercelStack = {
  proxy: VercelProxy;
  apps: AppServer[];
  chain: Devnet;
  database: FreshDatabase;
  s3: LocalS3;
  stop(): Promise<void>;
};

/**
 * Starts Vend the way Vercel runs it, on this machine: two `next start` instances of one build
 * (two function instances), behind {@link startVercelProxy} (round robin, 4.5 MB body limit), sharing
 * one PostgreSQL server (a fresh database on `TEST_DATABASE_URL`'s server: always a server, as on
 * Vercel), one S3 server (s3rver, with the CORS rule for browser uploads) and the local chain, with
 * one settlement key (the chain's) and one ANS-104 key set in the environment, as on Vercel.
 * @throws Error when TEST_DATABASE_URL is not a postgresql:// URL.
 */
export async function startVercelStack(opts: { name: string; maxUploadBytes: number }): Promise<VercelStack> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server || !/^postgres(ql)?:\/\//.test(server)) {
    throw new Error("The Vercel-shaped stack needs a PostgreSQL server: set TEST_DATABASE_URL=postgresql://…");
  }
  ensureBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vend-${opts.name}-`));
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const chain = await startDevnet({ dataDir, port: await freePort(), quiet: true });
    cleanups.push(() => chain.stop());
    const database = await freshDatabase(dataDir, server, "vend_vercel");
    cleanups.push(() => database.drop());
    await applyMigrations(database.url);
    const s3 = await startS3rver({ cors: true });
    cleanups.push(() => s3.stop());
    const proxyPort = await freePort();
    const url = `http://127.0.0.1:${proxyPort}`;
    const env = {
      NODE_ENV: "production",
      VEND_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: `${opts.name}-secret-${opts.name}-secret-${opts.name}`,
      ANS104_SIGNER: generatePrivateKey(),
      MAX_UPLOAD_BYTES: String(opts.maxUploadBytes),
      ...s3.env("vercel"),
    };
    const ports = [await freePort(), await freePort()];
    const apps = await Promise.all(ports.map((port) => startApp({ port, env })));
    cleanups.push(...apps.map((app) => () => app.stop()));
    const proxy = await startVercelProxy(
      apps.map((app) => app.url),
      proxyPort,
    );
    cleanups.push(() => proxy.stop());
    return { proxy, apps, chain, database, s3, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
