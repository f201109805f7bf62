import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardhat, transfersFor, usdcBalance } from "../support/client";
import { signFor, startSettlementStack, type SettlementStack } from "../support/settlement-stack";

/**
 * Concurrent distinct buyers, all settled: 64 at once on one `next start`, and — on PostgreSQL
 * (PGlite has one owner) — 64 at once split across two `next start` instances of one build sharing
 * the database and the settlement key. The local chain is Hardhat with automine, which refuses
 * out-of-order nonces: every purchase must still settle, with one transfer each and no error.
 */
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");
const PRICE = 10_000n;
const creator = hardhat(0);
const buyers = Array.from({ length: 9 }, (_, i) => hardhat(1 + i));
let stack: SettlementStack;

beforeAll(async () => {
  stack = await startSettlementStack({ name: "concurrency", instances: onPostgres ? 2 : 1 });
});

afterAll(async () => {
  await stack?.stop();
});

async function concurrentPurchases(count: number, instances: number) {
  const object = await stack.api().upload(new Uint8Array(1024).fill(7), "c.bin");
  const link = await stack.api().createLink({ objectId: object.id, payTo: creator.address, price: "0.01", network: `eip155:${stack.chain.chainId}`, expiresIn: "1h" });
  const signed = [];
  for (let i = 0; i < count; i++) {
    const buyer = buyers[i % buyers.length]!;
    const url = `${stack.apps[i % instances]!.url}/l/${link.slug}`;
    signed.push({ buyer, url, ...(await signFor(url, buyer, stack.chain.asset)) });
  }
  const payeeBefore = await usdcBalance(stack.chain.rpcUrl, stack.chain.asset, creator.address);
  const statuses = await Promise.all(
    signed.map(async (s) => {
      const res = await fetch(s.url, { headers: { accept: "application/json", "PAYMENT-SIGNATURE": s.header } });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(await usdcBalance(stack.chain.rpcUrl, stack.chain.asset, creator.address)).toBe(payeeBefore + BigInt(count) * PRICE);
  const transfers = await Promise.all(signed.map((s) => transfersFor(stack.chain.rpcUrl, stack.chain.asset, s.buyer.address, s.nonce)));
  expect(transfers).toEqual(Array(count).fill(1));
  const detail = (await (await stack.api().call("GET", `/api/links/${link.id}`)).json()) as { sales: { count: number } };
  expect(detail.sales.count).toBe(count);
}

describe("concurrent distinct purchases", () => {
  it("64 at once on one instance: 64 settled, 64 transfers, 0 errors", async () => {
    await concurrentPurchases(64, 1);
  });

  it.runIf(onPostgres)("64 at once on two instances sharing one database and one settlement key: 64 settled, 64 transfers, 0 errors", async () => {
    await concurrentPurchases(64, 2);
  });
});
