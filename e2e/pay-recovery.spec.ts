import { expect, test, type Page } from "@playwright/test";
import { installWallet } from "./fixtures/wallet";
import { balanceOf, Creator, downloadedBytes, e2eEnv, hardhat, waitForPanel, type CreatedLink, type E2EEnv } from "./fixtures/pay";

/**
 * Issue 9, item 1, for the pay page: a buyer whose response was lost still gets the file, charged
 * once. The page signs a payment with an x402 payment-identifier (never on chain) and keeps it until
 * the purchase has an answer; posting it again is answered as this buyer's own. Here the server
 * settles the purchase but its answer never reaches the page (Playwright fetches the real response,
 * then cuts the page off), and the buyer then (a) presses Retry, or (b) reloads the page.
 */

let env: E2EEnv;
let creator: Creator;

test.beforeAll(async () => {
  env = e2eEnv();
  creator = await Creator.create(env);
});

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Lets the first `POST /api/purchases` reach the server, then loses its answer on the way back. */
async function loseFirstAnswer(page: Page): Promise<{ served: () => Promise<number> }> {
  let status: (n: number) => void;
  const served = new Promise<number>((r) => (status = r));
  let lost = false;
  await page.route("**/api/purchases", async (route) => {
    if (lost) return route.continue();
    lost = true;
    const answer = await route.fetch();
    status(answer.status());
    await route.abort("connectionreset");
  });
  return { served: () => served };
}

async function openAndPay(page: Page, link: CreatedLink, buyerIndex: number) {
  await installWallet(page, { account: hardhat(buyerIndex), rpcUrl: env.rpcUrl, chainId: env.chainId, name: "MetaMask" });
  await page.goto(link.payUrl);
  await waitForPanel(page);
  await page.getByRole("button", { name: /MetaMask/ }).click();
  await expect(page.getByTestId("balance")).toContainText(/USDC/);
  await page.getByTestId("pay-button").click();
}

test("a lost answer, then Retry: the same payment is posted again and the file downloads; charged once", async ({ page }) => {
  const link = await creator.link({ price: "0.07" });
  const buyer = hardhat(7);
  const before = await balanceOf(env, buyer.address);
  const lost = await loseFirstAnswer(page);
  await openAndPay(page, link, 7);
  expect(await lost.served()).toBe(200);
  await expect(page.getByTestId("retry-submit")).toBeVisible();
  expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);

  const downloading = page.waitForEvent("download");
  await page.getByTestId("retry-submit").click();
  expect(same(await downloadedBytes(await downloading), link.bytes)).toBe(true);
  expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);
});

test("a lost answer, then a reload: the page posts the kept payment again by itself and the file downloads; charged once", async ({ page }) => {
  const link = await creator.link({ price: "0.08" });
  const buyer = hardhat(8);
  const before = await balanceOf(env, buyer.address);
  const lost = await loseFirstAnswer(page);
  await openAndPay(page, link, 8);
  expect(await lost.served()).toBe(200);
  await expect(page.getByTestId("retry-submit")).toBeVisible();

  const downloading = page.waitForEvent("download");
  await page.reload();
  expect(same(await downloadedBytes(await downloading), link.bytes)).toBe(true);
  expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);
});
