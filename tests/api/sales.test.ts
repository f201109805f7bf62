import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, inject } from "vitest";
import { createApiKey, creatorApi, hardhat, paymentRequiredOf, signIn, signPayment } from "../support/client";

const baseUrl = inject("baseUrl");
const network = `eip155:${inject("chainId")}`;
const creator = hardhat(6);
let api: ReturnType<typeof creatorApi>;
let linkId: string;

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
  const object = await api.upload(new Uint8Array(randomBytes(1024)), "sales.bin");
  const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "1.5", network, expiresIn: "1h" });
  linkId = link.id;
  for (const buyer of [hardhat(7), hardhat(8), hardhat(9)]) {
    const { header } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
});

describe("sales", () => {
  it("pages newest first with an opaque cursor, with exact totals", async () => {
    const first = await (await api.call("GET", `/api/sales?limit=2&linkId=${linkId}`)).json();
    expect(first.sales).toHaveLength(2);
    expect(first.totals).toEqual({ count: 3, revenue: "4500000", refunds: 0, refunded: "0", net: "4500000" });
    expect(first.sales.map((s: { payer: string }) => s.payer)).toEqual([hardhat(9).address, hardhat(8).address]);
    const second = await (await api.call("GET", `/api/sales?limit=2&linkId=${linkId}&cursor=${first.nextCursor}`)).json();
    expect(second.sales.map((s: { payer: string }) => s.payer)).toEqual([hardhat(7).address]);
    expect(second.nextCursor).toBeNull();
    expect(second.sales[0]).toMatchObject({ amount: "1500000", price: "1.5", network });
  });

  it("rejects a malformed cursor with 400", async () => {
    const res = await api.call("GET", "/api/sales?cursor=bm90LWEtY3Vyc29y");
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_request");
  });

  it("exports the filtered sales as CSV with exact amounts", async () => {
    const res = await api.call("GET", `/api/sales/export?linkId=${linkId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines).toHaveLength(4);
    const header = lines[0]!.split(",");
    const amount = header.indexOf("amount_usdc");
    const atomic = header.indexOf("amount_atomic");
    for (const line of lines.slice(1)) {
      const cells = line.split(",");
      expect(cells[amount]).toBe("1.5");
      expect(cells[atomic]).toBe("1500000");
    }
  });
});
