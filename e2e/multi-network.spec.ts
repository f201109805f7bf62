import { expect, test, type Page } from "@playwright/test";
import { createPublicClient, createWalletClient, erc20Abi, http, type Address } from "viem";
import { devnetChain } from "../scripts/lib/devnet";
import { usdcBalance } from "../scripts/lib/agent";
import { Creator, e2eEnv, hardhat, shot, waitForPanel } from "./fixtures/pay";
import { installWallet } from "./fixtures/wallet";

/**
 * A link sold on two networks (two real local chains), bought in Chromium: the pay page reads the
 * buyer's USDC on both, picks the first network where the wallet holds enough, switches the wallet
 * there and settles on that chain; a buyer funded on both pays on the creator's first network.
 */
const env = e2eEnv();
const second = {
  rpcUrl: process.env.E2E_RPC_URL_2!,
  chainId: Number(process.env.E2E_CHAIN_ID_2),
  asset: process.env.E2E_ASSET_2 as Address,
  network: `eip155:${process.env.E2E_CHAIN_ID_2}`,
};
const first = { rpcUrl: env.rpcUrl, chainId: env.chainId, asset: env.asset, network: env.network };
test.use({ baseURL: env.baseUrl });

type Chain = typeof first;
const balance = (chain: Chain, address: Address) => usdcBalance(chain.rpcUrl, chain.asset, address);

/**
 * Gives `to` some USDC on `chain` with a real transfer from Hardhat #9 (funded on both chains; the
 * buyers of this spec are accounts no other spec uses, funded here only where the test needs).
 */
async function fund(chain: Chain, to: Address, amount = 5_000_000n): Promise<void> {
  const wallet = createWalletClient({ account: hardhat(9), chain: devnetChain(chain.chainId, chain.rpcUrl), transport: http(chain.rpcUrl) });
  const hash = await wallet.writeContract({ address: chain.asset, abi: erc20Abi, functionName: "transfer", args: [to, amount] });
  await createPublicClient({ transport: http(chain.rpcUrl) }).waitForTransactionReceipt({ hash });
}

async function buy(page: Page, url: string, payUrl: string) {
  await page.goto(url);
  await expect(page).toHaveURL(payUrl);
  await waitForPanel(page);
  await page.getByRole("button", { name: /MetaMask/ }).click();
  await expect(page.getByTestId("network-choice")).toBeVisible();
}

test("a two-network link is paid where the buyer's wallet holds enough USDC", async ({ page }) => {
  const creator = await Creator.create(env, hardhat(0));
  const created = await creator.call("POST", "/api/objects", new Uint8Array(2048).fill(7), {
    "content-type": "application/pdf",
    "x-filename": "atlas.pdf",
  });
  const object = (await created.json()) as { id: string };
  const res = await creator.call("POST", "/api/links", {
    objectId: object.id,
    payTo: creator.account.address,
    price: "0.35",
    networks: [first.network, second.network],
    expiresIn: "1h",
    title: "Atlas on two chains",
  });
  expect(res.status).toBe(201);
  const link = (await res.json()) as { url: string; slug: string };
  const payUrl = `${env.baseUrl}/pay/${link.slug}`;

  // This buyer holds USDC on the second chain only, and its wallet starts on the first.
  const buyer = hardhat(11);
  await fund(second, buyer.address);
  const before = { buyer: await balance(second, buyer.address), seller: await balance(second, creator.account.address), sellerFirst: await balance(first, creator.account.address) };
  await installWallet(page, { account: buyer, rpcUrl: first.rpcUrl, rpcUrls: { [second.chainId]: second.rpcUrl }, chainId: first.chainId, name: "MetaMask" });
  await buy(page, link.url, payUrl);
  await expect(page.getByTestId("price-networks")).toHaveText(`on Local chain (${first.chainId}) or Local chain (${second.chainId})`);
  await expect(page.locator(`[data-testid="network-option"][data-network="${first.network}"]`)).toHaveAttribute("data-enough", "false");
  await expect(page.locator(`[data-testid="network-option"][data-network="${second.network}"]`)).toHaveAttribute("data-enough", "true");
  await expect(page.locator(`[data-testid="network-option"][data-network="${second.network}"] input`)).toBeChecked();
  await expect(page.getByTestId("wrong-network")).toContainText(`paid on Local chain (${second.chainId})`);
  await shot(page, "multi-network-choice");

  await page.getByTestId("switch-network").click();
  await expect(page.getByTestId("pay-button")).toBeEnabled();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("pay-button").click();
  await downloading;
  await expect(page.getByTestId("pay-success")).toBeVisible();
  await shot(page, "multi-network-paid");
  expect(await balance(second, buyer.address)).toBe(before.buyer - 350_000n);
  expect(await balance(second, creator.account.address)).toBe(before.seller + 350_000n);
  expect(await balance(first, creator.account.address)).toBe(before.sellerFirst);

  const { sales } = (await (await creator.call("GET", `/api/sales?network=${second.network}`)).json()) as { sales: { payer: string; network: string }[] };
  expect(sales.find((s) => s.payer === buyer.address)?.network).toBe(second.network);
});

test("a buyer funded on both is offered the creator's first network and may pay on the other", async ({ page }) => {
  const creator = await Creator.create(env, hardhat(0));
  const link = await creator.link({ price: "0.15", title: "One network" });
  const res = await creator.call("POST", "/api/links", {
    objectId: link.objectId,
    payTo: creator.account.address,
    price: "0.15",
    networks: [second.network, first.network],
    expiresIn: "1h",
  });
  const twoNetworks = (await res.json()) as { url: string; slug: string };
  const buyer = hardhat(12);
  await fund(first, buyer.address);
  await fund(second, buyer.address);
  const before = { second: await balance(second, buyer.address), first: await balance(first, buyer.address) };
  await installWallet(page, { account: buyer, rpcUrl: first.rpcUrl, rpcUrls: { [second.chainId]: second.rpcUrl }, chainId: first.chainId, name: "MetaMask" });
  await buy(page, twoNetworks.url, `${env.baseUrl}/pay/${twoNetworks.slug}`);
  await expect(page.locator(`[data-testid="network-option"][data-network="${second.network}"] input`)).toBeChecked();
  // The buyer prefers the network its wallet is on: pick it, pay there.
  await page.locator(`[data-testid="network-option"][data-network="${first.network}"]`).click();
  await expect(page.getByTestId("pay-button")).toBeEnabled();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("pay-button").click();
  await downloading;
  await expect(page.getByTestId("pay-success")).toBeVisible();
  expect(await balance(first, buyer.address)).toBe(before.first - 150_000n);
  expect(await balance(second, buyer.address)).toBe(before.second);

  // A one-network link shows no choice (the panel opens by itself for this returning buyer's wallet).
  await page.goto(link.url);
  await expect(page.getByTestId("wallet-ready")).toBeVisible();
  await expect(page.getByTestId("network-choice")).toHaveCount(0);
});
