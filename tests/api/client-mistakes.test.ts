import { randomBytes } from "node:crypto";
import { encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentPayload } from "@x402/core/types";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  authorizationOf,
  createApiKey,
  creatorApi,
  hardhat,
  paymentRequiredOf,
  signIn,
  signPayment,
  transfersFor,
} from "../support/client";

/**
 * Issue 9, item 5: every client mistake is a 4xx with a stable code and a human message, changes
 * nothing, and is never a 500 — NUL bytes and malformed strings anywhere, oversize integers,
 * broken multipart bodies, a v1 payment for a network without a v1 name.
 */
const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const asset = inject("asset");
const network = `eip155:${inject("chainId")}`;
const creator = hardhat(0);
const buyer = hardhat(6);

let api: ReturnType<typeof creatorApi>;
let link: { id: string; slug: string; url: string };
let objectId: string;

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
  objectId = (await api.upload(new Uint8Array(randomBytes(1000)), "mistakes.bin")).id;
  link = await api.createLink({ objectId, payTo: creator.address, price: "0.01", network, expiresIn: "1h" });
});

/** Asserts a 4xx JSON error with the given status and code, and a message. */
async function expectError(res: Response, status: number, code: string, what: string) {
  expect(res.status, what).toBe(status);
  const body = await res.json();
  expect(body.error?.code ?? body.code, what).toBe(code);
  expect(typeof (body.error?.message ?? body.message), what).toBe("string");
}

describe("NUL bytes and control characters", () => {
  it("in an id: every creator route answers 404, never 500", async () => {
    for (const [method, path] of [
      ["GET", "/api/objects/obj_%00x"],
      ["DELETE", "/api/objects/obj_%00x"],
      ["GET", "/api/objects/obj_%00x/content"],
      ["GET", "/api/links/lnk_%00x"],
      ["PATCH", "/api/links/lnk_%00x"],
      ["DELETE", "/api/keys/key_%00x"],
      ["GET", "/l/abc%00def"],
    ] as const) {
      const res = await api.call(method, path, method === "PATCH" ? { revoked: true } : undefined);
      await expectError(res, 404, "not_found", `${method} ${path}`);
    }
  });

  it("in a filter: 400 invalid_request, including the CSV export", async () => {
    for (const path of [
      "/api/objects?q=a%00b",
      "/api/links?objectId=%00",
      "/api/sales?linkId=lnk_%00",
      "/api/sales/export?linkId=lnk_%00",
      "/api/sales?from=2026%00",
    ]) {
      await expectError(await api.call("GET", path), 400, "invalid_request", path);
    }
  });

  it("in a JSON string (value or key): 400 naming the field, and nothing changes", async () => {
    for (const [method, path, body] of [
      ["POST", "/api/links", { objectId, payTo: creator.address, price: "0.01", network, expiresIn: "1h", title: "a\u0000b" }],
      ["POST", "/api/links", { objectId, payTo: creator.address, price: "0.01", network, expiresIn: "1h", description: "bell\u0007" }],
      ["PATCH", "/api/settings", { defaultNetwork: "eip155:1\u0000" }],
      ["PATCH", "/api/settings", { defaultPayTo: "\u0000" }],
      ["PATCH", `/api/links/${link.id}`, { "revoked\u0000": true }],
      ["POST", "/api/purchases", { slug: "x\u0000", payment: "e30=" }],
    ] as const) {
      await expectError(await api.call(method, path, body), 400, "invalid_request", `${method} ${path}`);
    }
    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect(detail.status).toBe("active");
  });

  it("in an uploaded file's name: 400, nothing stored", async () => {
    const before = (await (await api.call("GET", "/api/objects?limit=100")).json()).objects.length;
    const res = await api.call("POST", "/api/objects", new Uint8Array([1, 2, 3]), { "x-filename": "bad%00name.bin" });
    await expectError(res, 400, "invalid_request", "X-Filename with NUL");
    expect((await (await api.call("GET", "/api/objects?limit=100")).json()).objects.length).toBe(before);
  });
});

describe("broken multipart uploads", () => {
  it("without a boundary: 400", async () => {
    const res = await api.call("POST", "/api/objects", new Uint8Array([1, 2, 3]), { "content-type": "multipart/form-data" });
    await expectError(res, 400, "invalid_request", "no boundary");
  });

  it("truncated in the middle of the file: 400, nothing stored", async () => {
    const before = (await (await api.call("GET", "/api/objects?limit=100")).json()).objects.length;
    const boundary = "vendboundary42";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const body = new Uint8Array([...Buffer.from(head), ...randomBytes(20_000)]);
    const res = await api.call("POST", "/api/objects", body, { "content-type": `multipart/form-data; boundary=${boundary}` });
    await expectError(res, 400, "invalid_request", "truncated multipart");
    expect((await (await api.call("GET", "/api/objects?limit=100")).json()).objects.length).toBe(before);
  });
});

describe("integers that do not fit", () => {
  it("a price too large for the column: 400 on the price field", async () => {
    const res = await api.call("POST", "/api/links", {
      objectId,
      payTo: creator.address,
      price: "99999999999999999999",
      network,
      expiresIn: "1h",
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.fields.price).toMatch(/too large/);
  });

  it("an authorization valid for longer than maxTimeoutSeconds, up to uint256: 402, no row, nothing sent", async () => {
    const required = paymentRequiredOf(await fetch(link.url));
    const { payload } = await signPayment(buyer, required);
    for (const validBefore of [String(Math.floor(Date.now() / 1000) + 3600), (2n ** 256n - 1n).toString()]) {
      const { authorization, signature } = authorizationOf(payload);
      const stretched = { ...payload, payload: { signature, authorization: { ...authorization, validBefore } } } as PaymentPayload;
      const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": encodePaymentSignatureHeader(stretched) } });
      expect(res.status, validBefore).toBe(402);
      expect((await res.json()).error).toBe("invalid_exact_evm_payload_authorization_valid_before");
    }
    expect(await transfersFor(rpcUrl, asset, buyer.address, authorizationOf(payload).authorization.nonce)).toBe(0);
    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect(detail.purchaseCount).toBe(0);
  });
});

describe("x402 v1 on a network without a v1 name", () => {
  it("a v1 X-PAYMENT for eip155:31337 is a 402 that says to use v2, never a 500", async () => {
    const required = paymentRequiredOf(await fetch(link.url));
    const { payload } = await signPayment(buyer, required);
    const v1 = { x402Version: 1, scheme: "exact", network, payload: payload.payload };
    const res = await fetch(link.url, { headers: { "X-PAYMENT": Buffer.from(JSON.stringify(v1)).toString("base64") } });
    expect(res.status).toBe(402);
    const body = await res.json();
    expect(body.error).toBe("invalid_network");
    expect(body.message).toMatch(/v2/);
  });
});
