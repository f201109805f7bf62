import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { x402Client } from "@x402/core/client";
import { encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentRequired } from "@x402/core/types";
import { ExactEvmSchemeV1 } from "@x402/evm/exact/v1/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardhat, usdcBalance } from "../../scripts/lib/agent";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freePort } from "../support/ports";

/**
 * A v1 client (x402 v1: `X-PAYMENT`, network names, `maxAmountRequired`) pays a link on a local
 * chain started with Base Sepolia's chain id 84532, which Vend advertises as `base-sepolia` in the
 * v1 body. Real chain, real PGlite, the real purchase use case in-process.
 */
let chain: Devnet;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-v1-"));
  chain = await startDevnet({ dataDir, port: await freePort(), chainId: 84532, quiet: true });
  const url = `pglite:${path.join(dataDir, "db")}`;
  await applyMigrations(url);
  process.env.VEND_DATA_DIR = dataDir;
  process.env.DATABASE_URL = url;
  process.env.APP_URL = "http://vend.test";
  process.env.NEXTAUTH_SECRET = "v1-test-secret-v1-test-secret";
});

afterAll(async () => {
  const { db } = await import("@/lib/db");
  await (await db()).$disconnect();
  await chain?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("x402 v1 on a local chain with id 84532", () => {
  it("advertises base-sepolia in the v1 body and settles a v1 X-PAYMENT exactly once; the same header again opens nothing", async () => {
    const { db } = await import("@/lib/db");
    const { loadLinkForSale, saleTerms } = await import("@/lib/purchases/sale");
    const { purchase } = await import("@/lib/purchases/purchase");
    const { paymentRequired } = await import("@/lib/x402/requirements");
    const { decodePayment } = await import("@/lib/x402/payment-header");
    const prisma = await db();
    const creator = hardhat(0);
    const buyer = hardhat(2);
    await prisma.user.create({ data: { id: "usr_v1", address: creator.address } });
    await prisma.storedObject.create({
      data: {
        id: "obj_v1", ownerId: "usr_v1", name: "v1.txt", contentType: "text/plain", size: 3n, dataOffset: 100n,
        dataItemId: "di_v1", signatureType: 3, dataItemOwner: "o", signer: creator.address, tags: [],
        storageKey: "objects/v1/payload", headerKey: "objects/v1/header", sha256: "00",
      },
    });
    await prisma.paymentLink.create({
      data: {
        id: "lnk_v1", slug: "v1slug", objectId: "obj_v1", ownerId: "usr_v1", payTo: creator.address, amount: 70_000n,
        network: "eip155:84532", asset: chain.asset, expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const link = await loadLinkForSale("v1slug");
    const { bodyV1 } = paymentRequired(saleTerms(link));
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
});
