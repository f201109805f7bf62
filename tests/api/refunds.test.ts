import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createWalletClient, erc20Abi, http, publicActions, type Address, type Hash } from "viem";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { deployTestUsdc, devnetChain, hardhatAccount } from "../../scripts/lib/devnet";
import { createApiKey, creatorApi, hardhat, paymentRequiredOf, signIn, signPayment, usdcBalance, type Account } from "../support/client";

/**
 * Refunds on the real chain: the payee sends the buyer's money back with a real ERC-20 transfer, and
 * Vend records the refund only once it has checked that transaction — refused for a wrong amount, a
 * wrong token, a wrong sender or recipient, an unknown or reused hash. A refunded sale's receipt stops
 * opening the file; sales, totals and CSV show the refund.
 */
const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const chainId = inject("chainId");
const asset = inject("asset");
const network = `eip155:${chainId}`;
const payee = hardhat(12);
const buyerA = hardhat(5);
const buyerB = hardhat(8);
let api: ReturnType<typeof creatorApi>;
let linkId: string;
let artifacts: string;

type Sale = { id: string; status: string; amount: string; payer: string; refund: { transaction: string; amount: string; price: string } | null };

function wallet(account: Account) {
  return createWalletClient({ account, chain: devnetChain(chainId, rpcUrl), transport: http(rpcUrl), pollingInterval: 50 }).extend(publicActions);
}

/** A real ERC-20 transfer on the local chain, mined; returns its hash. */
async function transfer(from: Account, token: Address, to: Address, amount: bigint): Promise<Hash> {
  const client = wallet(from);
  const hash = await client.writeContract({ address: token, abi: erc20Abi, functionName: "transfer", args: [to, amount] });
  expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
  return hash;
}

/** Buys the link as `buyer`; returns the sale id and the receipt the buyer got. */
async function buy(url: string, buyer: Account): Promise<{ receipt: string }> {
  const { header } = await signPayment(buyer, paymentRequiredOf(await fetch(url)));
  const res = await fetch(url, { headers: { "PAYMENT-SIGNATURE": header } });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return { receipt: res.headers.get("x-vend-receipt")! };
}

const refund = (saleId: string, transaction: string) => api.call("POST", `/api/sales/${saleId}/refund`, { transaction });

async function saleOf(payer: Address): Promise<Sale> {
  const { sales } = (await (await api.call("GET", `/api/sales?linkId=${linkId}`)).json()) as { sales: Sale[] };
  return sales.find((s) => s.payer === payer)!;
}

let link: { url: string };
let receiptA: string;

beforeAll(async () => {
  artifacts = mkdtempSync(path.join(os.tmpdir(), "vend-refund-token-"));
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, payee)));
  const object = await api.upload(new Uint8Array(randomBytes(300)), "refundable.bin");
  link = await api.createLink({ objectId: object.id, payTo: payee.address, price: "0.5", network, expiresIn: "1h" });
  linkId = (link as unknown as { id: string }).id;
  ({ receipt: receiptA } = await buy(link.url, buyerA));
  // The payee refunds from its own USDC: give it more than the two sales brought.
  await transfer(hardhat(9), asset, payee.address, 5_000_000n);
  await buy(link.url, buyerB);
});

afterAll(() => rmSync(artifacts, { recursive: true, force: true }));

describe("refunds", () => {
  it("refuses a transfer of another token, of too little, to someone else, or from someone else", async () => {
    const sale = await saleOf(buyerA.address);
    const fake = await deployTestUsdc({ rpcUrl, chainId, dataDir: artifacts, deployer: hardhatAccount(12).privateKey, mintTo: [payee.address], amount: 10_000_000n });
    const cases: [Hash, RegExp][] = [
      [await transfer(payee, fake, buyerA.address, 500_000n), /moves none of the token the buyer paid with/],
      [await transfer(payee, asset, buyerA.address, 499_999n), /sends 0\.499999 USDC back; the sale was 0\.50 USDC/],
      [await transfer(payee, asset, hardhat(13).address, 500_000n), /does not send the token from the payee/],
      [await transfer(buyerB, asset, buyerA.address, 500_000n), /does not send the token from the payee/],
    ];
    for (const [hash, message] of cases) {
      const res = await refund(sale.id, hash);
      expect(res.status).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe("refund_not_verified");
      expect(error.message).toMatch(message);
    }
    const unknown = await refund(sale.id, `0x${"ab".repeat(32)}`);
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error.message).toMatch(/knows no transaction/);
    expect((await refund(sale.id, "0x1234")).status).toBe(400);
    expect((await saleOf(buyerA.address)).status).toBe("settled");
    // The receipt still opens the file: nothing was refunded.
    expect((await fetch(link.url, { headers: { "x-vend-receipt": receiptA } })).status).toBe(200);
  });

  it("records a real refund once, ends the buyer's access, and shows it in sales, totals and CSV", async () => {
    const sale = await saleOf(buyerA.address);
    const [payerBefore, payeeBefore] = await Promise.all([usdcBalance(rpcUrl, asset, buyerA.address), usdcBalance(rpcUrl, asset, payee.address)]);
    const hash = await transfer(payee, asset, buyerA.address, 500_000n);
    expect(await usdcBalance(rpcUrl, asset, buyerA.address)).toBe(payerBefore + 500_000n);
    expect(await usdcBalance(rpcUrl, asset, payee.address)).toBe(payeeBefore - 500_000n);

    const res = await refund(sale.id, hash.toUpperCase().replace("0X", "0x"));
    expect(res.status).toBe(200);
    const refunded = (await res.json()) as Sale;
    expect(refunded).toMatchObject({ status: "refunded", refund: { transaction: hash.toLowerCase(), amount: "500000", price: "0.5" } });
    // Idempotent for the same sale and hash; refused for another sale, or another hash.
    expect((await refund(sale.id, hash)).status).toBe(200);
    const reused = await refund((await saleOf(buyerB.address)).id, hash);
    expect(reused.status).toBe(409);
    expect((await reused.json()).error.message).toMatch(/already refunded another sale/);
    const second = await refund(sale.id, await transfer(payee, asset, buyerA.address, 500_000n));
    expect(second.status).toBe(409);

    // The refunded buyer's receipt no longer opens the file; the other buyer's sale is untouched.
    const closed = await fetch(link.url, { headers: { "x-vend-receipt": receiptA } });
    expect(closed.status).toBe(402);
    await closed.arrayBuffer();

    const detail = await (await api.call("GET", `/api/sales/${sale.id}`)).json();
    expect(detail).toMatchObject({ status: "refunded", refund: { transaction: hash.toLowerCase() } });
    const list = await (await api.call("GET", `/api/sales?linkId=${linkId}`)).json();
    expect(list.totals).toEqual({ count: 2, revenue: "1000000", refunds: 1, refunded: "500000", net: "500000" });
    expect(list.sales.map((s: Sale) => s.status).sort()).toEqual(["refunded", "settled"]);
    expect((await (await api.call("GET", `/api/sales?linkId=${linkId}&status=refunded`)).json()).sales).toHaveLength(1);
    const today = list.days.at(-1);
    expect(today).toMatchObject({ count: 2, revenue: "1000000", refunds: 1, refunded: "500000" });

    const csv = (await (await api.call("GET", `/api/sales/export?linkId=${linkId}`)).text()).trim().split("\r\n");
    const header = csv[0]!.split(",");
    const row = csv.slice(1).map((l) => l.split(",")).find((cells) => cells[header.indexOf("payer")] === buyerA.address)!;
    expect(row[header.indexOf("status")]).toBe("refunded");
    expect(row[header.indexOf("refund_usdc")]).toBe("0.5");
    expect(row[header.indexOf("refund_atomic")]).toBe("500000");
    expect(row[header.indexOf("refund_transaction")]).toBe(hash.toLowerCase());
  });

  it("accepts a refund of more than was paid, and hides a sale from other creators", async () => {
    const sale = await saleOf(buyerB.address);
    const other = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, hardhat(14))));
    const hash = await transfer(payee, asset, buyerB.address, 600_000n);
    expect((await other.call("POST", `/api/sales/${sale.id}/refund`, { transaction: hash })).status).toBe(404);
    expect((await other.call("GET", `/api/sales/${sale.id}`)).status).toBe(404);
    const res = await refund(sale.id, hash);
    expect(res.status).toBe(200);
    expect((await res.json()).refund).toMatchObject({ amount: "600000", price: "0.6" });
  });
});
