import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { authorizationTypes } from "@x402/evm";
import { createWalletClient, http, parseSignature, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startDevnet, hardhatAccount, devnetChain, type Devnet } from "../../scripts/lib/devnet";
import { testUsdcAbi } from "../../scripts/lib/contracts";
import { freePort } from "../support/ports";

/**
 * The reconciler decides `settling` payments from the chain (EIP-3009 `authorizationState`):
 * against the real local chain and a real PGlite, with authorizations settled (or not) for real.
 */
let chain: Devnet;
let dataDir: string;
let prisma: Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;
let reconcilePayment: typeof import("@/lib/purchases/reconcile")["reconcilePayment"];

const payer = privateKeyToAccount(hardhatAccount(3).privateKey);
const payee = hardhatAccount(0).address;

async function signAuthorization(nonce: Hex, validBefore: bigint) {
  return payer.signTypedData({
    domain: { name: "USD Coin", version: "2", chainId: chain.chainId, verifyingContract: chain.asset },
    types: authorizationTypes,
    primaryType: "TransferWithAuthorization",
    message: { from: payer.address, to: payee, value: 5000n, validAfter: 0n, validBefore, nonce },
  });
}

async function seedPayment(nonce: Hex, validBefore: bigint, id: string) {
  const suffix = id.slice(-6);
  await prisma.user.upsert({ where: { id: "usr_r" }, create: { id: "usr_r", address: payee }, update: {} });
  await prisma.storedObject.create({
    data: {
      id: `obj_${suffix}`, ownerId: "usr_r", name: "f", contentType: "text/plain", size: 1n, dataOffset: 1n,
      dataItemId: `di_${suffix}`, signatureType: 3, dataItemOwner: "o", signer: payee, tags: [], storageKey: "k",
      headerKey: "h", sha256: "00",
    },
  });
  await prisma.paymentLink.create({
    data: {
      id: `lnk_${suffix}`, slug: `slug${suffix}`, objectId: `obj_${suffix}`, ownerId: "usr_r", payTo: payee, amount: 5000n,
      network: `eip155:${chain.chainId}`, asset: chain.asset, expiresAt: new Date(Date.now() + 3_600_000),
      maxPurchases: 1, purchaseCount: 1,
    },
  });
  return prisma.payment.create({
    data: {
      id, linkId: `lnk_${suffix}`, payer: payer.address, amount: 5000n, network: `eip155:${chain.chainId}`,
      asset: chain.asset, nonce, validBefore, signature: "0x", x402Version: 2, status: "settling",
    },
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-reconcile-"));
  chain = await startDevnet({ dataDir, port: await freePort(), quiet: true });
  const url = `pglite:${path.join(dataDir, "db")}`;
  await applyMigrations(url);
  process.env.VEND_DATA_DIR = dataDir;
  process.env.DATABASE_URL = url;
  prisma = await (await import("@/lib/db")).db();
  ({ reconcilePayment } = await import("@/lib/purchases/reconcile"));
});

afterAll(async () => {
  await prisma?.$disconnect();
  await chain?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("reconcilePayment", () => {
  it("marks a payment settled, with its transaction, when the authorization was used on chain", async () => {
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const payment = await seedPayment(nonce, validBefore, "pay_used01");
    const signature = await signAuthorization(nonce, validBefore);
    const { v, r, s } = parseSignature(signature);
    const wallet = createWalletClient({
      account: privateKeyToAccount(hardhatAccount(0).privateKey),
      chain: devnetChain(chain.chainId, chain.rpcUrl),
      transport: http(chain.rpcUrl),
    });
    const tx = await wallet.writeContract({
      address: chain.asset,
      abi: testUsdcAbi,
      functionName: "transferWithAuthorization",
      args: [payer.address, payee, 5000n, 0n, validBefore, nonce, Number(v), r, s],
    });
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("settled");
    expect(after.transaction).toBe(tx);
    expect(after.settledAt).toBeInstanceOf(Date);
  });

  it("fails an unused authorization past validBefore and gives the purchase slot back", async () => {
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const payment = await seedPayment(nonce, BigInt(Math.floor(Date.now() / 1000) - 10), "pay_expd01");
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("failed");
    expect(after.error).toBe("authorization_expired_unsettled");
    const link = await prisma.paymentLink.findUniqueOrThrow({ where: { id: payment.linkId } });
    expect(link.purchaseCount).toBe(0);
  });

  it("leaves an unused, still valid authorization settling", async () => {
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const payment = await seedPayment(nonce, BigInt(Math.floor(Date.now() / 1000) + 600), "pay_open01");
    const after = await reconcilePayment(payment);
    expect(after.status).toBe("settling");
    const link = await prisma.paymentLink.findUniqueOrThrow({ where: { id: payment.linkId } });
    expect(link.purchaseCount).toBe(1);
  });
});
