import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { x402Client, x402HTTPClient } from "@x402/core/client";
import { decodePaymentResponseHeader } from "@x402/core/http";
import type { Network, PaymentPayload } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { validateDiscoveryExtension, type DiscoveryExtension } from "@x402/extensions/bazaar";
import {
  decodeSignedOffers,
  extractOffersFromPaymentRequired,
  extractReceiptFromResponse,
  findAcceptsObjectFromSignedOffer,
  verifyOfferSignatureJWS,
  verifyReceiptMatchesOffer,
  verifyReceiptSignatureJWS,
  type JWSSignedReceipt,
} from "@x402/extensions/offer-receipt";
import { appendPaymentIdentifierToExtensions, generatePaymentId } from "@x402/extensions/payment-identifier";
import {
  assertSIWxChallengeBoundToOrigin,
  createSIWxClientExtension,
  createSIWxPayload,
  encodeSIWxHeader,
  SIGN_IN_WITH_X,
  type SIWxExtension,
} from "@x402/extensions/sign-in-with-x";
import { wrapFetchWithPayment } from "@x402/fetch";
import { createWalletClient, getAddress, http, publicActions, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { testUsdcAbi } from "../../scripts/lib/contracts";
import { safeSmartAccount, type SafeSmartAccount } from "../../scripts/lib/smart-accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type Account,
  createApiKey,
  creatorApi,
  hardhat,
  paymentRequiredOf,
  sha256Hex,
  signIn,
  usdcBalance,
} from "../support/client";
import { startDropProxy, type DropProxy } from "../support/drop-proxy";

/**
 * Issue 13: agents as first-class buyers, with the official x402 clients from npm over real HTTP
 * on the local chain — Sign-In-With-X re-access, payment-identifier retries, signed receipts
 * (offer-receipt), discovery (bazaar + catalog + llms.txt). Set AGENTS_REPORT=<file> to append the
 * decoded exchanges to a file.
 */
const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const asset = inject("asset");
const network = `eip155:${inject("chainId")}`;

const creator = hardhat(0);
const file = new Uint8Array(randomBytes(20_000));

let api: ReturnType<typeof creatorApi>;
let proxy: DropProxy;

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
  proxy = await startDropProxy(baseUrl);
});
afterAll(() => proxy.stop());

function report(title: string, value: unknown): void {
  if (process.env.AGENTS_REPORT) appendFileSync(process.env.AGENTS_REPORT, `### ${title}\n${JSON.stringify(value, null, 2)}\n\n`);
}

async function newLink(extra: Record<string, unknown> = {}) {
  const object = await api.upload(file, "dataset.bin");
  return api.createLink({ objectId: object.id, payTo: creator.address, price: "0.02", network, expiresIn: "1h", title: "A dataset", ...extra });
}

/** An agent: the official v2 client (`@x402/fetch` + `@x402/evm`), optionally with the official SIWX client extension. */
function agent(account: Account | LocalAccount, opts: { siwx?: boolean } = {}) {
  const client = new x402Client().register(network as Network, new ExactEvmScheme(account));
  client.setSpendControls({ allowedAssets: [{ network: network as Network, asset }] });
  if (opts.siwx) client.registerExtension(createSIWxClientExtension({ signers: [account] }));
  return { client, fetch: wrapFetchWithPayment(fetch, client) };
}

/** A new 1-of-1 Safe (scripts/lib/smart-accounts.ts), counterfactual until something deploys it. */
function newSafe(): SafeSmartAccount {
  return safeSmartAccount({ owner: privateKeyToAccount(generatePrivateKey()), rpcUrl, chainId: inject("chainId") });
}

/** Mints test USDC (atomic units) to `to` from the token's owner (Hardhat #0). */
async function mint(to: Address, amount: bigint): Promise<void> {
  const owner = createWalletClient({ account: creator, transport: http(rpcUrl), pollingInterval: 50 }).extend(publicActions);
  await owner.waitForTransactionReceipt({
    hash: await owner.writeContract({ address: asset, abi: testUsdcAbi, functionName: "mint", args: [to, amount], chain: null }),
  });
}

/** The SIWX challenge of a fresh 402 of `url`, signed by `account` with the official helpers. */
async function siwxHeaderFor(url: string, account: Account | LocalAccount, challenge?: SIWxExtension): Promise<string> {
  const extension = challenge ?? (paymentRequiredOf(await fetch(url)).extensions![SIGN_IN_WITH_X] as SIWxExtension);
  const chain = extension.supportedChains[0]!;
  return encodeSIWxHeader(await createSIWxPayload({ ...extension.info, chainId: chain.chainId, type: chain.type }, account, url));
}

describe("the 402 challenge", () => {
  it("declares payment-identifier, sign-in-with-x, offer-receipt (signed offers) and, for a listed link, bazaar", async () => {
    const link = await newLink({ listed: true, description: "Hourly prices, 2026" });
    const res = await fetch(link.url);
    expect(res.status).toBe(402);
    const required = paymentRequiredOf(res);
    report("402 of a listed link (PAYMENT-REQUIRED decoded)", required);
    expect(Object.keys(required.extensions!).sort()).toEqual(["bazaar", "offer-receipt", "payment-identifier", "sign-in-with-x"]);

    const siwx = required.extensions![SIGN_IN_WITH_X] as SIWxExtension;
    expect(siwx.supportedChains).toEqual([{ chainId: network, type: "eip191" }]);
    expect(siwx.info).toMatchObject({ domain: new URL(baseUrl).host, uri: link.url, version: "1" });
    expect(() => assertSIWxChallengeBoundToOrigin(siwx.info, link.url)).not.toThrow();
    const again = paymentRequiredOf(await fetch(link.url)).extensions![SIGN_IN_WITH_X] as SIWxExtension;
    expect(again.info.nonce).not.toBe(siwx.info.nonce);

    const [offer] = decodeSignedOffers(extractOffersFromPaymentRequired(required));
    expect(offer!.format).toBe("jws");
    // The JWS kid is a did:web of this deployment: the helper resolves /.well-known/did.json over HTTP.
    const verified = await verifyOfferSignatureJWS(offer!.signedOffer as Parameters<typeof verifyOfferSignatureJWS>[0]);
    expect(verified).toMatchObject({ resourceUrl: link.url, network, asset, payTo: creator.address, amount: "20000" });
    expect(findAcceptsObjectFromSignedOffer(offer!, required.accepts)).toEqual(required.accepts[0]);

    const bazaar = required.extensions!.bazaar as DiscoveryExtension;
    expect(validateDiscoveryExtension(bazaar)).toEqual({ valid: true });
    expect(bazaar.info.input).toMatchObject({ type: "http", method: "GET" });
    expect(bazaar.info.output).toMatchObject({
      type: "file",
      format: "application/octet-stream",
      example: { title: "A dataset", description: "Hourly prices, 2026", mimeType: "application/octet-stream", size: "20000" },
    });

    const unlisted = paymentRequiredOf(await fetch((await newLink()).url));
    expect(Object.keys(unlisted.extensions!).sort()).toEqual(["offer-receipt", "payment-identifier", "sign-in-with-x"]);
  });
});

describe("Sign-In-With-X: an agent buys once and downloads again without paying", () => {
  it("with the official client's SIWX extension: the second fetch is answered from the signature, with Range, and no transfer", async () => {
    const link = await newLink();
    const buyer = hardhat(6);
    const { fetch: agentFetch } = agent(buyer, { siwx: true });
    const before = await usdcBalance(rpcUrl, asset, buyer.address);

    const bought = await agentFetch(link.url);
    expect(bought.status).toBe(200);
    expect(sha256Hex(await bought.arrayBuffer())).toBe(sha256Hex(file));
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before - 20_000n);

    const sent: Request[] = [];
    const recordingFetch = wrapFetchWithPayment(async (input, init) => {
      const request = new Request(input, init);
      sent.push(request.clone());
      return fetch(request);
    }, agent(buyer, { siwx: true }).client);
    const again = await recordingFetch(link.url);
    expect(again.status).toBe(200);
    expect(sha256Hex(await again.arrayBuffer())).toBe(sha256Hex(file));
    expect(again.headers.get("payment-response")).toBeNull();
    expect(sent.map((r) => [r.headers.has("sign-in-with-x"), r.headers.has("payment-signature")])).toEqual([
      [false, false],
      [true, false],
    ]);
    const proof = JSON.parse(Buffer.from(sent[1]!.headers.get("sign-in-with-x")!, "base64").toString("utf8"));
    report("SIWX re-download: the request's SIGN-IN-WITH-X (decoded) and the answer", {
      request: proof,
      answer: { status: again.status, headers: Object.fromEntries(again.headers), bodySha256: sha256Hex(file) },
    });
    expect(proof).toMatchObject({ address: buyer.address, domain: new URL(baseUrl).host, uri: link.url, chainId: network });

    const ranged = await agent(buyer, { siwx: true }).fetch(link.url, { headers: { range: "bytes=100-199" } });
    expect(ranged.status).toBe(206);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(file.slice(100, 200));
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before - 20_000n);
  });

  it("works for a Safe smart account: counterfactual, it pays (ERC-6492), then signs in (ERC-1271) through the official extension", async () => {
    const link = await newLink();
    const safe = newSafe();
    await mint(safe.address, 1_000_000n);
    expect(await safe.isDeployed()).toBe(false);
    const { fetch: agentFetch } = agent(safe, { siwx: true });
    // The extension signs first (ERC-6492, verified on chain: no purchase yet), then the client pays.
    const bought = await agentFetch(link.url);
    expect(bought.status).toBe(200);
    expect(decodePaymentResponseHeader(bought.headers.get("payment-response")!).payer).toBe(safe.address);
    await bought.arrayBuffer();
    expect(await safe.isDeployed()).toBe(true);

    const again = await agentFetch(link.url);
    expect(again.status).toBe(200);
    expect(again.headers.get("payment-response")).toBeNull();
    expect(sha256Hex(await again.arrayBuffer())).toBe(sha256Hex(file));
    // The owner's own signature names the owner, who never bought: no access for it.
    const ownerProof = await fetch(link.url, { headers: { "SIGN-IN-WITH-X": await siwxHeaderFor(link.url, safe.owner) } });
    expect(paymentRequiredOf(ownerProof).error).toBe("siwx_no_purchase");
    expect(await usdcBalance(rpcUrl, asset, safe.address)).toBe(1_000_000n - 20_000n);
  });

  it("verifies a counterfactual Safe's ERC-6492 proof without deploying it, and refuses one claimed for another Safe", async () => {
    const link = await newLink();
    const safe = newSafe();
    const proof = await fetch(link.url, { headers: { "SIGN-IN-WITH-X": await siwxHeaderFor(link.url, safe) } });
    expect(paymentRequiredOf(proof).error).toBe("siwx_no_purchase");
    expect(await safe.isDeployed()).toBe(false);
    const forged = JSON.parse(Buffer.from(await siwxHeaderFor(link.url, newSafe()), "base64").toString("utf8"));
    const claimed = Buffer.from(JSON.stringify({ ...forged, address: safe.address })).toString("base64");
    expect(paymentRequiredOf(await fetch(link.url, { headers: { "SIGN-IN-WITH-X": claimed } })).error).toBe("invalid_siwx_signature");
  });

  it("keeps the buyer's access after the creator revokes the link", async () => {
    const link = await newLink();
    const buyer = hardhat(7);
    expect((await agent(buyer).fetch(link.url)).status).toBe(200);
    const challenge = (await (await fetch(`${baseUrl}/api/access?slug=${link.slug}`)).json())[SIGN_IN_WITH_X] as SIWxExtension;
    expect((await api.call("PATCH", `/api/links/${link.id}`, { revoked: true })).status).toBe(200);
    expect((await fetch(link.url)).status).toBe(410);
    const res = await fetch(link.url, { headers: { "SIGN-IN-WITH-X": await siwxHeaderFor(link.url, buyer, challenge) } });
    expect(res.status).toBe(200);
    expect(sha256Hex(await res.arrayBuffer())).toBe(sha256Hex(file));
  });

  it("opens nothing for a wallet that did not buy, a spent nonce, another link's or another domain's message", async () => {
    const link = await newLink();
    const other = await newLink();
    const buyer = hardhat(8);
    expect((await agent(buyer).fetch(link.url)).status).toBe(200);

    const stranger = await fetch(link.url, { headers: { "SIGN-IN-WITH-X": await siwxHeaderFor(link.url, hardhat(9)) } });
    expect(stranger.status).toBe(402);
    expect(paymentRequiredOf(stranger).error).toBe("siwx_no_purchase");

    const header = await siwxHeaderFor(link.url, buyer);
    const attempts = await Promise.all(Array.from({ length: 8 }, () => fetch(link.url, { headers: { "SIGN-IN-WITH-X": header } })));
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 402, 402, 402, 402, 402, 402, 402]);
    for (const r of attempts) {
      if (r.status === 402) expect(paymentRequiredOf(r).error).toBe("invalid_siwx_nonce");
      await r.arrayBuffer();
    }

    const forOther = await fetch(link.url, { headers: { "SIGN-IN-WITH-X": await siwxHeaderFor(other.url, buyer) } });
    expect(paymentRequiredOf(forOther).error).toBe("invalid_siwx_uri_mismatch");

    const challenge = paymentRequiredOf(await fetch(link.url)).extensions![SIGN_IN_WITH_X] as SIWxExtension;
    const elsewhere = { ...challenge, info: { ...challenge.info, domain: "evil.example", uri: "https://evil.example/l/x" } };
    const chain = elsewhere.supportedChains[0]!;
    const foreign = encodeSIWxHeader(
      await createSIWxPayload({ ...elsewhere.info, chainId: chain.chainId, type: chain.type }, buyer, "https://evil.example/l/x"),
    );
    expect(paymentRequiredOf(await fetch(link.url, { headers: { "SIGN-IN-WITH-X": foreign } })).error).toBe("invalid_siwx_domain_mismatch");

    const forged = JSON.parse(Buffer.from(await siwxHeaderFor(link.url, hardhat(9)), "base64").toString("utf8"));
    const claimed = Buffer.from(JSON.stringify({ ...forged, address: buyer.address })).toString("base64");
    expect(paymentRequiredOf(await fetch(link.url, { headers: { "SIGN-IN-WITH-X": claimed } })).error).toBe("invalid_siwx_signature");
  });

  it("(browser) POST /api/access turns a wallet signature into the receipt cookie; refusals are 4xx with a code", async () => {
    const link = await newLink();
    const buyer = hardhat(5);
    expect((await agent(buyer).fetch(link.url)).status).toBe(200);
    const challengeOf = async () =>
      (await (await fetch(`${baseUrl}/api/access?slug=${link.slug}`)).json())[SIGN_IN_WITH_X] as SIWxExtension;
    const post = (siwx: string) =>
      fetch(`${baseUrl}/api/access`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ slug: link.slug, siwx }) });

    const header = await siwxHeaderFor(link.url, buyer, await challengeOf());
    const res = await post(header);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ payer: getAddress(buyer.address), downloadUrl: `/l/${link.slug}` });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`vend_r_${link.slug}=`))!;
    expect(cookie).toMatch(/HttpOnly/);
    const download = await fetch(link.url, { headers: { cookie: cookie.split(";")[0]! } });
    expect(download.status).toBe(200);
    expect(sha256Hex(await download.arrayBuffer())).toBe(sha256Hex(file));

    const replay = await post(header);
    expect(replay.status).toBe(401);
    expect((await replay.json()).error).toMatchObject({ code: "siwx_invalid", details: { reason: "invalid_siwx_nonce" } });
    const stranger = await post(await siwxHeaderFor(link.url, hardhat(11), await challengeOf()));
    expect(stranger.status).toBe(403);
    expect((await stranger.json()).error.code).toBe("no_purchase");
    expect((await post("not base64 at all!")).status).toBe(401);
    expect((await fetch(`${baseUrl}/api/access?slug=nosuchlink`)).status).toBe(404);
  });
});

describe("payment-identifier with the official client (@x402/fetch) over real HTTP", () => {
  it("after a lost response, the same id and the same payload get the same settlement and the file; another payload with that id gets 409", async () => {
    const link = await newLink();
    const buyer = hardhat(4);
    const id = generatePaymentId("vend_");
    const { client } = agent(buyer);
    let created: PaymentPayload | undefined;
    client.onBeforePaymentCreation(async ({ paymentRequired }) => {
      paymentRequired.extensions ??= {};
      appendPaymentIdentifierToExtensions(paymentRequired.extensions, id);
    });
    client.onAfterPaymentCreation(async ({ paymentPayload }) => {
      created = paymentPayload;
    });
    const agentFetch = wrapFetchWithPayment(fetch, client);
    const before = await usdcBalance(rpcUrl, asset, buyer.address);

    // The paid request goes through our proxy, which lets the app answer and then cuts the connection.
    const losingThePaidResponse: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!request.headers.has("payment-signature")) return fetch(request);
      proxy.dropResponses(1);
      return fetch(new Request(request.url.replace(baseUrl, proxy.url), request));
    };
    await expect(wrapFetchWithPayment(losingThePaidResponse, client)(link.url)).rejects.toThrow();
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before - 20_000n);

    const headers = new x402HTTPClient(client).encodePaymentSignatureHeader(created!);
    const first = await fetch(link.url, { headers });
    const second = await fetch(link.url, { headers });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(sha256Hex(await first.arrayBuffer())).toBe(sha256Hex(file));
    expect(sha256Hex(await second.arrayBuffer())).toBe(sha256Hex(file));
    expect(second.headers.get("payment-response")).toBe(first.headers.get("payment-response"));
    const settlement = decodePaymentResponseHeader(first.headers.get("payment-response")!);
    report("payment-identifier replay: the same PAYMENT-SIGNATURE after a lost response (PAYMENT-RESPONSE decoded)", {
      paymentIdentifier: id,
      status: first.status,
      settlement,
    });
    expect(settlement).toMatchObject({ success: true, payer: getAddress(buyer.address), network });
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before - 20_000n);

    const conflict = await agentFetch(link.url);
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.code).toBe("payment_identifier_conflict");
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(before - 20_000n);
  });
});

describe("offer-receipt: every settlement carries the deployment's signed receipt", () => {
  it("is verified by the client helpers against the did:web key, matches the signed offer, and is the same on a replay", async () => {
    const link = await newLink();
    const buyer = hardhat(3);
    const required = paymentRequiredOf(await fetch(link.url));
    const [offer] = decodeSignedOffers(extractOffersFromPaymentRequired(required));
    const { client } = agent(buyer);
    const id = generatePaymentId("vend_");
    client.onBeforePaymentCreation(async ({ paymentRequired }) => {
      appendPaymentIdentifierToExtensions((paymentRequired.extensions ??= {}), id);
    });
    const res = await wrapFetchWithPayment(fetch, client)(link.url);
    expect(res.status).toBe(200);
    await res.arrayBuffer();

    const receipt = extractReceiptFromResponse(res) as JWSSignedReceipt;
    expect(receipt.format).toBe("jws");
    const payload = await verifyReceiptSignatureJWS(receipt);
    report("offer-receipt: the receipt in PAYMENT-RESPONSE, verified by verifyReceiptSignatureJWS", { receipt, verifiedPayload: payload });
    const { transaction } = decodePaymentResponseHeader(res.headers.get("payment-response")!);
    expect(payload).toMatchObject({ version: 1, network, resourceUrl: link.url, payer: getAddress(buyer.address), transaction });
    expect(verifyReceiptMatchesOffer(receipt, offer!, [buyer.address])).toBe(true);

    const did = await (await fetch(`${baseUrl}/.well-known/did.json`)).json();
    expect(did.verificationMethod[0]).toMatchObject({ type: "JsonWebKey2020", publicKeyJwk: { kty: "OKP", crv: "Ed25519" } });

    const tampered = { ...receipt, signature: receipt.signature.replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ ...payload, payer: creator.address })).toString("base64url")}.`) };
    await expect(verifyReceiptSignatureJWS(tampered)).rejects.toThrow();

    const detail = await (await api.call("GET", `/api/links/${link.id}`)).json();
    expect(detail.salesList[0].offerReceipt).toEqual(receipt);
  });

  it("comes back in POST /api/purchases for the pay page to keep", async () => {
    const link = await newLink();
    const required = paymentRequiredOf(await fetch(link.url));
    const { client } = agent(hardhat(2));
    const payload = await client.createPaymentPayload(required);
    const header = new x402HTTPClient(client).encodePaymentSignatureHeader(payload)["PAYMENT-SIGNATURE"]!;
    const res = await fetch(`${baseUrl}/api/purchases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: link.slug, payment: header }),
    });
    expect(res.status).toBe(200);
    const { offerReceipt } = await res.json();
    expect(await verifyReceiptSignatureJWS(offerReceipt)).toMatchObject({ resourceUrl: link.url, payer: getAddress(hardhat(2).address) });
  });
});

describe("discovery: listed links, the catalog and llms.txt", () => {
  it("lists only listed links that sell, per deployment and per creator, paginated; unlisted links appear nowhere", async () => {
    const listedA = await newLink({ listed: true, title: "Catalog A" });
    const listedB = await newLink({ listed: true, title: "Catalog B" });
    const unlisted = await newLink({ title: "Secret C" });
    const later = await newLink({ title: "Listed later" });
    const patched = await api.call("PATCH", `/api/links/${later.id}`, { listed: true });
    expect((await patched.json()).listed).toBe(true);

    const all = await (await fetch(`${baseUrl}/api/catalog?limit=100`)).json();
    const resources = all.items.map((i: { resource: string }) => i.resource);
    expect(resources).toEqual(expect.arrayContaining([listedA.url, listedB.url, later.url]));
    expect(resources).not.toContain(unlisted.url);
    const itemA = all.items.find((i: { resource: string }) => i.resource === listedA.url);
    expect(itemA).toMatchObject({ type: "http", x402Version: 2, title: "Catalog A", size: "20000", price: "0.02", network, creator: creator.address });
    expect(itemA.accepts).toEqual(paymentRequiredOf(await fetch(listedA.url)).accepts);

    const page1 = await (await fetch(`${baseUrl}/api/catalog?limit=1`)).json();
    report("catalog page (GET /api/catalog?limit=1)", page1);
    expect(page1.items).toHaveLength(1);
    const page2 = await (await fetch(`${baseUrl}/api/catalog?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2.items[0].resource).not.toBe(page1.items[0].resource);

    const mine = await (await fetch(`${baseUrl}/api/catalog/${creator.address.toLowerCase()}`)).json();
    expect(mine.items.map((i: { resource: string }) => i.resource)).toContain(listedA.url);
    expect((await (await fetch(`${baseUrl}/api/catalog/${hardhat(15).address}`)).json()).items).toEqual([]);
    expect((await fetch(`${baseUrl}/api/catalog/not-an-address`)).status).toBe(404);

    await api.call("PATCH", `/api/links/${listedB.id}`, { listed: false });
    await api.call("PATCH", `/api/links/${later.id}`, { revoked: true });
    const after = (await (await fetch(`${baseUrl}/api/catalog?limit=100`)).json()).items.map((i: { resource: string }) => i.resource);
    expect(after).toContain(listedA.url);
    expect(after).not.toContain(listedB.url);
    expect(after).not.toContain(later.url);

    const llms = await fetch(`${baseUrl}/llms.txt`);
    expect(llms.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await llms.text();
    expect(text).toContain(listedA.url);
    expect(text).toContain("SIGN-IN-WITH-X");
    expect(text).not.toContain(unlisted.url);
    expect(text).not.toContain(listedB.url);
  });
});
