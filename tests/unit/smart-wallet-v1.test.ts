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
 * A counterfactual Safe pays a link with an x402 **v1** client (`X-PAYMENT`, network name
 * `base-sepolia`): the local chain runs as 84532 so the v1 client knows it. The purchase use case
 * runs in-process against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and the
 * in-process facilitator, whose v1 exact scheme deploys the Safe through the allowed factory and
 * then settles.
 */
let chain: Devnet;
let database: FreshDatabase;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-sw-v1-"));
  chain = await startDevnet({ dataDir, port: await freePort(), chainId: 84532, quiet: true });
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  await applyMigrations(database.url);
  process.env.VEND_DATA_DIR = dataDir;
  process.env.DATABASE_URL = database.url;
  process.env.APP_URL = "http://vend.test";
  process.env.NEXTAUTH_SECRET = "smart-wallet-v1-secret-smart-wallet";
});

afterAll(async () => {
  const { db } = await import("@/lib/db");
  await (await db()).$disconnect();
  await chain?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a counterfactual smart wallet paying with x402 v1", () => {
  it("is deployed through the allowed factory and settles exactly the price", async () => {
    const { db } = await import("@/lib/db");
    const { loadLinkForSale, saleTerms } = await import("@/lib/purchases/sale");
    const { purchase } = await import("@/lib/purchases/purchase");
    const { paymentRequired } = await import("@/lib/x402/requirements");
    const { decodePayment } = await import("@/lib/x402/payment-header");
    const prisma = await db();
    const creator = hardhat(0);
    await prisma.user.create({ data: { id: "usr_sw1", address: creator.address } });
    await prisma.storedObject.create({
      data: {
        id: "obj_sw1", ownerId: "usr_sw1", name: "sw.txt", contentType: "text/plain", size: 3n, dataOffset: 100n,
        dataItemId: "di_sw1", signatureType: 3, dataItemOwner: "o", signer: creator.address, tags: [],
        storageKey: "objects/sw1/payload", headerKey: "objects/sw1/header", sha256: "00",
      },
    });
    await prisma.paymentLink.create({
      data: {
        id: "lnk_sw1", slug: "sw1slug", objectId: "obj_sw1", ownerId: "usr_sw1", payTo: creator.address, amount: 70_000n,
        network: "eip155:84532", asset: chain.asset, expiresAt: new Date(Date.now() + 3_600_000),
      },
    });

    const safe = safeSmartAccount({ owner: privateKeyToAccount(generatePrivateKey()), rpcUrl: chain.rpcUrl, chainId: chain.chainId });
    const minter = createWalletClient({ account: privateKeyToAccount(hardhatAccount(0).privateKey), transport: http(chain.rpcUrl) }).extend(publicActions);
    await minter.waitForTransactionReceipt({
      hash: await minter.writeContract({ address: chain.asset, abi: testUsdcAbi, functionName: "mint", args: [safe.address, 1_000_000n], chain: null }),
    });

    const link = await loadLinkForSale("sw1slug");
    const { bodyV1 } = paymentRequired(saleTerms(link));
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
