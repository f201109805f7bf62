import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, inject } from "vitest";
import { createApiKey, creatorApi, hardhat, paymentRequiredOf, signIn, signPayment } from "../support/client";

/**
 * Editing a link over HTTP: what can change (title, description, expiry, max purchases, access
 * window) shows at once on the pay page and in the 402; what buyers pay (price, payee, token,
 * network, file) cannot change; max purchases never drops below the purchases made.
 */
const baseUrl = inject("baseUrl");
const network = `eip155:${inject("chainId")}`;
const creator = hardhat(10);
let api: ReturnType<typeof creatorApi>;
let objectId: string;

type Link = { id: string; slug: string; url: string; payUrl: string };

async function newLink(extra: Record<string, unknown> = {}): Promise<Link> {
  return (await api.createLink({ objectId, payTo: creator.address, price: "0.05", network, expiresIn: "1h", title: "Original", ...extra })) as unknown as Link;
}

const edit = (id: string, body: unknown) => api.call("PATCH", `/api/links/${id}`, body);

async function buy(url: string, buyer: number): Promise<void> {
  const { header } = await signPayment(hardhat(buyer), paymentRequiredOf(await fetch(url)));
  const res = await fetch(url, { headers: { "PAYMENT-SIGNATURE": header } });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
  objectId = (await api.upload(new Uint8Array(randomBytes(256)), "edit.bin")).id;
});

describe("editing a link", () => {
  it("changes title and description, shown at once by the 402 and the pay page", async () => {
    const link = await newLink({ description: "First words" });
    expect(paymentRequiredOf(await fetch(link.url)).resource.description).toBe("Original");
    const res = await edit(link.id, { title: "Renamed report", description: "Better words" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ title: "Renamed report", description: "Better words", price: "0.05" });
    expect(paymentRequiredOf(await fetch(link.url)).resource.description).toBe("Renamed report");
    const page = await (await fetch(link.payUrl)).text();
    expect(page).toContain("Renamed report");
    expect(page).toContain("Better words");
    // An empty title falls back to the file name.
    await edit(link.id, { title: "" });
    expect(paymentRequiredOf(await fetch(link.url)).resource.description).toBe("edit.bin");
  });

  it("refuses to change what buyers pay, and changes nothing", async () => {
    const link = await newLink();
    const res = await edit(link.id, { price: "0.01", payTo: hardhat(11).address, network: "eip155:8453", asset: "0x0", title: "Sneaky" });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_request");
    expect(error.details.fields).toMatchObject({
      price: "The price cannot change: create a new link.",
      payTo: "The payee cannot change: create a new link.",
      network: "The network cannot change: create a new link.",
      asset: "The token cannot change: create a new link.",
    });
    const challenge = paymentRequiredOf(await fetch(link.url));
    expect(challenge.resource.description).toBe("Original");
    expect(challenge.accepts[0]).toMatchObject({ amount: "50000", payTo: creator.address, network });
    expect((await edit(link.id, {})).status).toBe(400);
    expect((await edit(link.id, { mystery: 1 })).status).toBe(400);
    expect((await edit(link.id, { expiresIn: "400d" })).status).toBe(400);
    expect((await edit(link.id, { accessSeconds: 10 })).status).toBe(400);
    expect((await edit("lnk_nope", { title: "x" })).status).toBe(404);
  });

  it("shortens and extends the expiry, followed at once by the gate", async () => {
    const link = await newLink();
    const soon = new Date(Date.now() + 1_500).toISOString();
    expect((await edit(link.id, { expiresAt: soon })).status).toBe(200);
    expect((await fetch(link.url)).status).toBe(402);
    await new Promise((r) => setTimeout(r, 1_700));
    const expired = await fetch(link.url);
    expect(expired.status).toBe(410);
    expect((await expired.json()).error.code).toBe("link_expired");
    const extended = await edit(link.id, { expiresIn: "7d" });
    expect(extended.status).toBe(200);
    expect((await extended.json()).status).toBe("active");
    expect((await fetch(link.url)).status).toBe(402);
    expect((await edit(link.id, { expiresAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
  });

  it("never lowers max purchases below the purchases made; reaching them sells out at once", async () => {
    const link = await newLink({ maxPurchases: 5 });
    await buy(link.url, 3);
    await buy(link.url, 4);
    const below = await edit(link.id, { maxPurchases: 1 });
    expect(below.status).toBe(400);
    expect((await below.json()).error.details.fields.maxPurchases).toBe("At least 2: 2 purchases were made already.");

    const atSales = await edit(link.id, { maxPurchases: 2 });
    expect(atSales.status).toBe(200);
    expect(await atSales.json()).toMatchObject({ status: "sold_out", maxPurchases: 2, purchaseCount: 2 });
    const soldOut = await fetch(link.url);
    expect(soldOut.status).toBe(410);
    expect((await soldOut.json()).error.code).toBe("link_sold_out");

    const unlimited = await edit(link.id, { maxPurchases: null, accessSeconds: 3600 });
    expect(await unlimited.json()).toMatchObject({ status: "active", maxPurchases: null, accessSeconds: 3600 });
    expect((await fetch(link.url)).status).toBe(402);
  });

  it("keeps a revoked link closed: its selling terms cannot be edited, its title can", async () => {
    const link = await newLink();
    expect((await edit(link.id, { revoked: true })).status).toBe(200);
    const reopen = await edit(link.id, { expiresIn: "30d" });
    expect(reopen.status).toBe(409);
    expect((await reopen.json()).error.code).toBe("conflict");
    expect((await edit(link.id, { revoked: true, title: "both" })).status).toBe(400);
    expect(await (await edit(link.id, { title: "Archived" })).json()).toMatchObject({ title: "Archived", status: "revoked" });
  });
});
