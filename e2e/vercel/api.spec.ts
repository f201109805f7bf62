import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import type { Address, Hex } from "viem";
import {
  createApiKey,
  creatorApi,
  hardhat,
  paymentRequiredOf,
  signIn,
  signPayment,
  transfersFor,
  type Account,
} from "../../tests/support/client";

/**
 * The API on the Vercel-shaped stack (e2e/vercel/global-setup.ts): two instances of one build
 * behind a proxy with Vercel's 4.5 MB body limit, one PostgreSQL server, one settlement key.
 * Concurrency is exercised the way Vercel produces it: the same link bought at once through both
 * instances. Every payment is a real EIP-3009 transfer on the local chain.
 */

const { E2E_BASE_URL, E2E_APP_URLS, E2E_RPC_URL, E2E_CHAIN_ID, E2E_ASSET, E2E_DATABASE_URL } = process.env;
const baseUrl = E2E_BASE_URL!;
const apps = (E2E_APP_URLS ?? "").split(",");
const rpcUrl = E2E_RPC_URL!;
const asset = E2E_ASSET as Address;
const network = `eip155:${E2E_CHAIN_ID}`;
const creator = hardhat(0);

let api: ReturnType<typeof creatorApi>;

test.beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator), "vercel-stack"));
});

async function newLink(price = "0.01") {
  const object = await api.upload(new Uint8Array(randomBytes(1024)), "concurrency.bin");
  return api.createLink({ objectId: object.id, payTo: creator.address, price, network, expiresIn: "1h" });
}

/** Settled payments of a link, from the shared database. */
async function settledCount(linkId: string): Promise<number> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "Payment" WHERE "linkId" = $1 AND status = 'settled'`, [linkId]);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

test("the proxy refuses a body over 4.5 MB like Vercel, and both instances are ready", async () => {
  const res = await api.call("POST", "/api/objects", new Uint8Array(5_000_000), { "x-filename": "too-big.bin" });
  expect(res.status).toBe(413);
  expect(res.headers.get("x-vercel-error")).toBe("FUNCTION_PAYLOAD_TOO_LARGE");
  const streamed = await fetch(`${baseUrl}/api/objects`, {
    method: "POST",
    headers: { "x-filename": "streamed.bin" },
    body: new Blob([new Uint8Array(5_000_000)]).stream(),
    duplex: "half",
  } as RequestInit);
  expect(streamed.status).toBe(413);
  for (const app of apps) {
    const health = await fetch(`${app}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ready: true, checks: { database: { ok: true }, storage: { ok: true, driver: "s3" } } });
  }
});

test("64 concurrent purchases with distinct authorizations, split across both instances: 64 settled, 64 transfers, 0 errors", async () => {
  const link = await newLink();
  const required = paymentRequiredOf(await fetch(link.url));
  const buyers: Account[] = Array.from({ length: 8 }, (_, i) => hardhat(i + 1));
  const payments = await Promise.all(
    Array.from({ length: 64 }, async (_, i) => ({ buyer: buyers[i % 8]!, ...(await signPayment(buyers[i % 8]!, required)) })),
  );
  const started = performance.now();
  const results = await Promise.all(
    payments.map(async ({ header }, i) => {
      const t0 = performance.now();
      const res = await fetch(`${apps[i % apps.length]}/l/${link.slug}`, { headers: { "PAYMENT-SIGNATURE": header } });
      const body = Buffer.from(await res.arrayBuffer());
      return { status: res.status, ms: performance.now() - t0, error: res.status === 200 ? undefined : body.toString("utf8").slice(0, 200) };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const transfers = (
    await Promise.all(
      payments.map(({ buyer, payload }) =>
        transfersFor(rpcUrl, asset, buyer.address, (payload.payload as { authorization: { nonce: Hex } }).authorization.nonce),
      ),
    )
  ).reduce((a, b) => a + b, 0);
  const settled = await settledCount(link.id);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const errors = results.filter((r) => r.status !== 200);
  console.log(
    `64 purchases over 2 instances: ${results.length - errors.length} answered 200, ${settled} settled, ${transfers} transfers, ` +
      `${errors.length} errors in ${seconds.toFixed(2)} s (${(settled / seconds).toFixed(1)} settled/s), ` +
      `p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms` +
      (errors.length ? `\n  first errors: ${errors.slice(0, 3).map((e) => `${e.status} ${e.error}`).join("\n  ")}` : ""),
  );
  expect({ settled, transfers, errors: errors.length }).toEqual({ settled: 64, transfers: 64, errors: 0 });
});

test("20 concurrent submissions of one authorization across both instances: exactly one transfer", async () => {
  const link = await newLink("0.02");
  const buyer = hardhat(9);
  const { header, payload } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
  const statuses = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const res = await fetch(`${apps[i % apps.length]}/l/${link.slug}`, { headers: { "PAYMENT-SIGNATURE": header } });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  const nonce = (payload.payload as { authorization: { nonce: Hex } }).authorization.nonce;
  expect(await transfersFor(rpcUrl, asset, buyer.address, nonce)).toBe(1);
  expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
  expect(await settledCount(link.id)).toBe(1);
});
