import { randomBytes } from "node:crypto";
import { DataItem } from "arbundles";
import { beforeAll, describe, expect, it, inject } from "vitest";
import {
  createApiKey,
  creatorApi,
  hardhat,
  sha256Hex,
  signIn,
} from "../support/client";

const baseUrl = inject("baseUrl");
const chainId = inject("chainId");
const maxUploadBytes = inject("maxUploadBytes");
const network = `eip155:${chainId}`;

const alice = hardhat(0);
const bob = hardhat(5);
let a: ReturnType<typeof creatorApi>;
let b: ReturnType<typeof creatorApi>;
let aliceCookie: string;

beforeAll(async () => {
  aliceCookie = await signIn(baseUrl, alice);
  a = creatorApi(baseUrl, await createApiKey(baseUrl, aliceCookie));
  b = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, bob)));
});


describe("authentication", () => {
  it("answers 401 without a session or key, and with a wrong key", async () => {
    for (const headers of [{}, { authorization: "Bearer vend_sk_nope" }] as Record<string, string>[]) {
      for (const path of ["/api/objects", "/api/links", "/api/keys"]) {
        const res = await fetch(`${baseUrl}${path}`, { headers });
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe("unauthorized");
      }
    }
  });

  it("works with the session cookie too", async () => {
    const res = await fetch(`${baseUrl}/api/objects`, { headers: { cookie: aliceCookie } });
    expect(res.status).toBe(200);
  });

  it("never shows one creator's objects or links to another (404)", async () => {
    const object = await a.upload(new Uint8Array(randomBytes(1000)), "secret.bin");
    const link = await a.createLink({ objectId: object.id, payTo: alice.address, price: "1", network, expiresIn: "1d" });
    expect((await b.call("GET", `/api/objects/${object.id}`)).status).toBe(404);
    expect((await b.call("GET", `/api/objects/${object.id}/content`)).status).toBe(404);
    expect((await b.call("DELETE", `/api/objects/${object.id}`)).status).toBe(404);
    expect((await b.call("GET", `/api/links/${link.id}`)).status).toBe(404);
    expect((await b.call("PATCH", `/api/links/${link.id}`, { revoked: true })).status).toBe(404);
    const bobLink = await b.call("POST", "/api/links", { objectId: object.id, payTo: bob.address, price: "1", network, expiresIn: "1d" });
    expect(bobLink.status).toBe(404);
    const list = await (await b.call("GET", "/api/objects")).json();
    expect(list.objects.map((o: { id: string }) => o.id)).not.toContain(object.id);
    const links = await (await b.call("GET", "/api/links")).json();
    expect(links.links.map((l: { id: string }) => l.id)).not.toContain(link.id);
    expect((await a.call("GET", `/api/links/${link.id}`)).status).toBe(200);
  });

  it("revoked API keys stop working", async () => {
    const res = await fetch(`${baseUrl}/api/keys`, {
      method: "POST",
      headers: { cookie: aliceCookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "temp" }),
    });
    const key = await res.json();
    const api = creatorApi(baseUrl, key.secret);
    expect((await api.call("GET", "/api/objects")).status).toBe(200);
    const del = await fetch(`${baseUrl}/api/keys/${key.id}`, { method: "DELETE", headers: { cookie: aliceCookie } });
    expect(del.status).toBe(200);
    expect((await api.call("GET", "/api/objects")).status).toBe(401);
  });
});

describe("objects", () => {
  it("stores a raw upload as a signed ANS-104 DataItem and gives it back byte for byte", async () => {
    const bytes = new Uint8Array(randomBytes(300_000));
    const object = await a.upload(bytes, "clip.mp4", "video/mp4");
    const detail = await (await a.call("GET", `/api/objects/${object.id}`)).json();
    expect(detail).toMatchObject({ name: "clip.mp4", contentType: "video/mp4", size: "300000", sha256: sha256Hex(bytes) });
    expect(detail.tags).toEqual(
      expect.arrayContaining([
        { name: "Content-Type", value: "video/mp4" },
        { name: "File-Name", value: "clip.mp4" },
        { name: "App-Name", value: "Vend" },
      ]),
    );
    const content = await a.call("GET", `/api/objects/${object.id}/content`);
    expect(sha256Hex(await content.arrayBuffer())).toBe(sha256Hex(bytes));
    const whole = await a.call("GET", `/api/objects/${object.id}/content?format=ans104`);
    const item = new DataItem(Buffer.from(await whole.arrayBuffer()));
    expect(await item.isValid()).toBe(true);
    expect(item.id).toBe(detail.dataItemId);
    expect(sha256Hex(item.rawData)).toBe(sha256Hex(bytes));
  });

  it("accepts multipart form data", async () => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array([1, 2, 3, 4])], { type: "text/plain" }), "notes.txt");
    const res = await fetch(`${baseUrl}/api/objects`, { method: "POST", headers: { cookie: aliceCookie }, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: "notes.txt", contentType: "text/plain", size: "4" });
  });

  it("refuses an upload over the limit with 413 and stores nothing", async () => {
    const before = (await (await a.call("GET", "/api/objects?limit=100")).json()).objects.length;
    const big = new Uint8Array(maxUploadBytes + 1);
    const res = await a.call("POST", "/api/objects", big, { "content-type": "application/octet-stream", "x-filename": "big.bin" });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
    const streamed = await fetch(`${baseUrl}/api/objects`, {
      method: "POST",
      headers: { cookie: aliceCookie, "x-filename": "big.bin" },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i <= maxUploadBytes / 65536; i++) c.enqueue(new Uint8Array(65536));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const after = (await (await a.call("GET", "/api/objects?limit=100")).json()).objects.length;
    expect(after).toBe(before);
  });

  it("refuses an empty file with 400 empty_file, raw or multipart, and stores nothing", async () => {
    const before = (await (await a.call("GET", "/api/objects?limit=100")).json()).objects.length;
    const raw = await a.call("POST", "/api/objects", new Uint8Array(0), { "content-type": "text/plain", "x-filename": "empty.txt" });
    expect(raw.status).toBe(400);
    const body = await raw.json();
    expect(body.error.code).toBe("empty_file");
    expect(body.error.message).toMatch(/empty/);
    const form = new FormData();
    form.set("file", new Blob([], { type: "text/plain" }), "empty.txt");
    const multipart = await fetch(`${baseUrl}/api/objects`, { method: "POST", headers: { cookie: aliceCookie }, body: form });
    expect(multipart.status).toBe(400);
    expect((await multipart.json()).error.code).toBe("empty_file");
    const after = (await (await a.call("GET", "/api/objects?limit=100")).json()).objects.length;
    expect(after).toBe(before);
  });

  it("paginates with a cursor and searches by name", async () => {
    const names = ["page-a.txt", "page-b.txt", "page-c.txt"];
    for (const n of names) await b.upload(new Uint8Array([1]), n);
    const first = await (await b.call("GET", "/api/objects?limit=2&q=page-")).json();
    expect(first.objects.map((o: { name: string }) => o.name)).toEqual(["page-c.txt", "page-b.txt"]);
    const second = await (await b.call("GET", `/api/objects?limit=2&q=page-&cursor=${first.nextCursor}`)).json();
    expect(second.objects.map((o: { name: string }) => o.name)).toEqual(["page-a.txt"]);
    expect(second.nextCursor).toBeNull();
  });

  it("rejects an upload without a file name", async () => {
    const res = await a.call("POST", "/api/objects", new Uint8Array([1]), { "content-type": "text/plain" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details.fields.name).toBeTruthy();
  });
});

describe("link validation", () => {
  let objectId: string;
  beforeAll(async () => {
    objectId = (await a.upload(new Uint8Array([9, 9, 9]), "x.bin")).id;
  });
  const valid = () => ({ objectId, payTo: alice.address, price: "0.01", network, expiresIn: "1h" });
  const cases: [string, Record<string, unknown>, string][] = [
    ["a bad address", { payTo: "0x1234" }, "payTo"],
    ["a zero price", { price: "0" }, "price"],
    ["a negative price", { price: "-1" }, "price"],
    ["7 decimals", { price: "0.0000001" }, "price"],
    ["a thousands separator", { price: "1,500" }, "price"],
    ["a decimal comma", { price: "0,25" }, "price"],
    ["an unknown network", { network: "eip155:999999" }, "network"],
    ["an unconfigured network", { network: "eip155:8453" }, "network"],
    ["a past expiry", { expiresIn: undefined, expiresAt: new Date(Date.now() - 1000).toISOString() }, "expiresAt"],
    ["an expiry over 365 days", { expiresIn: "400d" }, "expiresAt"],
    ["maxPurchases 0", { maxPurchases: 0 }, "maxPurchases"],
  ];
  for (const [name, patch, field] of cases) {
    it(`rejects ${name} with 400 at the field`, async () => {
      const res = await a.call("POST", "/api/links", { ...valid(), ...patch });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.details.fields[field]).toBeTruthy();
    });
  }

  it("stores the price in atomic units and checksums the payee", async () => {
    const link = await a.createLink({ ...valid(), payTo: alice.address.toLowerCase(), price: "12.345678", maxPurchases: 3 });
    const detail = await (await a.call("GET", `/api/links/${link.id}`)).json();
    expect(detail).toMatchObject({ amount: "12345678", price: "12.345678", payTo: alice.address, status: "active", maxPurchases: 3 });
    expect(detail.paymentRequired.accepts[0].amount).toBe("12345678");
    const active = await (await a.call("GET", "/api/links?status=active")).json();
    expect(active.links.map((l: { id: string }) => l.id)).toContain(link.id);
    const revoked = await (await a.call("GET", "/api/links?status=revoked")).json();
    expect(revoked.links.map((l: { id: string }) => l.id)).not.toContain(link.id);
  });
});
