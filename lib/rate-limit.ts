import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** One counter to take a unit from: at most `limit` per `windowSeconds` for `key`. */
export type Limit = { key: string; limit: number; windowSeconds: number };

/**
 * Fixed-window rate limits stored in PostgreSQL, so they hold across every app instance: each call
 * adds one to every counter in ONE statement (an upsert per key) and refuses when any of them is
 * over its limit. A limit of 0 disables that counter.
 * @throws AppError `rate_limited` (429) with `details.retryAfter` (seconds until the window ends).
 */
export async function consume(limits: Limit[], now = Date.now()): Promise<void> {
  const active = limits.filter((l) => l.limit > 0);
  if (active.length === 0) return;
  const rows = active.map((l) => {
    const windowMs = l.windowSeconds * 1000;
    return { ...l, windowStart: new Date(Math.floor(now / windowMs) * windowMs) };
  });
  const prisma = await db();
  const keys = rows.map((r) => r.key);
  const starts = rows.map((r) => r.windowStart);
  const counts = await prisma.$queryRaw<{ key: string; count: number }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count")
    SELECT k, w, 1 FROM unnest(${keys}::text[], ${starts}::timestamp[]) AS t(k, w)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimit"."count" + 1
    RETURNING "key", "count"`;
  for (const row of rows) {
    const count = counts.find((c) => c.key === row.key)?.count ?? 0;
    if (count > row.limit) {
      const retryAfter = Math.max(1, Math.ceil((row.windowStart.getTime() + row.windowSeconds * 1000 - now) / 1000));
      throw new AppError("rate_limited", `Too many requests. Try again in ${retryAfter} s.`, { retryAfter });
    }
  }
}

/** Deletes counters whose window ended more than an hour ago. Returns how many were removed. */
export async function sweepRateLimits(now = Date.now()): Promise<number> {
  const prisma = await db();
  const { count } = await prisma.rateLimit.deleteMany({ where: { windowStart: { lt: new Date(now - 3_600_000) } } });
  return count;
}

/**
 * The client's IP address as the edge in front of the app reports it: `X-Real-IP` (Vercel, nginx),
 * else the first `X-Forwarded-For` hop; "unknown" when neither is present. Behind no proxy at all
 * these headers come from the client itself, so per-IP limits are only as good as the edge.
 */
export function clientIp(headers: Headers): string {
  const real = headers.get("x-real-ip")?.trim();
  if (real) return real.slice(0, 64);
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return first ? first.slice(0, 64) : "unknown";
}

/** The purchase limits for a request: per client IP and per payer address, per minute. */
export function purchaseLimits(ip: string, payer: string): Limit[] {
  const e = env();
  return [
    { key: `purchase:ip:${ip}`, limit: e.RATE_LIMIT_PURCHASES_PER_IP, windowSeconds: 60 },
    { key: `purchase:payer:${payer.toLowerCase()}`, limit: e.RATE_LIMIT_PURCHASES_PER_PAYER, windowSeconds: 60 },
  ];
}

/** The SIWE nonce limit for a request: per client IP, per minute. */
export function nonceLimits(ip: string): Limit[] {
  return [{ key: `siwe-nonce:ip:${ip}`, limit: env().RATE_LIMIT_NONCES_PER_IP, windowSeconds: 60 }];
}

/**
 * The limit on Sign-In-With-X proofs checked on chain (ERC-1271/ERC-6492 smart accounts: one RPC
 * call each), per client IP, per minute. Account (EIP-191) proofs are checked offline and not counted.
 */
export function siwxLimits(ip: string): Limit[] {
  return [{ key: `siwx:ip:${ip}`, limit: env().RATE_LIMIT_SIWX_PER_IP, windowSeconds: 60 }];
}
