import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { x402Client } from "@x402/core/client";
import { encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentRequired } from "@x402/core/types";
import { ExactEvmSchemeV1 } from "@x402/evm/exact/v1/client";
import { createPublicClient, createWalletClient, http, parseAbiItem, publicActions, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardhat, usdcBalance } from "../../scripts/lib/agent";
import { testUsdcAbi } from "../../scripts/lib/contracts";
import { hardhatAccount, startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { SAFE_ADDRESSES, safeSmartAccount } from "../../scripts/lib/smart-accounts";
import { freePort } from "../support/ports";

/**
 * x402 v1 clients (`X-PAYMENT`, network names, `maxAmountRequired`) pay links on a local chain
 * started with Base Sepolia's chain id 84532, which Vend advertises as `base-sepolia` in the v1
 * body: an EOA, and a counterfactual Safe whose v1 payment the in-process facilitator's v1 exact
 * scheme deploys through the allowed factory, then settles. Real chain, a real database (PGlite, or
 * PostgreSQL with TEST_DATABASE_URL), the real purchase use case in-process.
 */
let chain: Devnet;
let database: FreshDatabase;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-v1-"));
  chain = await startDevnet({ dataDir, port: await freePort(), chainId: 84532, quiet: true });
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  await applyMigrations(database.url);
  process.env.VEND_DATA_DIR = dataDir;
  process.env.DATABASE_URL = database.url;
  process.env.APP_URL = "http://vend.test";
  process.env.NEXTAUTH_SECRET = "v1-test-secret-v1-test-secret";
});

afterAll(async () => {
  const { db } = await import("@/lib/db");
  await (await db()).$disconnect();
  await chain?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A creator, a 3-byte object and a link for 0.07 USDC on eip155:84532, all named after `tag`; its v1 body. */
async function v1Link(tag: string) {
  const { db } = await import("@/lib/db");
  const { loadLinkForSale, saleTerms } = await import("@/lib/purchases/sale");
  const { paymentRequired } = await import("@/lib/x402/requirements");
  const prisma = await db();
  const creator = hardhat(0);
  await prisma.user.create({ data: { id: `usr_${tag}`, address: privateKeyToAccount(generatePrivateKey()).address } });
  await prisma.storedObject.create({
    data: {
      id: `obj_${tag}`, ownerId: `usr_${tag}`, name: `${tag}.txt`, contentType: "text/plain", size: 3n, dataOffset: 100n,
      dataItemId: `di_${tag}`, signatureType: 3, dataItemOwner: "o", signer: creator.address, tags: [],
      storageKey: `objects/${tag}/payload`, headerKey: `objects/${tag}/header`, sha256: "00",
    },
  });
  await prisma.paymentLink.create({
    data: {
      id: `lnk_${tag}`, slug: `${tag}slug`, objectId: `obj_${tag}`, ownerId: `usr_${tag}`, payTo: creator.address, amount: 70_000n,
      network: "eip155:84532", asset: chain.asset, expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  const link = await loadLinkForSale(`${tag}slug`);
  return { link, bodyV1: paymentRequired([saleTerms(link)]).bodyV1 };
}

describe("x402 v1 on a local chain with id 84532", () => {
  it("advertises base-sepolia in the v1 body and settles a v1 X-PAYMENT exactly once; the same header again opens nothing", async () => {
    const { loadLinkForSale } = await import("@/lib/purchases/sale");
    const { purchase } = await import("@/lib/purchases/purchase");
    const { decodePayment } = await import("@/lib/x402/payment-header");
    const buyer = hardhat(2);
    const { link, bodyV1 } = await v1Link("v1");
    expect(bodyV1.accepts[0]).toMatchObject({ network: "base-sepolia", maxAmountRequired: "70000", asset: chain.asset });

    const client = new x402Client().registerV1("base-sepolia", new ExactEvmSchemeV1(buyer));
    client.setSpendControls(false);
    const payload = await client.createPaymentPayload(bodyV1 as unknown as PaymentRequired);
    expect(payload.x402Version).toBe(1);
    const header = encodePaymentSignatureHeader(payload);

    const before = await usdcBalance(chain.rpcUrl, chain.asset, buyer.address);
    const outcome = await purchase(link, decodePayment(header));
    expect(outcome.replay).toBe(false);
    expect(outcome.settlement).toMatchObject({ success: true, network: "eip155:84532", payer: buyer.address });
    expect(await usdcBalance(chain.rpcUrl, chain.asset, buyer.address)).toBe(before - 70_000n);

    // v1 has no payment-identifier: the same header again is a public replay, and opens nothing.
    await expect(purchase(await loadLinkForSale("v1slug"), decodePayment(header))).rejects.toMatchObject({
      code: "authorization_used",
    });
    expect(await usdcBalance(chain.rpcUrl, chain.asset, buyer.address)).toBe(before - 70_000n);
  });

  it("deploys a counterfactual Safe paying with v1 through the allowed factory and settles exactly the price", async () => {
    const { purchase } = await import("@/lib/purchases/purchase");
    const { decodePayment } = await import("@/lib/x402/payment-header");
    const { link, bodyV1 } = await v1Link("sw1");
    const safe = safeSmartAccount({ owner: privateKeyToAccount(generatePrivateKey()), rpcUrl: chain.rpcUrl, chainId: chain.chainId });
    const minter = createWalletClient({ account: privateKeyToAccount(hardhatAccount(0).privateKey), transport: http(chain.rpcUrl) }).extend(publicActions);
    await minter.waitForTransactionReceipt({
      hash: await minter.writeContract({ address: chain.asset, abi: testUsdcAbi, functionName: "mint", args: [safe.address, 1_000_000n], chain: null }),
    });

    const client = new x402Client().registerV1("base-sepolia", new ExactEvmSchemeV1(safe));
    client.setSpendControls(false);
    const payload = await client.createPaymentPayload(bodyV1 as unknown as PaymentRequired);
    expect(payload.x402Version).toBe(1);
    const signature = (payload.payload as { signature: Hex }).signature;
    expect(signature.endsWith("6492".repeat(16))).toBe(true);
    const header = encodePaymentSignatureHeader(payload);

    const outcome = await purchase(link, decodePayment(header));
    expect(outcome.replay).toBe(false);
    expect(outcome.settlement).toMatchObject({ success: true, network: "eip155:84532", payer: safe.address });
    expect(await safe.isDeployed()).toBe(true);
    expect(await usdcBalance(chain.rpcUrl, chain.asset, safe.address)).toBe(1_000_000n - 70_000n);

    const logs = await createPublicClient({ transport: http(chain.rpcUrl) }).getLogs({
      address: SAFE_ADDRESSES.SafeProxyFactory,
      event: parseAbiItem("event ProxyCreation(address indexed proxy, address singleton)"),
      args: { proxy: safe.address },
      fromBlock: 0n,
    });
    expect(logs).toHaveLength(1);
  });
});
