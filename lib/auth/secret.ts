import "server-only";
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/** Shortest secret accepted from the generated file (a truncated file is refused, never used). */
const MIN_FILE_SECRET_LENGTH = 32;

let cached: string | undefined;

/** Where the generated secret lives when NEXTAUTH_SECRET is unset: `<dataDir>/auth-secret`. */
export function authSecretFile(dataDir: string): string {
  return path.join(dataDir, "auth-secret");
}

/**
 * The key that encrypts next-auth's session JWT (and signs its CSRF cookie).
 *
 * - `NEXTAUTH_SECRET` when set (required length ≥ 16, checked by `env()`).
 * - On Vercel (`process.env.VERCEL`): NEXTAUTH_SECRET is required, because every serverless
 *   instance has its own ephemeral filesystem and a generated secret would differ per instance.
 * - Elsewhere (dev, tests, a self-hosted `next start`): 32 random bytes generated once, written to
 *   `<dataDir>/auth-secret` with mode 0600 and reused on every start, so sessions survive restarts.
 *
 * Read once per process. Never called at import time (so `next build` needs no secret).
 * @throws Error on Vercel without NEXTAUTH_SECRET, or when the secret file is unreadable or truncated.
 */
export function authSecret(): string {
  if (cached) return cached;
  const { NEXTAUTH_SECRET, dataDir } = env();
  if (NEXTAUTH_SECRET) {
    cached = NEXTAUTH_SECRET;
    return cached;
  }
  if (process.env.VERCEL) {
    throw new Error(
      "NEXTAUTH_SECRET is required on Vercel (generate one with `openssl rand -base64 32`): " +
        "serverless instances cannot share a generated secret file.",
    );
  }
  cached = readOrCreate(authSecretFile(dataDir));
  return cached;
}

function readOrCreate(file: string): string {
  const existing = readSecretFile(file);
  if (existing !== undefined) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // Write a private temporary file, then hard-link it into place: the link either appears with
  // its full content or fails with EEXIST, so a concurrent reader never sees a half-written file.
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const theirs = readSecretFile(file);
    if (theirs === undefined) throw new Error(`Could not read ${file}.`);
    return theirs;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_FILE_SECRET_LENGTH) {
    throw new Error(
      `${file} holds no usable secret (${secret.length} characters). ` +
        "Delete it to generate a new one (this signs every creator out), or set NEXTAUTH_SECRET.",
    );
  }
  return secret;
}
