import { expect, test } from "@playwright/test";
import { verifyReceiptSignatureJWS, type JWSSignedReceipt } from "@x402/extensions/offer-receipt";
import { getAddress } from "viem";
import { installWallet } from "./fixtures/wallet";
import { balanceOf, buyFromCode, Creator, downloadedBytes, e2eEnv, hardhat, shot, waitForPanel, type E2EEnv } from "./fixtures/pay";

/**
 * Issue 13 on the pay page: a buyer who paid from code comes back in the browser with a wallet
 * signature ("Already paid? Sign with your wallet", x402 Sign-In-With-X), and a buyer who pays on
 * the page can keep the deployment's signed receipt (x402 offer-receipt).
 */
let env: E2EEnv;
let creator: Creator;

test.beforeAll(async () => {
  env = e2eEnv();
  creator = await Creator.create(env);
});

test("a wallet that bought from code signs in on the pay page and downloads, with no new payment", async ({ page }) => {
  const link = await creator.link({ title: "Bought by an agent", price: "0.05" });
  const buyer = hardhat(6);
  await buyFromCode(env, link, buyer);
  const balance = await balanceOf(env, buyer.address);

  await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId, name: "MetaMask" });
  await page.goto(link.payUrl);
  await waitForPanel(page);
  await page.getByRole("button", { name: /MetaMask/ }).click();
  await expect(page.getByTestId("connected-address")).toHaveAttribute("title", buyer.address);
  await page.getByRole("button", { name: "Already paid? Sign with your wallet" }).click();
  await expect(page.getByTestId("already-paid")).toBeVisible();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download-again").click();
  expect(Buffer.from(await downloadedBytes(await downloading)).equals(Buffer.from(link.bytes))).toBe(true);
  await shot(page, "already-paid-signed-in");
  expect(await balanceOf(env, buyer.address)).toBe(balance);
});

test("a wallet that did not buy is told so, and nothing is charged", async ({ page }) => {
  const link = await creator.link({ title: "Not bought yet", price: "0.05" });
  const buyer = hardhat(7);
  const balance = await balanceOf(env, buyer.address);
  await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId, name: "MetaMask" });
  await page.goto(link.payUrl);
  await waitForPanel(page);
  await page.getByRole("button", { name: /MetaMask/ }).click();
  await page.getByRole("button", { name: "Already paid? Sign with your wallet" }).click();
  await expect(page.getByTestId("already-paid-sign-in-error")).toHaveText(/has no settled purchase|has not bought/);
  expect(await balanceOf(env, buyer.address)).toBe(balance);
});

test("after paying on the page, the signed receipt can be kept and verifies against the deployment's key", async ({ page }) => {
  const link = await creator.link({ title: "Keep the receipt", price: "0.05" });
  const buyer = hardhat(8);
  await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId, name: "MetaMask" });
  await page.goto(link.payUrl);
  await waitForPanel(page);
  await page.getByRole("button", { name: /MetaMask/ }).click();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("pay-button").click();
  await downloading;
  await expect(page.getByTestId("keep-receipt")).toBeVisible();
  await shot(page, "keep-receipt");
  const href = await page.getByRole("link", { name: "Save" }).getAttribute("href");
  const kept = JSON.parse(decodeURIComponent(href!.slice(href!.indexOf(",") + 1)))["offer-receipt"] as JWSSignedReceipt;
  expect(await verifyReceiptSignatureJWS(kept)).toMatchObject({ resourceUrl: link.url, payer: getAddress(buyer.address) });
});
