import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage, generateSiweNonce, type CreateSiweMessageParameters } from "viem/siwe";

// Environment first: lib modules read it on first use, and are imported dynamically below.
const dataDir = mkdtempSync(path.join(tmpdir(), "vend-siwe-"));
const databaseUrl = `pglite:${path.join(dataDir, "db")}`;
process.env.VEND_DATA_DIR = dataDir;
process.env.DATABASE_URL = databaseUrl;
process.env.APP_URL = "http://localhost:3000";
delete process.env.NEXTAUTH_URL;
delete process.env.RPC_URL_ETHEREUM;

type Siwe = typeof import("@/lib/auth/siwe");
type Db = Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;

let siwe: Siwe;
let prisma: Db;

const account = privateKeyToAccount(generatePrivateKey());
const other = privateKeyToAccount(generatePrivateKey());

beforeAll(async () => {
  const { applyMigrations } = await import("@/scripts/lib/migrations");
  await applyMigrations(databaseUrl);
  siwe = await import("@/lib/auth/siwe");
  prisma = await (await import("@/lib/db")).db();
});

afterAll(async () => {
  await prisma?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An EIP-4361 message for this app (localhost:3000, chain 1), with a freshly issued nonce. */
async function message(overrides: Partial<CreateSiweMessageParameters> = {}): Promise<string> {
  const nonce = overrides.nonce ?? (await siwe.issueNonce()).nonce;
  return createSiweMessage({
    address: account.address,
    chainId: 1,
    domain: "localhost:3000",
    uri: "http://localhost:3000",
    version: "1",
    statement: "Sign in to Vend.",
    issuedAt: new Date(),
    ...overrides,
    nonce,
  });
}

async function signed(overrides: Partial<CreateSiweMessageParameters> = {}, signer = account): Promise<{ message: string; signature: Hex }> {
  const text = await message(overrides);
  return { message: text, signature: await signer.signMessage({ message: text }) };
}

function rejection(reason: RegExp) {
  return { name: "AppError", code: "siwe_invalid", message: expect.stringMatching(reason) };
}

describe("issueNonce", () => {
  it("stores a single-use nonce that expires in five minutes", async () => {
    const { nonce, expiresAt } = await siwe.issueNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9]{16,}$/);
    const row = await prisma.siweNonce.findUnique({ where: { value: nonce } });
    expect(row?.expiresAt.getTime()).toBe(expiresAt.getTime());
    expect(expiresAt.getTime() - row!.createdAt.getTime()).toBeGreaterThan(4 * 60 * 1000);
    expect(expiresAt.getTime() - row!.createdAt.getTime()).toBeLessThanOrEqual(siwe.SIWE_NONCE_TTL_MS + 1000);
  });
});

describe("verifySiweSignIn", () => {
  it("signs in, creating the user once by checksummed address", async () => {
    const first = await siwe.verifySiweSignIn(await signed());
    expect(first.address).toBe(account.address);
    expect(first.userId).toMatch(/^usr_[0-9A-Za-z]{20}$/);

    const second = await siwe.verifySiweSignIn(await signed());
    expect(second).toEqual(first);
    expect(await prisma.user.count({ where: { address: account.address } })).toBe(1);
  });

  it("consumes the nonce: the same signed message cannot sign in twice", async () => {
    const credentials = await signed();
    await siwe.verifySiweSignIn(credentials);
    await expect(siwe.verifySiweSignIn(credentials)).rejects.toMatchObject(rejection(/nonce is expired or unknown/));
  });

  it("rejects a nonce this server never issued", async () => {
    const credentials = await signed({ nonce: generateSiweNonce() });
    await expect(siwe.verifySiweSignIn(credentials)).rejects.toMatchObject(rejection(/nonce is expired or unknown/));
  });

  it("rejects an issued nonce past its expiry", async () => {
    const nonce = generateSiweNonce();
    await prisma.siweNonce.create({ data: { value: nonce, expiresAt: new Date(Date.now() - 60_000) } });
    await expect(siwe.verifySiweSignIn(await signed({ nonce }))).rejects.toMatchObject(rejection(/nonce is expired or unknown/));
  });

  it("rejects a message for another domain, and does not burn its nonce", async () => {
    const { nonce } = await siwe.issueNonce();
    const credentials = await signed({ nonce, domain: "evil.example", uri: "https://evil.example" });
    await expect(siwe.verifySiweSignIn(credentials)).rejects.toMatchObject(rejection(/^Wrong domain/));
    await expect(siwe.verifySiweSignIn(await signed({ nonce }))).resolves.toMatchObject({ address: account.address });
  });

  it("rejects a URI on another origin", async () => {
    const credentials = await signed({ uri: "https://evil.example/login" });
    await expect(siwe.verifySiweSignIn(credentials)).rejects.toMatchObject(rejection(/^Wrong URI/));
  });

  it("rejects an expired message", async () => {
    const credentials = await signed({
      issuedAt: new Date("2024-01-01T00:00:00Z"),
      expirationTime: new Date("2024-01-01T00:05:00Z"),
    });
    await expect(siwe.verifySiweSignIn(credentials)).rejects.toMatchObject(rejection(/expired at 2024-01-01T00:05:00/));
  });

  it("rejects a message that is not valid yet", async () => {
    const credentials = await signed({ notBefore: new Date("2999-01-01T00:00:00Z") });
    await expect(siwe.verifySiweSignIn(credentials)).rejects.toMatchObject(rejection(/not valid before/));
  });

  it("rejects a signature by another key, without burning the nonce", async () => {
    const { nonce } = await siwe.issueNonce();
    const forged = await signed({ nonce }, other);
    await expect(siwe.verifySiweSignIn(forged)).rejects.toMatchObject(rejection(/^Bad signature/));
    await expect(siwe.verifySiweSignIn(await signed({ nonce }))).resolves.toMatchObject({ address: account.address });
  });

  it("rejects text that is not an EIP-4361 message", async () => {
    const text = "Please sign in";
    const credentials = { message: text, signature: await account.signMessage({ message: text }) };
    await expect(siwe.verifySiweSignIn(credentials)).rejects.toMatchObject(rejection(/not a valid EIP-4361/));
  });

  it("rejects a missing signature", async () => {
    await expect(siwe.verifySiweSignIn({ message: await message(), signature: "" })).rejects.toMatchObject(
      rejection(/signature/),
    );
  });
});
