import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

// Environment first: lib modules read it on first use, and are imported dynamically below.
const dataDir = mkdtempSync(path.join(tmpdir(), "vend-keys-"));
const databaseUrl = `pglite:${path.join(dataDir, "db")}`;
process.env.VEND_DATA_DIR = dataDir;
process.env.DATABASE_URL = databaseUrl;
process.env.APP_URL = "http://localhost:3000";
delete process.env.NEXTAUTH_SECRET;
delete process.env.NEXTAUTH_URL;
delete process.env.VERCEL;

type Db = Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;

let prisma: Db;
let keys: {
  createKey: typeof import("@/lib/keys/create-key")["createKey"];
  listKeys: typeof import("@/lib/keys/list-keys")["listKeys"];
  revokeKey: typeof import("@/lib/keys/revoke-key")["revokeKey"];
  authenticateKey: typeof import("@/lib/keys/authenticate-key")["authenticateKey"];
};

const alice = { id: "usr_alice000000000000000", address: privateKeyToAccount(generatePrivateKey()).address };
const bob = { id: "usr_bob00000000000000000", address: privateKeyToAccount(generatePrivateKey()).address };

beforeAll(async () => {
  const { applyMigrations } = await import("@/scripts/lib/migrations");
  await applyMigrations(databaseUrl);
  prisma = await (await import("@/lib/db")).db();
  await prisma.user.createMany({ data: [alice, bob] });
  keys = {
    createKey: (await import("@/lib/keys/create-key")).createKey,
    listKeys: (await import("@/lib/keys/list-keys")).listKeys,
    revokeKey: (await import("@/lib/keys/revoke-key")).revokeKey,
    authenticateKey: (await import("@/lib/keys/authenticate-key")).authenticateKey,
  };
});

afterAll(async () => {
  await prisma?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("API keys", () => {
  it("creates a key whose secret authenticates, storing only its SHA-256", async () => {
    const created = await keys.createKey({ userId: alice.id, name: "  CI deploy  " });
    expect(created).toMatchObject({ name: "CI deploy", scopes: ["full"] });
    expect(created.id).toMatch(/^key_/);
    expect(created.secret).toMatch(/^vend_sk_[A-Za-z0-9_-]{32}$/);
    expect(created.prefix).toBe(created.secret.slice(0, 12));

    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.hash).toBe(createHash("sha256").update(created.secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect(row.lastUsedAt).toBeNull();

    expect(await keys.authenticateKey(created.secret)).toEqual({
      userId: alice.id,
      address: alice.address,
      apiKeyId: created.id,
    });
    const used = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(used.lastUsedAt).toBeInstanceOf(Date);
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const created = await keys.createKey({ userId: alice.id, name: "poller" });
    const recent = new Date(Date.now() - 10_000);
    await prisma.apiKey.update({ where: { id: created.id }, data: { lastUsedAt: recent } });
    await keys.authenticateKey(created.secret);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(recent);

    const stale = new Date(Date.now() - 120_000);
    await prisma.apiKey.update({ where: { id: created.id }, data: { lastUsedAt: stale } });
    await keys.authenticateKey(created.secret);
    const after = (await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt;
    expect(after!.getTime()).toBeGreaterThan(stale.getTime());
  });

  it("refuses unknown and malformed secrets", async () => {
    const created = await keys.createKey({ userId: alice.id, name: "real" });
    const tampered = created.secret.slice(0, -1) + (created.secret.endsWith("A") ? "B" : "A");
    expect(await keys.authenticateKey(tampered)).toBeNull();
    expect(await keys.authenticateKey("vend_sk_short")).toBeNull();
    expect(await keys.authenticateKey("")).toBeNull();
  });

  it("rejects an empty name and unknown scopes", async () => {
    await expect(keys.createKey({ userId: alice.id, name: "   " })).rejects.toMatchObject({ name: "ZodError" });
    await expect(
      keys.createKey({ userId: alice.id, name: "admin", scopes: ["admin" as "full"] }),
    ).rejects.toMatchObject({ name: "ZodError" });
  });

  it("lists the caller's keys without secrets or hashes", async () => {
    const created = await keys.createKey({ userId: bob.id, name: "listed" });
    const listed = await keys.listKeys({ userId: bob.id });
    expect(listed.map((k) => k.id)).toEqual([created.id]);
    expect(Object.keys(listed[0]!).sort()).toEqual(
      ["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scopes"].sort(),
    );
    expect(listed[0]).toMatchObject({ name: "listed", prefix: created.prefix, scopes: ["full"], revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect((await keys.listKeys({ userId: alice.id })).map((k) => k.id)).not.toContain(created.id);
  });

  it("revokes a key: it stops authenticating, and revoking again keeps the first revokedAt", async () => {
    const created = await keys.createKey({ userId: alice.id, name: "to revoke" });
    const revoked = await keys.revokeKey({ userId: alice.id, id: created.id });
    expect(revoked.id).toBe(created.id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await keys.authenticateKey(created.secret)).toBeNull();
    expect(await keys.revokeKey({ userId: alice.id, id: created.id })).toEqual(revoked);
    const listed = await keys.listKeys({ userId: alice.id });
    expect(listed.find((k) => k.id === created.id)?.revokedAt).toEqual(revoked.revokedAt);
  });

  it("answers not_found for another user's key, and leaves it working", async () => {
    const created = await keys.createKey({ userId: bob.id, name: "bob's" });
    await expect(keys.revokeKey({ userId: alice.id, id: created.id })).rejects.toMatchObject({
      name: "AppError",
      code: "not_found",
    });
    await expect(keys.revokeKey({ userId: alice.id, id: "key_doesnotexist" })).rejects.toMatchObject({ code: "not_found" });
    expect(await keys.authenticateKey(created.secret)).toMatchObject({ userId: bob.id });
  });
});

describe("resolveCreator", () => {
  it("resolves a Bearer API key, and refuses a revoked or malformed one even with a session", async () => {
    const { resolveCreator } = await import("@/lib/auth/creator");
    const created = await keys.createKey({ userId: alice.id, name: "bearer" });
    const request = (authorization: string) =>
      new Request("http://localhost:3000/api/keys", { headers: { authorization } });

    expect(await resolveCreator(request(`Bearer ${created.secret}`))).toEqual({
      userId: alice.id,
      address: alice.address,
      via: "api_key",
      apiKeyId: created.id,
    });
    expect(await resolveCreator(request(`Basic ${created.secret}`))).toBeNull();
    await keys.revokeKey({ userId: alice.id, id: created.id });
    expect(await resolveCreator(request(`Bearer ${created.secret}`))).toBeNull();
  });

  it("resolves the next-auth session cookie without an Authorization header", async () => {
    const { resolveCreator } = await import("@/lib/auth/creator");
    const { authSecret, authSecretFile } = await import("@/lib/auth/secret");
    const { encode } = await import("next-auth/jwt");
    const secret = authSecret();
    expect(statSync(authSecretFile(dataDir)).mode & 0o777).toBe(0o600);

    const token = await encode({ secret, token: { sub: bob.id, userId: bob.id, address: bob.address } });
    const withCookie = (cookie: string, extra: Record<string, string> = {}) =>
      new Request("http://localhost:3000/api/keys", { headers: { cookie, ...extra } });

    expect(await resolveCreator(withCookie(`next-auth.session-token=${token}`))).toEqual({
      userId: bob.id,
      address: bob.address,
      via: "session",
    });
    expect(await resolveCreator(withCookie(`next-auth.session-token=${token}`, { authorization: "Bearer nope" }))).toBeNull();

    const forged = await encode({ secret: "another-secret-of-sufficient-length", token: { userId: bob.id, address: bob.address } });
    expect(await resolveCreator(withCookie(`next-auth.session-token=${forged}`))).toBeNull();
    expect(await resolveCreator(new Request("http://localhost:3000/api/keys"))).toBeNull();
  });
});

describe("routes /api/keys", () => {
  async function sessionCookie(user: { id: string; address: string }): Promise<string> {
    const { authSecret } = await import("@/lib/auth/secret");
    const { encode } = await import("next-auth/jwt");
    const token = await encode({ secret: authSecret(), token: { sub: user.id, userId: user.id, address: user.address } });
    return `next-auth.session-token=${token}`;
  }

  async function call(
    method: "GET" | "POST" | "DELETE",
    url: string,
    headers: Record<string, string>,
    body?: unknown,
    params: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; body: any }> {
    const { NextRequest } = await import("next/server");
    const collection = await import("@/app/api/keys/route");
    const item = await import("@/app/api/keys/[id]/route");
    const handler = method === "DELETE" ? item.DELETE : collection[method];
    const req = new NextRequest(`http://localhost:3000${url}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const res = await handler(req, { params: Promise.resolve(params) });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  it("creates with a session (201, secret once), lists, and revokes; an API key cannot create keys", async () => {
    const cookie = await sessionCookie(bob);
    const created = await call("POST", "/api/keys", { cookie }, { name: "from the dashboard" });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.body).toMatchObject({ name: "from the dashboard", scopes: ["full"] });
    expect(created.body.secret).toMatch(/^vend_sk_/);

    const byKey = await call("POST", "/api/keys", { authorization: `Bearer ${created.body.secret}` }, { name: "minted by a key" });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error.code).toBe("forbidden");

    const listed = await call("GET", "/api/keys", { authorization: `Bearer ${created.body.secret}` });
    expect(listed.status).toBe(200);
    expect(listed.body.keys.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    const revoked = await call("DELETE", `/api/keys/${created.body.id}`, { cookie }, undefined, { id: created.body.id });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ id: created.body.id, revokedAt: expect.any(String) });

    const afterRevoke = await call("GET", "/api/keys", { authorization: `Bearer ${created.body.secret}` });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.code).toBe("unauthorized");
  });

  it("answers 400 for an empty name and 404 for another creator's key", async () => {
    const cookie = await sessionCookie(alice);
    const empty = await call("POST", "/api/keys", { cookie }, { name: "" });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("invalid_request");

    const bobs = await keys.createKey({ userId: bob.id, name: "not alice's" });
    const other = await call("DELETE", `/api/keys/${bobs.id}`, { cookie }, undefined, { id: bobs.id });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("not_found");
  });
});
