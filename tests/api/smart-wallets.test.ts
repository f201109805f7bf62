import { randomBytes } from "node:crypto";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import { createPublicClient, createWalletClient, getAddress, http, parseAbiItem, publicActions, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { testUsdcAbi } from "../../scripts/lib/contracts";
import { SAFE_ADDRESSES, safeArtifacts, safeSmartAccount, type SafeSmartAccount } from "../../scripts/lib/smart-accounts";
import {
  createApiKey,
  creatorApi,
  hardhat,
  payer,
  paymentRequiredOf,
  sha256Hex,
  signIn,
  signPayment,
  transfersFor,
  usdcBalance,
} from "../support/client";

/**
 * Smart-wallet buyers and creators against the built app over HTTP, with real Safe 1.4.1 accounts
 * on the local chain (scripts/lib/smart-accounts.ts): a counterfactual Safe pays with an ERC-6492
 * signature (the facilitator deploys it through the allowed SafeProxyFactory, then settles), a
 * deployed Safe pays with ERC-1271, and a Safe signs in with SIWE.
 */
const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const chainId = inject("chainId");
const asset = inject("asset");
const network = `eip155:${chainId}`;

const creator = hardhat(0);
const settlementAccount = hardhat(19).address;
const chainClient = createPublicClient({ transport: http(rpcUrl) });
const keyOf = (i: number): Hex => toHex(hardhat(i).getHdKey().privateKey!);
const minter = createWalletClient({
  account: privateKeyToAccount(keyOf(0)),
  transport: http(rpcUrl),
  pollingInterval: 50,
}).extend(publicActions);

const file = new Uint8Array(randomBytes(50_000));
const PRICE = 250_000n;

let api: ReturnType<typeof creatorApi>;
let objectId: string;

function newSafe(factory?: Address): SafeSmartAccount {
  return safeSmartAccount({ owner: privateKeyToAccount(generatePrivateKey()), rpcUrl, chainId, factory });
}

async function newLink(extra: Record<string, unknown> = {}) {
  return api.createLink({ objectId, payTo: creator.address, price: "0.25", network, expiresIn: "1h", ...extra });
}

/** Mints test USDC (atomic units) to an address, counterfactual or not. */
async function fund(to: Address, amount = 10n * PRICE) {
  const hash = await minter.writeContract({ address: asset, abi: testUsdcAbi, functionName: "mint", args: [to, amount], chain: null });
  await minter.waitForTransactionReceipt({ hash });
}

/** How many times `factory` created the proxy at `safe` (Safe's `ProxyCreation` event). */
async function deployments(factory: Address, safe: Address): Promise<number> {
  const logs = await chainClient.getLogs({
    address: factory,
    event: parseAbiItem("event ProxyCreation(address indexed proxy, address singleton)"),
    args: { proxy: safe },
    fromBlock: 0n,
  });
  return logs.length;
}

const nonceOf = (payload: { payload: unknown }) => (payload.payload as { authorization: { nonce: Hex } }).authorization.nonce;
const signatureOf = (payload: { payload: unknown }) => (payload.payload as { signature: Hex }).signature;
const ERC6492_MAGIC = "6492".repeat(16);

beforeAll(async () => {
  const cookie = await signIn(baseUrl, creator);
  api = creatorApi(baseUrl, await createApiKey(baseUrl, cookie));
  objectId = (await api.upload(file, "smart.bin")).id;
});

describe("a counterfactual smart wallet (ERC-6492) at the gate", () => {
  it("pays: the facilitator deploys the Safe through its allowed factory, then settles exactly the price", async () => {
    const safe = newSafe();
    await fund(safe.address);
    expect(await safe.isDeployed()).toBe(false);
    const link = await newLink();
    const before = { safe: await usdcBalance(rpcUrl, asset, safe.address), payee: await usdcBalance(rpcUrl, asset, creator.address) };

    const { header, payload } = await signPayment(safe, paymentRequiredOf(await fetch(link.url)));
    expect(signatureOf(payload).endsWith(ERC6492_MAGIC)).toBe(true);
    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(200);
    expect(sha256Hex(await res.arrayBuffer())).toBe(sha256Hex(file));
    const settlement = decodePaymentResponseHeader(res.headers.get("payment-response")!);
    expect(settlement).toMatchObject({ success: true, network, payer: safe.address });

    expect(await safe.isDeployed()).toBe(true);
    expect(await deployments(SAFE_ADDRESSES.SafeProxyFactory, safe.address)).toBe(1);
    expect(await transfersFor(rpcUrl, asset, safe.address, nonceOf(payload))).toBe(1);
    expect(await usdcBalance(rpcUrl, asset, safe.address)).toBe(before.safe - PRICE);
    expect(await usdcBalance(rpcUrl, asset, creator.address)).toBe(before.payee + PRICE);
  });

  it("pays with the official @x402/fetch client, the same as an EOA would", async () => {
    const safe = newSafe();
    await fund(safe.address);
    const link = await newLink();
    const res = await wrapFetchWithPayment(fetch, payer(safe, network, asset))(link.url);
    expect(res.status).toBe(200);
    expect(sha256Hex(await res.arrayBuffer())).toBe(sha256Hex(file));
    expect(decodePaymentResponseHeader(res.headers.get("payment-response")!).payer).toBe(safe.address);
    expect(await deployments(SAFE_ADDRESSES.SafeProxyFactory, safe.address)).toBe(1);
  });

  it("deploys once and transfers once when the same authorization arrives 20 times at once", async () => {
    const safe = newSafe();
    await fund(safe.address);
    const link = await newLink();
    const { header, payload } = await signPayment(safe, paymentRequiredOf(await fetch(link.url)));
    const before = await usdcBalance(rpcUrl, asset, safe.address);
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } })));
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(statuses).toContain(200);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(await deployments(SAFE_ADDRESSES.SafeProxyFactory, safe.address)).toBe(1);
    expect(await transfersFor(rpcUrl, asset, safe.address, nonceOf(payload))).toBe(1);
    expect(await usdcBalance(rpcUrl, asset, safe.address)).toBe(before - PRICE);
    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect(detail.purchaseCount).toBe(1);
  });

  it("refuses a signature naming a factory that is not allowed: 402, nothing sent, nothing deployed", async () => {
    // A genuine SafeProxyFactory, deployed at an address no allowlist names.
    const hash = await minter.deployContract({
      abi: safeArtifacts.SafeProxyFactory.abi,
      bytecode: safeArtifacts.SafeProxyFactory.bytecode,
      chain: null,
    });
    const otherFactory = getAddress((await minter.waitForTransactionReceipt({ hash })).contractAddress!);
    const safe = newSafe(otherFactory);
    await fund(safe.address);
    const link = await newLink();
    const { header, payload } = await signPayment(safe, paymentRequiredOf(await fetch(link.url)));
    const sent = await chainClient.getTransactionCount({ address: settlementAccount });

    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(402);
    expect(paymentRequiredOf(res).error).toBe("eip6492_factory_not_allowed");
    expect((await res.json()).error).toBe("invalid_exact_evm_payload_undeployed_smart_wallet"); // its v1 name
    expect(await chainClient.getTransactionCount({ address: settlementAccount })).toBe(sent);
    expect(await safe.isDeployed()).toBe(false);
    expect(await transfersFor(rpcUrl, asset, safe.address, nonceOf(payload))).toBe(0);
    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect(detail.purchaseCount).toBe(0);
  });
});

describe("a deployed smart wallet (ERC-1271) at the gate", () => {
  it("pays with a plain ERC-1271 signature; nothing is deployed again", async () => {
    const safe = newSafe();
    await safe.deploy(keyOf(18));
    await fund(safe.address);
    const link = await newLink();
    const { header, payload } = await signPayment(safe, paymentRequiredOf(await fetch(link.url)));
    expect(signatureOf(payload)).toHaveLength(2 + 65 * 2);
    const before = await usdcBalance(rpcUrl, asset, safe.address);
    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(200);
    expect(sha256Hex(await res.arrayBuffer())).toBe(sha256Hex(file));
    expect(await deployments(SAFE_ADDRESSES.SafeProxyFactory, safe.address)).toBe(1);
    expect(await transfersFor(rpcUrl, asset, safe.address, nonceOf(payload))).toBe(1);
    expect(await usdcBalance(rpcUrl, asset, safe.address)).toBe(before - PRICE);
  });
});

describe("two different authorizations from one undeployed smart wallet at once", () => {
  it("deploys the account once and never charges an authorization twice", async () => {
    const safe = newSafe();
    await fund(safe.address);
    const [a, b] = [await newLink(), await newLink()];
    const first = await signPayment(safe, paymentRequiredOf(await fetch(a.url)));
    const second = await signPayment(safe, paymentRequiredOf(await fetch(b.url)));
    const before = await usdcBalance(rpcUrl, asset, safe.address);
    const [ra, rb] = await Promise.all([
      fetch(a.url, { headers: { "PAYMENT-SIGNATURE": first.header } }),
      fetch(b.url, { headers: { "PAYMENT-SIGNATURE": second.header } }),
    ]);
    await Promise.all([ra.arrayBuffer(), rb.arrayBuffer()]);
    const transfers = [
      await transfersFor(rpcUrl, asset, safe.address, nonceOf(first.payload)),
      await transfersFor(rpcUrl, asset, safe.address, nonceOf(second.payload)),
    ];
    expect(await deployments(SAFE_ADDRESSES.SafeProxyFactory, safe.address)).toBe(1);
    expect(transfers.every((n) => n <= 1)).toBe(true);
    expect(await usdcBalance(rpcUrl, asset, safe.address)).toBe(before - PRICE * BigInt(transfers[0]! + transfers[1]!));
    expect([ra.status, rb.status]).toContain(200);
    console.info("[smart-wallets] racing authorizations of one undeployed Safe:", { statuses: [ra.status, rb.status], transfers });
  });
});

describe("a smart-wallet creator", () => {
  it("signs in with SIWE from a counterfactual Safe (ERC-6492), then from the same Safe deployed (ERC-1271)", async () => {
    const safe = newSafe();
    const counterfactual = await signIn(baseUrl, safe, chainId);
    expect(counterfactual).toMatch(/^next-auth\.session-token=/);
    await safe.deploy(keyOf(18));
    const deployed = await signIn(baseUrl, safe, chainId);
    const session = await (await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie: deployed } })).json();
    expect(JSON.stringify(session)).toContain(safe.address);
    const key = await createApiKey(baseUrl, deployed, "safe");
    const me = creatorApi(baseUrl, key);
    const listed = await me.call("GET", "/api/objects");
    expect(listed.status).toBe(200);
  });
});
