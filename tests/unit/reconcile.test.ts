import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { authorizationTypes } from "@x402/evm";
import { createWalletClient, http, parseSignature, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUsdcAbi } from "../../scripts/lib/contracts";
import { devnetChain, hardhatAccount, startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { freePort } from "../support/ports";

/**
 * The reconciler decides payments whose outcome is not proven from the chain — never from
 * `authorizationState` alone: against the real local chain and a real database (PGlite, or
 * PostgreSQL with TEST_DATABASE_URL), with authorizations settled, cancelled or used elsewhere for real.
 */
let chain: Devnet;
let database: FreshDatabase;
let dataDir: string;
let prisma: Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;
let reconcilePayment: typeof import("@/lib/purchases/reconcile")["reconcilePayment"];

const payer = privateKeyToAccount(hardhatAccount(3).privateKey);
const payee = hardhatAccount(0).address;
const stranger = hardhatAccount(7).address;
const AMOUNT = 5000n;

function wallet() {
  return createWalletClient({
    account: privateKeyToAccount(hardhatAccount(0).privateKey),
    chain: devnetChain(chain.chainId, chain.rpcUrl),
    transport: http(chain.rpcUrl),
  });
}

async function transferWithAuthorization(nonce: Hex, validBefore: bigint, to: Address = payee): Promise<Hex> {
  const signature = await payer.signTypedData({
    domain: { name: "USD Coin", version: "2", chainId: chain.chainId, verifyingContract: chain.asset },
    types: authorizationTypes,
    primaryType: "TransferWithAuthorization",
    message: { from: payer.address, to, value: AMOUNT, validAfter: 0n, validBefore, nonce },
  });
  const { v, r, s } = parseSignature(signature);
  return wallet().writeContract({
    address: chain.asset,
    abi: testUsdcAbi,
    functionName: "transferWithAuthorization",
    args: [payer.address, to, AMOUNT, 0n, validBefore, nonce, Number(v), r, s],
  });
}

async function cancelAuthorization(nonce: Hex): Promise<Hex> {
  const signature = await payer.signTypedData({
    domain: { name: "USD Coin", version: "2", chainId: chain.chainId, verifyingContract: chain.asset },
    types: { CancelAuthorization: [{ name: "authorizer", type: "address" }, { name: "nonce", type: "bytes32" }] },
    primaryType: "CancelAuthorization",
    message: { authorizer: payer.address, nonce },
  });
  const { v, r, s } = parseSignature(signature);
  return wallet().writeContract({
    address: chain.asset,
    abi: testUsdcAbi,
    functionName: "cancelAuthorization",
    args: [payer.address, nonce, Number(v), r, s],
  });
}

let seeded = 0;
async function seedPayment(opts: { validBefore: bigint; status?: "settling" | "failed"; error?: string }) {
  const n = ++seeded;
  const nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
  await prisma.user.upsert({ where: { id: "usr_r" }, create: { id: "usr_r", address: payee }, update: {} });
  await prisma.storedObject.create({
    data: {
      id: `obj_r${n}`, ownerId: "usr_r", name: "f", contentType: "text/plain", size: 1n, dataOffset: 1n,
      dataItemId: `di_r${n}`, signatureType: 3, dataItemOwner: "o", signer: payee, tags: [], storageKey: "k",
      headerKey: "h", sha256: "00",
    },
  });
  const status = opts.status ?? "settling";
  await prisma.paymentLink.create({
    data: {
      id: `lnk_r${n}`, slug: `slugr${n}`, objectId: `obj_r${n}`, ownerId: "usr_r", payTo: payee, amount: AMOUNT,
      network: `eip155:${chain.chainId}`, asset: chain.asset, expiresAt: new Date(Date.now() + 3_600_000),
      maxPurchases: 1, purchaseCount: status === "settling" ? 1 : 0,
    },
  });
  const payment = await prisma.payment.create({
    data: {
      id: `pay_r${n}`, linkId: `lnk_r${n}`, payer: payer.address, amount: AMOUNT, network: `eip155:${chain.chainId}`,
      asset: chain.asset, nonce, validBefore: opts.validBefore, signature: "0x", x402Version: 2, status, error: opts.error,
    },
  });
  return { payment, nonce };
}

const inAnHour = () => BigInt(Math.floor(Date.now() / 1000) + 3600);
const slotsOf = async (linkId: string) => (await prisma.paymentLink.findUniqueOrThrow({ where: { id: linkId } })).purchaseCount;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-reconcile-"));
  chain = await startDevnet({ dataDir, port: await freePort(), quiet: true });
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  await applyMigrations(database.url);
  process.env.VEND_DATA_DIR = dataDir;
  process.env.DATABASE_URL = database.url;
  prisma = await (await import("@/lib/db")).db();
  ({ reconcilePayment } = await import("@/lib/purchases/reconcile"));
});

afterAll(async () => {
  await prisma?.$disconnect();
  await chain?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("reconcilePayment", () => {
  it("settles a payment when its own transfer (AuthorizationUsed + Transfer to payTo) is on chain", async () => {
    const { payment, nonce } = await seedPayment({ validBefore: inAnHour() });
    const tx = await transferWithAuthorization(nonce, payment.validBefore);
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("settled");
    expect(after.transaction).toBe(tx);
    expect(after.settledAt).toBeInstanceOf(Date);
    expect(await slotsOf(payment.linkId)).toBe(1);
  });

  it("never calls a cancelled authorization paid: cancelled, slot released", async () => {
    const { payment, nonce } = await seedPayment({ validBefore: inAnHour() });
    await cancelAuthorization(nonce);
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("cancelled");
    expect(after.transaction).toBeNull();
    expect(await slotsOf(payment.linkId)).toBe(0);
  });

  it("fails a payment whose nonce was consumed by a transfer that is not its own", async () => {
    const { payment, nonce } = await seedPayment({ validBefore: inAnHour() });
    await transferWithAuthorization(nonce, payment.validBefore, stranger);
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("failed");
    expect(after.error).toBe("authorization_used_elsewhere");
    expect(await slotsOf(payment.linkId)).toBe(0);
  });

  it("fails an unused authorization past validBefore by chain time and gives the purchase slot back", async () => {
    const { payment } = await seedPayment({ validBefore: BigInt(Math.floor(Date.now() / 1000) - 10) });
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("failed");
    expect(after.error).toBe("authorization_expired_unsettled");
    expect(await slotsOf(payment.linkId)).toBe(0);
  });

  it("leaves an unused, still valid authorization settling", async () => {
    const { payment } = await seedPayment({ validBefore: inAnHour() });
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("settling");
    expect(await slotsOf(payment.linkId)).toBe(1);
  });

  it("settles a row an exception wrongly marked failed once its transfer is seen, and takes its slot back", async () => {
    const { payment, nonce } = await seedPayment({ validBefore: inAnHour(), status: "failed", error: "settle_failed" });
    const tx = await transferWithAuthorization(nonce, payment.validBefore);
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("settled");
    expect(after.transaction).toBe(tx);
    expect(await slotsOf(payment.linkId)).toBe(1);
  });

  it("leaves a chain-proven failure alone", async () => {
    const { payment } = await seedPayment({ validBefore: inAnHour(), status: "failed", error: "authorization_expired_unsettled" });
    const after = await reconcilePayment(payment);
    expect(after).toEqual(payment);
  });
});
