import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { hardhatAccount } from "../../scripts/lib/devnet";
import { createApiKey, creatorApi, hardhat, signIn, usdcBalance } from "../support/client";
import { runReadmeSnippet } from "../support/readme-snippets";

/**
 * README "Buying from code": every snippet, extracted from the README and run as written (tsx or
 * bash) against the built app on the local chain, with only `LINK`, `PRIVATE_KEY` and `USDC` set.
 * The v1 snippet needs a chain named base-sepolia: tests/api/v1-http.test.ts runs it.
 */
const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const asset = inject("asset");
const network = `eip155:${inject("chainId")}`;
const creator = hardhat(0);

let api: ReturnType<typeof creatorApi>;
beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
});

async function newLink() {
  const object = await api.upload(new Uint8Array(randomBytes(5_000)), "report.pdf", "application/pdf");
  return api.createLink({ objectId: object.id, payTo: creator.address, price: "0.01", network, expiresIn: "1h" });
}

const run = async (name: string, buyer: number, link: { url: string }) => {
  const result = await runReadmeSnippet(name, { LINK: link.url, PRIVATE_KEY: hardhatAccount(buyer).privateKey, USDC: asset });
  expect(result.code, `${name}: ${result.stderr}`).toBe(0);
  return result.stdout;
};

describe("README: Buying from code", () => {
  it("v2-buy pays with the official client and gets the file", async () => {
    const link = await newLink();
    const before = await usdcBalance(rpcUrl, asset, hardhat(9).address);
    expect(await run("v2-buy", 9, link)).toMatch(/^200 attachment; .*report\.pdf.* 5000 bytes$/m);
    expect(await usdcBalance(rpcUrl, asset, hardhat(9).address)).toBe(before - 10_000n);
  });

  it("siwx pays once, then comes back with a signature only", async () => {
    const link = await newLink();
    const before = await usdcBalance(rpcUrl, asset, hardhat(8).address);
    expect(await run("siwx", 8, link)).toBe("buy 200 paid\ncome back 200 no payment\n");
    expect(await usdcBalance(rpcUrl, asset, hardhat(8).address)).toBe(before - 10_000n);
  });

  it("payment-identifier sends the same payment again and is charged once", async () => {
    const link = await newLink();
    const before = await usdcBalance(rpcUrl, asset, hardhat(7).address);
    expect(await run("payment-identifier", 7, link)).toBe("200 200 true\n");
    expect(await usdcBalance(rpcUrl, asset, hardhat(7).address)).toBe(before - 10_000n);
  });

  it("curl shows the decoded 402 challenge", async () => {
    const link = await newLink();
    const challenge = JSON.parse(await run("curl", 6, link));
    expect(challenge).toMatchObject({ x402Version: 2, resource: { url: link.url }, accepts: [{ network, amount: "10000" }] });
    expect(Object.keys(challenge.extensions)).toEqual(expect.arrayContaining(["payment-identifier", "sign-in-with-x", "offer-receipt"]));
  });
});
