import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentRequired } from "@x402/core/types";
import { createWalletClient, http, keccak256, parseGwei, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardhat, payer, usdcBalance, type Account } from "../../scripts/lib/agent";
import { devnetChain, startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { freePort } from "../support/ports";
import { startRpcFaultProxy, type RpcFaultProxy } from "../support/rpc-fault-proxy";
import { transfersFor } from "../support/client";

/**
 * The settlement engine in-process, against the real local chain (Hardhat automine: it refuses
 * out-of-order nonces) behind our counting JSON-RPC proxy, and a real database (PGlite, or
 * PostgreSQL with TEST_DATABASE_URL): round trips per purchase, concurrent purchases, two
 * pipelines sharing one key through the ledger, a key used behind the ledger's back, and a nonce
 * left by a crash between record and send.
 */
let chain: Devnet;
let proxy: RpcFaultProxy;
let database: FreshDatabase;
let dataDir: string;
let prisma: Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;
let app: {
  purchase: typeof import("@/lib/purchases/purchase")["purchase"];
  loadLinkForSale: typeof import("@/lib/purchases/sale")["loadLinkForSale"];
  saleTerms: typeof import("@/lib/purchases/sale")["saleTerms"];
  paymentRequired: typeof import("@/lib/x402/requirements")["paymentRequired"];
  decodePayment: typeof import("@/lib/x402/payment-header")["decodePayment"];
};

const creator = hardhat(0);
/** Hardhat #1–#9 (each funded with 1,000 test USDC), derived once. */
const buyers = Array.from({ length: 9 }, (_, i) => hardhat(1 + i));
const PRICE = 10_000n;
let linkCounter = 0;

async function newLink(): Promise<string> {
  const n = ++linkCounter;
  await prisma.user.upsert({ where: { id: "usr_s" }, create: { id: "usr_s", address: creator.address }, update: {} });
  await prisma.storedObject.create({
    data: {
      id: `obj_s${n}`, ownerId: "usr_s", name: "f.txt", contentType: "text/plain", size: 1n, dataOffset: 1n,
      dataItemId: `di_s${n}`, signatureType: 3, dataItemOwner: "o", signer: creator.address, tags: [], storageKey: "k",
      headerKey: "h", sha256: "00",
    },
  });
  await prisma.paymentLink.create({
    data: {
      id: `lnk_s${n}`, slug: `settle${n}`, objectId: `obj_s${n}`, ownerId: "usr_s", payTo: creator.address, amount: PRICE,
      network: `eip155:${chain.chainId}`, asset: chain.asset, expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  return `settle${n}`;
}

async function sign(buyer: Account, slug: string): Promise<{ header: string; nonce: Hex }> {
  const link = await app.loadLinkForSale(slug);
  const required: PaymentRequired = app.paymentRequired([app.saleTerms(link)]).v2;
  const payload = await payer(buyer, required.accepts[0]!.network, chain.asset).createPaymentPayload(required);
  return { header: encodePaymentSignatureHeader(payload), nonce: (payload.payload as { authorization: { nonce: Hex } }).authorization.nonce };
}

async function buy(slug: string, header: string) {
  return app.purchase(await app.loadLinkForSale(slug), app.decodePayment(header));
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-settlement-"));
  chain = await startDevnet({ dataDir, port: await freePort(), quiet: true });
  proxy = await startRpcFaultProxy(chain.rpcUrl);
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  await applyMigrations(database.url);
  Object.assign(process.env, {
    VEND_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    APP_URL: "http://vend.test",
    NEXTAUTH_SECRET: "settlement-test-secret-settlement",
    LOCAL_RPC_URL: proxy.url,
    LOCAL_CHAIN_ID: String(chain.chainId),
    LOCAL_USDC_ADDRESS: chain.asset,
    SETTLEMENT_PRIVATE_KEY: chain.settlementPrivateKey,
  });
  prisma = await (await import("@/lib/db")).db();
  app = {
    purchase: (await import("@/lib/purchases/purchase")).purchase,
    ...(await import("@/lib/purchases/sale")),
    paymentRequired: (await import("@/lib/x402/requirements")).paymentRequired,
    decodePayment: (await import("@/lib/x402/payment-header")).decodePayment,
  };
});

afterAll(async () => {
  await prisma?.$disconnect();
  await proxy?.stop();
  await chain?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("round trips", () => {
  it("settles an EOA purchase with at most 4 JSON-RPC calls in 3 round trips: payer code + simulation (one batch), send, receipt", async () => {
    const slug = await newLink();
    const warm = await sign(buyers[0]!, slug);
    await buy(slug, warm.header);
    const { header } = await sign(buyers[1]!, slug);
    const before = proxy.calls();
    const tripsBefore = proxy.roundTrips();
    const outcome = await buy(slug, header);
    const after = proxy.calls();
    expect(proxy.roundTrips() - tripsBefore).toBe(3);
    const used = Object.fromEntries(
      Object.entries(after).map(([m, n]) => [m, n - (before[m] ?? 0)]).filter(([, n]) => (n as number) > 0),
    );
    expect(outcome.payment.status).toBe("settled");
    expect(used).toEqual({ eth_getCode: 1, eth_call: 1, eth_sendRawTransaction: 1, eth_getTransactionReceipt: 1 });
  });
});

describe("concurrency", () => {
  it("settles 64 concurrent distinct purchases from one process: 64 transfers, one transaction each", async () => {
    const slug = await newLink();
    const payers = Array.from({ length: 64 }, (_, i) => buyers[i % 9]!);
    const signed = [];
    for (const b of payers) signed.push(await sign(b, slug));
    const payeeBefore = await usdcBalance(chain.rpcUrl, chain.asset, creator.address);
    const results = await Promise.allSettled(signed.map((s) => buy(slug, s.header)));
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    expect(await usdcBalance(chain.rpcUrl, chain.asset, creator.address)).toBe(payeeBefore + 64n * PRICE);
    const rows = await prisma.payment.findMany({ where: { link: { slug } } });
    expect(rows.filter((r) => r.status === "settled")).toHaveLength(64);
    const txs = await prisma.settlementTransaction.findMany({ where: { paymentId: { in: rows.map((r) => r.id) } } });
    expect(txs).toHaveLength(64);
    expect(new Set(txs.map((t) => t.hash))).toEqual(new Set(rows.map((r) => r.transaction)));
    expect(new Set(txs.map((t) => t.nonce)).size).toBe(64);
    for (const s of signed.slice(0, 5)) {
      const buyer = payers[signed.indexOf(s)]!;
      expect(await transfersFor(chain.rpcUrl, chain.asset, buyer.address, s.nonce)).toBe(1);
    }
  });

  it("shares one key between two pipelines (two instances) through the ledger: every settlement lands", async () => {
    const { facilitatorEvmSigner } = await import("@/lib/x402/evm-signer");
    const { postgresLedger } = await import("@/lib/settlement/ledger");
    const account = privateKeyToAccount(chain.settlementPrivateKey);
    const make = (name: string) =>
      facilitatorEvmSigner({
        account, chainId: chain.chainId, name: "local", rpcUrl: proxy.url, local: true,
        ledger: postgresLedger, ledgerName: name, confirmTimeoutMs: 20_000,
      }).pipeline;
    const a = make("instance-a");
    const b = make("instance-b");
    const calls = Array.from({ length: 24 }, (_, i) =>
      (i % 2 ? a : b).submit({ to: account.address, data: "0x", gas: 21_000n, kind: "filler", paymentId: null }),
    );
    const submissions = await Promise.all(calls);
    expect(submissions.map((s) => s.delivery)).toEqual(Array(24).fill("accepted"));
    const receipts = await Promise.all(submissions.map((s) => a.waitForReceipt(s.hash, 20_000)));
    expect(receipts.every((r) => r.status === "success")).toBe(true);
    const nonces = submissions.map((s) => s.nonce).sort((x, y) => (x < y ? -1 : 1));
    expect(new Set(nonces).size).toBe(24);
  });

  it("recovers when the key was used behind the ledger's back (nonce too low): the purchase still settles once", async () => {
    const wallet = createWalletClient({
      account: privateKeyToAccount(chain.settlementPrivateKey),
      chain: devnetChain(chain.chainId, chain.rpcUrl),
      transport: http(chain.rpcUrl),
    });
    for (let i = 0; i < 2; i++) await wallet.sendTransaction({ to: creator.address, value: 1n });
    const slug = await newLink();
    const buyer = buyers[2]!;
    const { header, nonce } = await sign(buyer, slug);
    const outcome = await buy(slug, header);
    expect(outcome.payment.status).toBe("settled");
    expect(await transfersFor(chain.rpcUrl, chain.asset, buyer.address, nonce)).toBe(1);
    const signed = await prisma.settlementTransaction.findMany({ where: { paymentId: outcome.payment.id }, orderBy: { createdAt: "asc" } });
    expect(signed).toHaveLength(2);
    expect(signed[0]!.status).toBe("dropped");
    expect(signed[1]!.hash).toBe(outcome.payment.transaction);
    expect(signed[1]!.nonce).toBeGreaterThan(signed[0]!.nonce);
  });

  it("fills a nonce left by a crash between record and send: the recorded transaction is broadcast, then ours", async () => {
    const { postgresLedger } = await import("@/lib/settlement/ledger");
    const account = privateKeyToAccount(chain.settlementPrivateKey);
    const key = { chainId: chain.chainId, address: account.address };
    const nonce = (await postgresLedger.takeNonce(key))!;
    const raw = await account.signTransaction({
      chainId: chain.chainId, type: "eip1559", nonce: Number(nonce), to: creator.address, value: 7n, gas: 21_000n,
      maxFeePerGas: parseGwei("20"), maxPriorityFeePerGas: parseGwei("1"),
    });
    await postgresLedger.record({ hash: keccak256(raw), chainId: chain.chainId, address: account.address, nonce, kind: "filler", paymentId: null, raw, fromBlock: 0n });
    const slug = await newLink();
    const { header } = await sign(buyers[3]!, slug);
    const outcome = await buy(slug, header);
    expect(outcome.payment.status).toBe("settled");
    const crashed = await prisma.settlementTransaction.findUniqueOrThrow({ where: { hash: keccak256(raw) } });
    expect(crashed.broadcastAt).not.toBeNull();
    const client = (await import("viem")).createPublicClient({ transport: http(chain.rpcUrl) });
    expect((await client.getTransactionReceipt({ hash: keccak256(raw) })).status).toBe("success");
  });

  it("pipelines sends on a chain that queues nonces (a real network's mempool): every settlement lands", async () => {
    const { facilitatorEvmSigner } = await import("@/lib/x402/evm-signer");
    const { postgresLedger } = await import("@/lib/settlement/ledger");
    const account = privateKeyToAccount(chain.settlementPrivateKey);
    const hardhatRpc = (method: string, params: unknown[]) =>
      fetch(chain.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    await hardhatRpc("evm_setAutomine", [false]);
    await hardhatRpc("evm_setIntervalMining", [200]);
    try {
      const pipeline = facilitatorEvmSigner({
        account, chainId: chain.chainId, name: "queueing", rpcUrl: proxy.url, local: false,
        ledger: postgresLedger, ledgerName: "queueing", confirmTimeoutMs: 30_000,
      }).pipeline;
      const submissions = await Promise.all(
        Array.from({ length: 16 }, () => pipeline.submit({ to: account.address, data: "0x", gas: 21_000n, kind: "filler", paymentId: null })),
      );
      expect(submissions.map((s) => s.delivery)).toEqual(Array(16).fill("accepted"));
      const receipts = await Promise.all(submissions.map((s) => pipeline.waitForReceipt(s.hash, 30_000)));
      expect(receipts.every((r) => r.status === "success")).toBe(true);
    } finally {
      await hardhatRpc("evm_setAutomine", [true]);
      await hardhatRpc("evm_setIntervalMining", [1000]);
    }
  });
});
