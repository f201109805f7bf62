import "server-only";
import { publicClient } from "@/lib/chain";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { migrationStatus } from "@/lib/health/migration-status";
import { configuredNetworks } from "@/lib/networks";
import { storage } from "@/lib/storage";

/** Longest wait for one dependency before it counts as unreachable. */
const CHECK_TIMEOUT_MS = 3_000;

/** One dependency's state: `ok`, or a `problem` a person can act on. */
export type Check = { ok: boolean; problem?: string };

/** What `GET /api/health` reports. */
export type Health = {
  ready: boolean;
  checks: {
    database: Check & { pending?: string[]; failed?: string[] };
    storage: Check & { driver: string };
    networks: Record<string, Check>;
  };
};

/**
 * Readiness: whether this instance can serve every request, with what is wrong when not.
 * - database: reachable and migrated — every migration of this build applied, none failed
 *   (`npm run db:migrate`);
 * - storage: the `STORAGE_DRIVER` settings are complete and valid (every problem listed) and the
 *   store answers a `HEAD` (bucket, credentials, endpoint);
 * - networks: each configured network's RPC answers `eth_chainId` with the expected chain id.
 * Each check runs in parallel and gives up after 3 s.
 */
export async function checkHealth(): Promise<Health> {
  const [database, storage, networks] = await Promise.all([databaseCheck(), storageCheck(), networkChecks()]);
  const ready = database.ok && storage.ok && Object.values(networks).every((n) => n.ok);
  return { ready, checks: { database, storage, networks } };
}

async function databaseCheck(): Promise<Health["checks"]["database"]> {
  try {
    const { pending, failed } = await timed(migrationStatus(await db()));
    if (failed.length) return { ok: false, failed, pending, problem: `Failed migrations: ${failed.join(", ")}. Fix them, then run \`npm run db:migrate\`.` };
    if (pending.length) return { ok: false, pending, failed, problem: `The database is not migrated (${pending.length} pending). Run \`npm run db:migrate\`.` };
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: `The database is unreachable: ${message(error)}` };
  }
}

async function storageCheck(): Promise<Health["checks"]["storage"]> {
  const config = env();
  try {
    await timed(storage().head("health/probe"));
    return { ok: true, driver: config.STORAGE_DRIVER };
  } catch (error) {
    return { ok: false, driver: config.STORAGE_DRIVER, problem: message(error) };
  }
}

async function networkChecks(): Promise<Record<string, Check>> {
  const entries = await Promise.all(
    configuredNetworks().map(async (network): Promise<[string, Check]> => {
      try {
        const chainId = await timed(publicClient(network).getChainId());
        if (chainId !== network.chainId) return [network.id, { ok: false, problem: `The RPC serves chain ${chainId}, not ${network.chainId}.` }];
        return [network.id, { ok: true }];
      } catch (error) {
        return [network.id, { ok: false, problem: `The RPC is unreachable: ${message(error)}` }];
      }
    }),
  );
  return Object.fromEntries(entries);
}

function timed<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").slice(0, 6).join(" ").slice(0, 500);
}
