import { randomBytes } from "node:crypto";
import { decodePaymentResponseHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentPayload } from "@x402/core/types";
import { eip3009ABI } from "@x402/evm";
import { createPublicClient, decodeFunctionData, getAddress, http, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  authorizationOf,
  createApiKey,
  creatorApi,
  hardhat,
  paymentRequiredOf,
  sha256Hex,
  signIn,
  signPayment,
  transfersFor,
  usdcBalance,
} from "../support/client";
import { startDropProxy, type DropProxy } from "../support/drop-proxy";

/**
 * Issue 9, item 1: nothing public re-opens a file. Once settled, an authorization, its signature and
 * the settlement calldata are public; presented again — genuine, rebuilt from calldata, or with a
 * junk signature — they get a 4xx that says how a buyer gets back in, never the file or a receipt.
 * A buyer gets back in with what only they hold: the receipt, or the x402 payment-identifier they
 * sent the first time (which never goes on chain), inside the access window.
 */
const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const asset = inject("asset");
const network = `eip155:${inject("chainId")}`;

const creator = hardhat(0);
const buyer = hardhat(3);
const file = new Uint8Array(randomBytes(50_000));
const chain = createPublicClient({ transport: http(rpcUrl) });

let api: ReturnType<typeof creatorApi>;
let proxy: DropProxy;

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
  proxy = await startDropProxy(baseUrl);
});
afterAll(() => proxy.stop());

async function newLink(extra: Record<string, unknown> = {}) {
  const object = await api.upload(file, "private.bin");
  const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.05", network, expiresIn: "1h", ...extra });
  return { ...link, objectId: object.id };
}

const idOf = () => `vend-test-${randomBytes(12).toString("hex")}`;
const pay = (url: string, header: string, via: "v2" | "v1" = "v2") =>
  fetch(url, { headers: { [via === "v2" ? "PAYMENT-SIGNATURE" : "X-PAYMENT"]: header } });
const purchaseApi = (slug: string, header: string) =>
  fetch(`${baseUrl}/api/purchases`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ slug, payment: header }),
  });

/** Rebuilds the payment payload of a settlement from its transaction's calldata, as anyone can. */
async function payloadFromCalldata(transaction: Hex, template: PaymentPayload): Promise<string> {
  const tx = await chain.getTransaction({ hash: transaction });
  const { functionName, args } = decodeFunctionData({ abi: eip3009ABI, data: tx.input });
  expect(functionName).toBe("transferWithAuthorization");
  const [from, to, value, validAfter, validBefore, nonce, ...sig] = args as unknown as [string, string, bigint, bigint, bigint, Hex, ...unknown[]];
  const signature =
    sig.length === 1 ? (sig[0] as Hex) : (`0x${(sig[1] as Hex).slice(2)}${(sig[2] as Hex).slice(2)}${Number(sig[0]).toString(16)}` as Hex);
  const rebuilt = {
    x402Version: 2,
    accepted: template.accepted,
    resource: template.resource,
    payload: {
      signature,
      authorization: { from, to, value: value.toString(), validAfter: validAfter.toString(), validBefore: validBefore.toString(), nonce },
    },
  };
  return encodePaymentSignatureHeader(rebuilt as PaymentPayload);
}

describe("a settled authorization presented again", () => {
  it("opens nothing by itself: the same header, its calldata rebuilt, or a junk signature all get 409 authorization_used", async () => {
    const link = await newLink();
    const { header, payload } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
    const first = await pay(link.url, header);
    expect(first.status).toBe(200);
    expect(sha256Hex(await first.arrayBuffer())).toBe(sha256Hex(file));
    const { transaction } = decodePaymentResponseHeader(first.headers.get("payment-response")!);
    const balance = await usdcBalance(rpcUrl, asset, buyer.address);

    const fromCalldata = await payloadFromCalldata(transaction as Hex, payload);
    const junk = encodePaymentSignatureHeader({
      ...payload,
      payload: { ...authorizationOf(payload), signature: `0x${"11".repeat(65)}` },
    } as PaymentPayload);
    for (const [name, attempt] of [
      ["the same header", () => pay(link.url, header)],
      ["the same header as X-PAYMENT", () => pay(link.url, header, "v1")],
      ["the authorization rebuilt from calldata", () => pay(link.url, fromCalldata)],
      ["a junk signature", () => pay(link.url, junk)],
      ["the pay page's API", () => purchaseApi(link.slug, header)],
      ["the pay page's API, rebuilt from calldata", () => purchaseApi(link.slug, fromCalldata)],
    ] as const) {
      const res = await attempt();
      expect(res.status, name).toBe(409);
      expect(res.headers.get("x-vend-receipt"), name).toBeNull();
      expect(res.headers.get("set-cookie"), name).toBeNull();
      expect(res.headers.get("payment-response"), name).toBeNull();
      const body = await res.json();
      expect(body.error.code, name).toBe("authorization_used");
      expect(body.error.message, name).toMatch(/payment-identifier/);
    }
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(balance);
    expect(await transfersFor(rpcUrl, asset, buyer.address, authorizationOf(payload).authorization.nonce)).toBe(1);
  });

  it("gives its holder, who sent a payment-identifier, the same settlement and the file again, with no new transfer", async () => {
    const link = await newLink();
    const id = idOf();
    const { header, payload } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)), undefined, { paymentIdentifier: id });
    const first = await pay(link.url, header);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const balance = await usdcBalance(rpcUrl, asset, buyer.address);

    const again = await pay(link.url, header);
    expect(again.status).toBe(200);
    expect(sha256Hex(await again.arrayBuffer())).toBe(sha256Hex(file));
    expect(again.headers.get("payment-response")).toBe(first.headers.get("payment-response"));
    const ranged = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header, range: "bytes=0-99" } });
    expect(ranged.status).toBe(206);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(file.slice(0, 100));
    const viaApi = await purchaseApi(link.slug, header);
    expect(viaApi.status).toBe(200);
    expect((await viaApi.json()).replay).toBe(true);

    // The calldata carries no identifier: rebuilt from it, the payment is a stranger's again.
    const { transaction } = decodePaymentResponseHeader(first.headers.get("payment-response")!);
    const rebuilt = await pay(link.url, await payloadFromCalldata(transaction as Hex, payload));
    expect(rebuilt.status).toBe(409);
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(balance);
    expect(await transfersFor(rpcUrl, asset, buyer.address, authorizationOf(payload).authorization.nonce)).toBe(1);
  });

  it("refuses the same payment-identifier with another payload (409) and sends nothing", async () => {
    const link = await newLink();
    const id = idOf();
    const required = paymentRequiredOf(await fetch(link.url));
    const { header } = await signPayment(buyer, required, undefined, { paymentIdentifier: id });
    expect((await pay(link.url, header)).status).toBe(200);
    const other = await signPayment(buyer, required, undefined, { paymentIdentifier: id });
    const res = await pay(link.url, other.header);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("payment_identifier_conflict");
    expect(await transfersFor(rpcUrl, asset, buyer.address, authorizationOf(other.payload).authorization.nonce)).toBe(0);
  });

  it("settles one authorization exactly once under 20 concurrent submissions, and answers 200 only once", async () => {
    const link = await newLink();
    const { header, payload } = await signPayment(hardhat(4), paymentRequiredOf(await fetch(link.url)));
    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(link.url, header)));
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await transfersFor(rpcUrl, asset, hardhat(4).address, authorizationOf(payload).authorization.nonce)).toBe(1);
  });
});

describe("a buyer whose response was lost", () => {
  it("(agent with a payment-identifier) sends the same request again and gets the file; charged once", async () => {
    const link = await newLink();
    const viaProxy = link.url.replace(baseUrl, proxy.url);
    const { header, payload } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)), undefined, {
      paymentIdentifier: idOf(),
    });
    const before = await usdcBalance(rpcUrl, asset, buyer.address);
    proxy.dropResponses(1);
    await expect(pay(viaProxy, header)).rejects.toThrow();
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before - 50_000n);

    const retry = await pay(viaProxy, header);
    expect(retry.status).toBe(200);
    expect(sha256Hex(await retry.arrayBuffer())).toBe(sha256Hex(file));
    expect(decodePaymentResponseHeader(retry.headers.get("payment-response")!)).toMatchObject({
      success: true,
      payer: getAddress(buyer.address),
    });
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before - 50_000n);
    expect(await transfersFor(rpcUrl, asset, buyer.address, authorizationOf(payload).authorization.nonce)).toBe(1);
  });

  it("(a client that sent no identifier) cannot be told apart from anyone who read the chain: 409 with the way back in", async () => {
    const link = await newLink();
    const viaProxy = link.url.replace(baseUrl, proxy.url);
    const { header } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
    proxy.dropResponses(1);
    await expect(pay(viaProxy, header)).rejects.toThrow();
    const retry = await pay(viaProxy, header);
    expect(retry.status).toBe(409);
    const body = await retry.json();
    expect(body.error.code).toBe("authorization_used");
    expect(body.error.message).toMatch(/SIGN-IN-WITH-X/);
  });
});

describe("access after a purchase", () => {
  it("keeps the file for buyers who paid when the creator deletes it, and stops selling it at once", async () => {
    const link = await newLink();
    const id = idOf();
    const required = paymentRequiredOf(await fetch(link.url));
    const { header } = await signPayment(buyer, required, undefined, { paymentIdentifier: id });
    const paid = await pay(link.url, header);
    expect(paid.status).toBe(200);
    await paid.arrayBuffer();
    const receipt = paid.headers.get("x-vend-receipt")!;

    const deleted = await api.call("DELETE", `/api/objects/${link.objectId}`);
    expect(deleted.status).toBe(200);
    const { keptUntil } = await deleted.json();
    expect(new Date(keptUntil).getTime()).toBeGreaterThan(Date.now() + 3_000_000);

    const newcomer = await fetch(link.url);
    expect(newcomer.status).toBe(410);
    expect((await newcomer.json()).error.code).toBe("object_gone");
    const late = await signPayment(hardhat(5), required);
    const refused = await pay(link.url, late.header);
    expect(refused.status).toBe(410);
    expect(await transfersFor(rpcUrl, asset, hardhat(5).address, authorizationOf(late.payload).authorization.nonce)).toBe(0);

    const withReceipt = await fetch(link.url, { headers: { "x-vend-receipt": receipt } });
    expect(withReceipt.status).toBe(200);
    expect(sha256Hex(await withReceipt.arrayBuffer())).toBe(sha256Hex(file));
    const withId = await pay(link.url, header);
    expect(withId.status).toBe(200);
    expect(sha256Hex(await withId.arrayBuffer())).toBe(sha256Hex(file));
  });
});
