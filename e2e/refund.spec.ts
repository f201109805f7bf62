import { expect, test } from "@playwright/test";
import { dashboardEnv, shots, signInThroughUi, wallet } from "./fixtures/creator";
import { balanceOf, buyFromCode, Creator, e2eEnv, hardhat } from "./fixtures/pay";

/**
 * Refunding a sale from the dashboard in Chromium: the creator opens the sale from the sales list,
 * the payee wallet (the injected test wallet, signing through the local node) sends the USDC back
 * on the real chain, and the sale shows refunded — in its page, the list, the totals and the chart —
 * once Vend has checked the transfer.
 */
test.describe.configure({ mode: "serial" });

const env = e2eEnv();
test.use({ baseURL: env.baseUrl });
const creatorAccount = hardhat(7);
const buyer = hardhat(8);

test("a creator refunds a sale with the payee wallet", async ({ page }) => {
  const creator = await Creator.create(env, creatorAccount);
  const link = await creator.link({ price: "0.4", title: `Refundable ${Date.now().toString(36)}` });
  await buyFromCode(env, link, buyer);

  await wallet(page, dashboardEnv(), creatorAccount);
  await signInThroughUi(page, "/dashboard/sales");
  await expect(page.getByTestId("sales-total-refunded")).toContainText("0.00");
  await page.getByRole("link", { name: /Sale of 0\.40 USDC: details/ }).first().click();
  await expect(page).toHaveURL(/\/dashboard\/sales\/pay_/);
  await expect(page.getByText("Settled", { exact: true })).toBeVisible();
  const refundButton = page.getByRole("button", { name: "Refund 0.40 USDC" });
  await expect(refundButton).toBeEnabled();
  await shots(page, "sale-refund");

  const [buyerBefore, payeeBefore] = await Promise.all([balanceOf(env, buyer.address), balanceOf(env, creatorAccount.address)]);
  await refundButton.click();
  await page.getByRole("dialog").getByRole("button", { name: "Send refund" }).click();
  await expect(page.getByTestId("refund-details")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText("Refunded", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("refund-details")).toContainText("0.40 USDC");
  expect(await balanceOf(env, buyer.address)).toBe(buyerBefore + link.amount);
  expect(await balanceOf(env, creatorAccount.address)).toBe(payeeBefore - link.amount);
  await shots(page, "sale-refunded");

  await page.getByRole("link", { name: "Sales", exact: true }).first().click();
  await expect(page.getByTestId("sale-refunded").first()).toBeVisible();
  await expect(page.getByTestId("sales-total-refunded")).toContainText("0.40");
  await expect(page.getByTestId("sales-total-net")).toContainText("0.00");
  await expect(page.getByTestId("chart-refunded")).toContainText("0.40 USDC refunded");
});

test("a refund sent from elsewhere is recorded from its hash, and a wrong one is explained", async ({ page }) => {
  const creator = await Creator.create(env, creatorAccount);
  const link = await creator.link({ price: "0.3" });
  await buyFromCode(env, link, buyer);
  await wallet(page, dashboardEnv(), creatorAccount);
  await signInThroughUi(page, "/dashboard/sales");
  await page.getByRole("link", { name: /Sale of 0\.30 USDC: details/ }).first().click();
  const field = page.getByLabel("Refunded from elsewhere? Its transaction hash");
  await field.fill(`0x${"cd".repeat(32)}`);
  await page.getByRole("button", { name: "Record refund" }).click();
  await expect(page.getByText(/knows no transaction 0xcdcdcd/)).toBeVisible();
  await expect(page.getByText("Settled", { exact: true })).toBeVisible();
});
