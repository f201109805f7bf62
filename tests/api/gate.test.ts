import { randomBytes } from "node:crypto";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import { getAddress, type Address, type Hex } from "viem";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  createApiKey,
  creatorApi,
  hardhat,
  payer,
  paymentRequiredOf,
  sha256Hex,
  signIn,
  signPayment,
  transfersFor,
  usdcBalance,
} from "../support/client";

const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const chainId = inject("chainId");
const asset = inject("asset");
const network = `eip155:${chainId}`;

const creator = hardhat(0);
const buyer = hardhat(1);
const buyer2 = hardhat(2);
const unfunded = hardhat(15);

let api: ReturnType<typeof creatorApi>;
const file = new Uint8Array(randomBytes(200_000));

async function newLink(extra: Record<string, unknown> = {}, bytes: Uint8Array = file) {
  const object = await api.upload(bytes, "report 2026 — final.pdf", "application/pdf");
  return api.createLink({ objectId: object.id, payTo: creator.address, price: "0.25", network, expiresIn: "1h", ...extra });
}


beforeAll(async () => {
  const cookie = await signIn(baseUrl, creator);
  api = creatorApi(baseUrl, await createApiKey(baseUrl, cookie));
});

describe("the 402 challenge", () => {
  it("answers v1 JSON and the v2 PAYMENT-REQUIRED header from the same link row, identically each time", async () => {
    const link = await newLink();
    const a = await fetch(link.url);
    const b = await fetch(link.url);
    expect(a.status).toBe(402);
    const body = await a.json();
    expect(body.x402Version).toBe(1);
    expect(body.code).toBe("payment_required");
    expect(body.accepts).toHaveLength(1);
    expect(body.accepts[0]).toMatchObject({
      scheme: "exact",
      maxAmountRequired: "250000",
      payTo: getAddress(creator.address),
      asset,
      resource: link.url,
      mimeType: "application/pdf",
      extra: { name: "USD Coin", version: "2" },
    });
    const required = paymentRequiredOf(a);
    expect(required.x402Version).toBe(2);
    expect(required.resource.url).toBe(link.url);
    expect(required.accepts).toEqual([
      {
        scheme: "exact",
        network,
        amount: "250000",
        asset,
        payTo: getAddress(creator.address),
        maxTimeoutSeconds: 300,
        extra: { name: "USD Coin", version: "2" },
      },
    ]);
    // The same terms every time; only the Sign-In-With-X challenge is fresh (its nonce is single-use).
    const terms = (r: Response) => {
      const { extensions, ...rest } = paymentRequiredOf(r);
      const { "sign-in-with-x": _siwx, ...others } = extensions ?? {};
      return { ...rest, extensions: others };
    };
    expect(terms(b)).toEqual(terms(a));
  });

  it("sends browsers to the pay page and answers 404 for an unknown link", async () => {
    const link = await newLink();
    const res = await fetch(link.url, { headers: { accept: "text/html,application/xhtml+xml" }, redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${baseUrl}/pay/${link.slug}`);
    const missing = await fetch(`${baseUrl}/l/doesNotExist123`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });
});

describe("a paid request", () => {
  it("settles on chain before delivering the exact bytes, and moves exactly the price", async () => {
    const link = await newLink();
    const before = { buyer: await usdcBalance(rpcUrl, asset, buyer.address), payee: await usdcBalance(rpcUrl, asset, creator.address) };
    const paidFetch = wrapFetchWithPayment(fetch, payer(buyer, network, asset));
    const res = await paidFetch(link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''report%202026%20%E2%80%94%20final.pdf");
    expect(sha256Hex(await res.arrayBuffer())).toBe(sha256Hex(file));
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response")!);
    expect(settlement).toMatchObject({ success: true, network, payer: getAddress(buyer.address) });
    expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    expect(res.headers.get("server-timing")).toMatch(/verify;dur=.*settle;dur=/);
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before.buyer - 250_000n);
    expect(await usdcBalance(rpcUrl, asset, creator.address)).toBe(before.payee + 250_000n);

    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect(detail.purchaseCount).toBe(1);
    expect(detail.sales).toEqual({ count: 1, revenue: "250000" });
    expect(detail.salesList[0]).toMatchObject({ payer: getAddress(buyer.address), amount: "250000", transaction: settlement.transaction });
  });

  it("re-opens the download with the receipt, with Range support, and no new payment", async () => {
    const link = await newLink();
    const { header } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
    const paid = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    await paid.arrayBuffer();
    const receipt = paid.headers.get("x-vend-receipt")!;
    expect(receipt).toMatch(/^r1\./);
    expect(paid.headers.get("set-cookie")).toContain(`vend_r_${link.slug}=`);
    const balance = await usdcBalance(rpcUrl, asset, buyer.address);

    const ranged = await fetch(link.url, { headers: { "x-vend-receipt": receipt, range: "bytes=100-199" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 100-199/${file.length}`);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(file.slice(100, 200));

    const suffix = await fetch(`${link.url}?receipt=${encodeURIComponent(receipt)}`, { headers: { range: "bytes=-10" } });
    expect(suffix.status).toBe(206);
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(file.slice(-10));

    const cookie = await fetch(link.url, { headers: { cookie: `vend_r_${link.slug}=${receipt}` } });
    expect(cookie.status).toBe(200);
    expect(sha256Hex(await cookie.arrayBuffer())).toBe(sha256Hex(file));

    const bad = await fetch(link.url, { headers: { "x-vend-receipt": receipt, range: `bytes=${file.length}-` } });
    expect(bad.status).toBe(416);

    const forged = await fetch(link.url, { headers: { "x-vend-receipt": receipt.slice(0, -2) + "xx" } });
    expect(forged.status).toBe(402);
    const otherLink = await newLink();
    const wrongLink = await fetch(otherLink.url, { headers: { "x-vend-receipt": receipt } });
    expect(wrongLink.status).toBe(402);
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(balance);
  });
});

describe("payments that must not settle", () => {
  type Tamper = Parameters<typeof signPayment>[2];
  const cases: [string, Tamper, Address?][] = [
    ["a wrong amount", (r) => ({ ...r, amount: "1" })],
    ["a wrong payTo", (r) => ({ ...r, payTo: getAddress(buyer2.address) })],
    ["a wrong asset", (r) => ({ ...r, asset: "0x0000000000000000000000000000000000000001" })],
    ["a wrong network", (r) => ({ ...r, network: "eip155:8453" })],
  ];
  for (const [name, tamper] of cases) {
    it(`rejects ${name} with 402 and no transfer`, async () => {
      const link = await newLink();
      const { header, payload } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)), tamper);
      const before = await usdcBalance(rpcUrl, asset, buyer.address);
      const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
      expect(res.status).toBe(402);
      const body = await res.json();
      expect(body.error).toBeTruthy();
      expect(body.accepts).toHaveLength(1);
      const nonce = (payload.payload as { authorization: { nonce: Hex } }).authorization.nonce;
      expect(await transfersFor(rpcUrl, asset, buyer.address, nonce)).toBe(0);
      expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before);
    });
  }

  it("rejects a forged signature even when the payload echoes the right terms", async () => {
    const link = await newLink();
    const required = paymentRequiredOf(await fetch(link.url));
    const { payload } = await signPayment(buyer, required);
    const auth = (payload.payload as { authorization: Record<string, string> }).authorization;
    const { payload: other } = await signPayment(buyer2, required);
    const forged = { ...payload, payload: { authorization: auth, signature: (other.payload as { signature: string }).signature } };
    const header = Buffer.from(JSON.stringify(forged)).toString("base64");
    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(402);
    expect((await res.json()).error).toMatch(/signature/);
    expect(await transfersFor(rpcUrl, asset, buyer.address, auth.nonce as Hex)).toBe(0);
  });

  it("answers 402 when the payer cannot pay, and changes nothing", async () => {
    const link = await newLink();
    const { header } = await signPayment(unfunded, paymentRequiredOf(await fetch(link.url)));
    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(402);
    expect((await res.json()).error).toMatch(/balance|insufficient|simulation/);
    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect(detail.purchaseCount).toBe(0);
  });

  it("answers 400 for a malformed payment header", async () => {
    const link = await newLink();
    for (const value of ["not base64 at all!", Buffer.from("{\"hello\":1}").toString("base64"), Buffer.from("[").toString("base64")]) {
      const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": value } });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("invalid_payment_header");
    }
  });
});

describe("links that cannot sell", () => {
  it("answers 410 link_revoked after revocation, and the payment is not settled", async () => {
    const link = await newLink();
    const required = paymentRequiredOf(await fetch(link.url));
    const revoke = await api.call("PATCH", `/api/links/${link.id}`, { revoked: true });
    expect(revoke.status).toBe(200);
    expect((await revoke.json()).status).toBe("revoked");
    const res = await fetch(link.url);
    expect(res.status).toBe(410);
    expect((await res.json()).error.code).toBe("link_revoked");
    const { header, payload } = await signPayment(buyer, required);
    const paid = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(paid.status).toBe(410);
    const nonce = (payload.payload as { authorization: { nonce: Hex } }).authorization.nonce;
    expect(await transfersFor(rpcUrl, asset, buyer.address, nonce)).toBe(0);
  });

  it("answers 410 link_sold_out once maxPurchases is reached", async () => {
    const link = await newLink({ maxPurchases: 1 });
    const first = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
    const ok = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": first.header } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const res = await fetch(link.url);
    expect(res.status).toBe(410);
    expect((await res.json()).error.code).toBe("link_sold_out");
    const again = await fetch(link.url, { headers: { "x-vend-receipt": ok.headers.get("x-vend-receipt")! } });
    expect(again.status).toBe(200);
    await again.arrayBuffer();
  });

  it("answers 410 link_expired after the expiry", async () => {
    const link = await newLink({ expiresIn: 2 });
    const required = paymentRequiredOf(await fetch(link.url));
    await new Promise((r) => setTimeout(r, 2500));
    const res = await fetch(link.url);
    expect(res.status).toBe(410);
    expect((await res.json()).error.code).toBe("link_expired");
    const { header } = await signPayment(buyer, required);
    expect((await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } })).status).toBe(410);
  });

  it("answers 410 object_gone when the object was deleted", async () => {
    const link = await newLink();
    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect((await api.call("DELETE", `/api/objects/${detail.objectId}`)).status).toBe(200);
    const res = await fetch(link.url);
    expect(res.status).toBe(410);
    expect((await res.json()).error.code).toBe("object_gone");
  });
});

describe("POST /api/purchases (the pay page's purchase)", () => {
  it("settles and returns the payment, a receipt and a download URL", async () => {
    const link = await newLink();
    const { header } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
    const res = await fetch(`${baseUrl}/api/purchases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: link.slug, payment: header }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.payment).toMatchObject({ status: "settled", network, payer: getAddress(buyer.address), amount: "250000" });
    expect(body.downloadUrl).toBe(`/l/${link.slug}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`vend_r_${link.slug}=`))!;
    expect(cookie).toContain("HttpOnly");
    const download = await fetch(`${baseUrl}${body.downloadUrl}`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(download.status).toBe(200);
    expect(sha256Hex(await download.arrayBuffer())).toBe(sha256Hex(file));
    const withHeader = await fetch(`${baseUrl}${body.downloadUrl}`, { headers: { "x-vend-receipt": body.receipt } });
    expect(sha256Hex(await withHeader.arrayBuffer())).toBe(sha256Hex(file));
    const replay = await fetch(`${baseUrl}/api/purchases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: link.slug, payment: header }),
    });
    expect(replay.status).toBe(409);
    expect((await replay.json()).error.code).toBe("authorization_used");
  });

  it("rejects a bad body with 400 and a code", async () => {
    const res = await fetch(`${baseUrl}/api/purchases`, { method: "POST", body: "{" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_request");
  });
});
