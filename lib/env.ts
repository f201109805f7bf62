import "server-only";
import path from "node:path";
import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod";

/**
 * The server's environment, validated with zod and read once (on first use, never at import time,
 * so `next build` can import every module without a configured environment).
 * Every variable is documented in `.env.example` and the README.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** `pglite:<dir>` (embedded, default) or `postgresql://…` (a server). */
  DATABASE_URL: z.string().optional(),
  /** How to reach a PostgreSQL server: `pg` (TCP) or `neon` (Neon's serverless driver); unset = by host. */
  DATABASE_DRIVER: z.enum(["pg", "neon"]).optional(),
  /** Most connections one process opens to a PostgreSQL server (default 10; 5 on Vercel). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  /** Where the embedded default keeps its database, files, chain record and dev keys. */
  VEND_DATA_DIR: z.string().default(".vend"),
  /** The public origin of this deployment; links and SIWE domains are built from it. */
  APP_URL: z.url().optional(),
  NEXTAUTH_URL: z.url().optional(),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  /** Largest accepted upload, in bytes. */
  MAX_UPLOAD_BYTES: z.coerce.bigint().positive().default(2n * 1024n ** 3n),
  /** ANS-104 signer: an Ethereum private key (0x…64 hex) or an Arweave JWK (JSON). */
  ANS104_SIGNER: z.string().optional(),
  /** x402 offer-receipt signing key: an Ed25519 private JWK (JSON); unset = generated into VEND_DATA_DIR. */
  OFFER_RECEIPT_KEY: z.string().optional(),
  STORAGE_DRIVER: z.enum(["fs", "s3"]).default("fs"),
  S3_ENDPOINT: z.string().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().default(""),
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  S3_KEY_PREFIX: z.string().default(""),
  /** Remote facilitator base URL; unset = the in-process facilitator. */
  FACILITATOR_URL: z.url().optional(),
  /** Sent as `Authorization: Bearer …` to a remote facilitator. */
  FACILITATOR_API_KEY: z.string().optional(),
  /** Key of the account that submits settlements for the in-process facilitator. */
  SETTLEMENT_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key")
    .optional(),
  /**
   * Seconds a purchase waits for its settlement's receipt before answering 409 `settlement_pending`
   * (the payment stays `settling`; the reconciler finishes it from the chain).
   */
  SETTLEMENT_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(20),
  /**
   * More ERC-6492 smart-wallet factories the in-process facilitator may deploy buyers' accounts
   * through, on every network (comma-separated addresses), on top of lib/x402/smart-wallets.ts's.
   */
  EIP6492_ALLOWED_FACTORIES: z
    .string()
    .default("")
    .transform((value, ctx): Address[] => {
      const items = value.split(",").map((s) => s.trim()).filter(Boolean);
      const bad = items.filter((s) => !isAddress(s, { strict: false }));
      if (bad.length) {
        ctx.addIssue({ code: "custom", message: `not an address: ${bad.join(", ")} (expected comma-separated 0x… addresses)` });
        return z.NEVER;
      }
      return items.map((s) => getAddress(s));
    }),
  /** Bearer secret of `GET /api/cron/reconcile` (Vercel Cron sends it); unset = route disabled. */
  CRON_SECRET: z.string().min(16).optional(),
  /** Secret that signs download receipts; defaults to NEXTAUTH_SECRET. */
  RECEIPT_SECRET: z.string().min(16).optional(),
  /** Purchases (requests carrying a payment) per client IP per minute, across instances; 0 = off. */
  RATE_LIMIT_PURCHASES_PER_IP: z.coerce.number().int().min(0).default(600),
  /** Purchases per payer address per minute, across instances; 0 = off. */
  RATE_LIMIT_PURCHASES_PER_PAYER: z.coerce.number().int().min(0).default(120),
  /** Sign-In-With-X proofs verified on chain (smart accounts) per client IP per minute, across instances; 0 = off. */
  RATE_LIMIT_SIWX_PER_IP: z.coerce.number().int().min(0).default(120),
  /** SIWE nonces (`GET /api/auth/nonce`) per client IP per minute, across instances; 0 = off. */
  RATE_LIMIT_NONCES_PER_IP: z.coerce.number().int().min(0).default(60),
});

export type Env = z.infer<typeof schema> & {
  /** Absolute data directory. */
  dataDir: string;
  /** Resolved database URL (`pglite:<abs dir>` or `postgres…`). */
  databaseUrl: string;
  /** Public origin without trailing slash, e.g. `http://localhost:3000`. */
  appUrl: string;
};

let cached: Env | undefined;

/** The validated environment. Throws once, with every problem listed, when it is invalid. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const dataDir = path.resolve(parsed.data.VEND_DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `pglite:${path.join(dataDir, "db")}`;
  const appUrl = (parsed.data.APP_URL ?? parsed.data.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  cached = { ...parsed.data, dataDir, databaseUrl, appUrl };
  return cached;
}
