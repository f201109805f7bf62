import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { decodePaymentSignatureHeader } from "@x402/core/http";
import { toHex, type Hex } from "viem";
import { paymentRequiredOf, signPayment } from "../tests/support/client";
import { installWallet, smartAccount } from "./fixtures/wallet";
import {
  balanceOf,
  buyFromCode,
  Creator,
  downloadedBytes,
  e2eEnv,
  hardhat,
  shot,
  waitForPanel,
  type CreatedLink,
  type E2EEnv,
} from "./fixtures/pay";

/**
 * The buyer pay page (`/pay/{slug}`), end to end against the real local chain, database and build:
 * a browser opens the shareable link, connects a wallet, pays in USDC on chain and downloads the
 * exact bytes. Every failure state is exercised through the UI and has words.
 * Screenshots of each state go to e2e/screenshots/pay-*.png.
 */

let env: E2EEnv;
let creator: Creator;

test.beforeAll(async () => {
  env = e2eEnv();
  creator = await Creator.create(env);
});

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** An iPhone-sized phone: 390×844 CSS pixels, touch, a mobile Safari user agent. */
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
};

/** Opens the shareable URL (browsers are sent to the pay page), presses Pay and waits for the wallet list. */
async function openPayPage(page: Page, link: CreatedLink) {
  await page.goto(link.url);
  await expect(page).toHaveURL(link.payUrl);
  await waitForPanel(page);
}

/** The injected test wallet's button in the wallet list (announced as "MetaMask" by default). */
const injectedWallet = (page: Page) => page.getByTestId("connect-dev.vend.testwallet");

/**
 * How much wider than the viewport the page is (≤ 0 when it fits). Measured against the emulated
 * viewport's width, not `innerWidth`: a mobile browser zooms out to show an overflowing page, which
 * widens `innerWidth` with it.
 */
const overflow = async (page: Page) => (await page.evaluate(() => document.documentElement.scrollWidth)) - page.viewportSize()!.width;

test.describe("buying", () => {
  test("with an injected wallet: the exact price moves, the exact bytes download, a reload is already paid", async ({ page }) => {
    const link = await creator.link({
      title: "Field notes — volume 3",
      description: "Forty pages of field notes from the 2026 survey, scanned at 600 dpi.",
      price: "0.25",
    });
    const buyer = hardhat(1);
    await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId, name: "MetaMask" });
    const before = { buyer: await balanceOf(env, buyer.address), seller: await balanceOf(env, creator.account.address) };

    await openPayPage(page, link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Field notes — volume 3");
    await expect(page.getByTestId("price")).toHaveText("0.25 USDC");
    await expect(page.getByTestId("file-name")).toHaveText(link.fileName);
    await expect(page.getByTestId("file-size")).toHaveText("146 KiB");
    await expect(page.getByTestId("countdown")).toHaveText(/^\d+ (hours?|minutes?) left$/);
    await shot(page, "connect");

    await injectedWallet(page).click();
    await expect(page.getByTestId("balance")).toContainText(/Balance: [\d,.]+ USDC/);
    await expect(page.getByTestId("connected-address")).toHaveAttribute("title", buyer.address);
    await shot(page, "ready");

    // Hold the submission until the progress screen is captured, then let it through.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/api/purchases", async (route) => {
      await held;
      await route.continue();
    });
    const downloading = page.waitForEvent("download");
    await page.getByTestId("pay-button").click();
    await expect(page.getByTestId("pay-progress")).toHaveAttribute("data-phase", "settling");
    await shot(page, "settling");
    release();

    const download = await downloading;
    await expect(page.getByTestId("pay-success")).toBeVisible();
    await expect(page.getByTestId("transaction")).toHaveText(/^0x[0-9a-f]{8}…[0-9a-f]{8}$/);
    expect(download.suggestedFilename()).toBe(link.fileName);
    expect(same(await downloadedBytes(download), link.bytes)).toBe(true);
    await shot(page, "success");
    expect(await balanceOf(env, buyer.address)).toBe(before.buyer - link.amount);
    expect(await balanceOf(env, creator.account.address)).toBe(before.seller + link.amount);

    // "Download again" while the receipt is valid.
    const again = page.waitForEvent("download");
    await page.getByTestId("download-again").click();
    expect(same(await downloadedBytes(await again), link.bytes)).toBe(true);

    // A reload finds the receipt cookie: already paid, no second transfer, and no second download
    // by itself (the file is fetched again only when asked for).
    await page.unroute("**/api/purchases");
    const fetched: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === `/l/${link.slug}`) fetched.push(r.url());
    });
    for (let i = 0; i < 2; i++) {
      await page.reload();
      await expect(page.getByTestId("already-paid")).toContainText("available until");
    }
    expect(fetched).toEqual([]);
    await expect(page.getByTestId("pay-button")).toHaveCount(0);
    await shot(page, "already-paid");
    const asked = page.waitForEvent("download");
    await page.getByTestId("download-again").click();
    expect(same(await downloadedBytes(await asked), link.bytes)).toBe(true);
    expect(await balanceOf(env, buyer.address)).toBe(before.buyer - link.amount);
    expect(await balanceOf(env, creator.account.address)).toBe(before.seller + link.amount);

    // A receipt outlives the link: revoked after the sale, the buyer still gets their file.
    await creator.revoke(link);
    await page.reload();
    await expect(page.getByTestId("already-paid")).toBeVisible();
    const afterRevoke = page.waitForEvent("download");
    await page.getByTestId("download-again").click();
    expect(same(await downloadedBytes(await afterRevoke), link.bytes)).toBe(true);
  });

  test("with the dev wallet (local chain test account, no extension)", async ({ page }) => {
    const link = await creator.link({ title: "Dev wallet purchase", price: "0.1" });
    const buyer = hardhat(2);
    const before = await balanceOf(env, buyer.address);

    await openPayPage(page, link);
    await expect(injectedWallet(page)).toHaveCount(0);
    await page.getByRole("combobox", { name: "Test account" }).selectOption({ index: 1 }); // Hardhat #2
    await page.getByRole("button", { name: /Test wallet \(local chain\)/ }).click();
    await expect(page.getByTestId("connected-address")).toHaveAttribute("title", buyer.address);
    await expect(page.getByTestId("balance")).toContainText("USDC");
    await shot(page, "dev-wallet");

    const downloading = page.waitForEvent("download");
    await page.getByTestId("pay-button").click();
    const download = await downloading;
    await expect(page.getByTestId("pay-success")).toBeVisible();
    expect(same(await downloadedBytes(download), link.bytes)).toBe(true);
    expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);
  });

  test("a network error after the payment reached the server: retrying is safe and charges once", async ({ page }) => {
    const link = await creator.link({ title: "Flaky connection", price: "0.2" });
    const buyer = hardhat(3);
    await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId });
    const before = await balanceOf(env, buyer.address);

    // The first submission reaches the server (and settles) but its answer never reaches the page.
    let first = true;
    await page.route("**/api/purchases", async (route) => {
      if (!first) return route.continue();
      first = false;
      const response = await route.fetch();
      await response.body();
      await route.abort("connectionreset");
    });
    await openPayPage(page, link);
    await injectedWallet(page).click();
    await page.getByTestId("pay-button").click();
    await expect(page.getByTestId("pay-error-network")).toContainText("retrying is safe");
    await shot(page, "network-error");
    expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);

    const downloading = page.waitForEvent("download");
    await page.getByTestId("retry-submit").click();
    const download = await downloading;
    await expect(page.getByTestId("pay-success")).toContainText("already settled — no new charge");
    expect(same(await downloadedBytes(download), link.bytes)).toBe(true);
    expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);
  });
});

test.describe("failures have words", () => {
  test("a rejected signature charges nothing and can be retried", async ({ page }) => {
    const link = await creator.link({ title: "Rejected signature" });
    const buyer = hardhat(4);
    const wallet = await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId, rejectSignatures: true });
    const before = await balanceOf(env, buyer.address);

    await openPayPage(page, link);
    await injectedWallet(page).click();
    await page.getByTestId("pay-button").click();
    await expect(page.getByTestId("pay-error-rejected")).toContainText("nothing was charged");
    await expect(page.getByTestId("pay-button")).toHaveText(/Try again/);
    await shot(page, "rejected");
    expect(wallet.requests).toContain("eth_signTypedData_v4");
    expect(await balanceOf(env, buyer.address)).toBe(before);

    // Changing their mind: the same button signs again and pays.
    wallet.options.rejectSignatures = false;
    const downloading = page.waitForEvent("download");
    await page.getByTestId("pay-button").click();
    await downloading;
    await expect(page.getByTestId("pay-success")).toBeVisible();
    expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);
  });

  test("an unfunded account stops before signing", async ({ page }) => {
    const link = await creator.link({ title: "Too expensive for an empty wallet", price: "1.5" });
    const broke = hardhat(15);
    const wallet = await installWallet(page, { account: broke, rpcUrl: env.rpcUrl, chainId: env.chainId });
    expect(await balanceOf(env, broke.address)).toBe(0n);

    await openPayPage(page, link);
    await injectedWallet(page).click();
    await expect(page.getByTestId("insufficient-balance")).toContainText("Not enough USDC");
    await expect(page.getByTestId("insufficient-balance")).toContainText("This costs 1.50 USDC");
    await expect(page.getByTestId("pay-button")).toHaveCount(0);
    await expect(page.getByTestId("recheck-balance")).toBeVisible();
    await shot(page, "insufficient-balance");
    expect(wallet.requests).not.toContain("eth_signTypedData_v4");
  });

  test("a wallet on another network: the switch is explained when it fails, then done", async ({ page }) => {
    const link = await creator.link({ title: "Wrong network" });
    const wallet = await installWallet(page, { account: hardhat(5), rpcUrl: env.rpcUrl, chainId: 1, rejectSwitch: true });

    await openPayPage(page, link);
    await injectedWallet(page).click();
    await expect(page.getByTestId("wrong-network")).toContainText("Your wallet is on Ethereum");
    await page.getByTestId("switch-network").click();
    await expect(page.getByTestId("pay-error-wrong_network")).toContainText(`chain ID ${env.chainId}`);
    await shot(page, "wrong-network");

    wallet.options.rejectSwitch = false;
    await page.getByTestId("switch-network").click();
    await expect(page.getByTestId("pay-button")).toBeVisible();
    expect(wallet.requests).toContain("wallet_switchEthereumChain");
  });

  test("a settlement that fails on chain says nothing was charged (stubbed 402)", async ({ page }) => {
    const link = await creator.link({ title: "Settlement failure" });
    const buyer = hardhat(6);
    await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId });
    const before = await balanceOf(env, buyer.address);
    // What the server answers when settle() fails: 402, PAYMENT-RESPONSE success:false, the reason.
    await page.route("**/api/purchases", (route) =>
      route.fulfill({
        status: 402,
        headers: {
          "content-type": "application/json",
          "payment-response": Buffer.from(JSON.stringify({ success: false, errorReason: "invalid_exact_evm_transaction_failed" })).toString("base64"),
        },
        body: JSON.stringify({
          x402Version: 1,
          error: "invalid_exact_evm_transaction_failed",
          accepts: [],
          code: "payment_required",
          message: "Settlement failed (invalid_exact_evm_transaction_failed); nothing was charged.",
        }),
      }),
    );
    await openPayPage(page, link);
    await injectedWallet(page).click();
    await page.getByTestId("pay-button").click();
    await expect(page.getByTestId("pay-error-settlement_failed")).toContainText("nothing was charged");
    await shot(page, "settlement-failed");
    expect(await balanceOf(env, buyer.address)).toBe(before);
  });
});

test.describe("links that cannot sell", () => {
  test("an expired link has its own screen", async ({ page }) => {
    const link = await creator.link({ title: "Short-lived offer", expiresIn: 1 });
    await expect.poll(async () => (await fetch(link.url)).status).toBe(410);
    await page.goto(link.payUrl);
    await expect(page.getByTestId("pay-state-expired")).toContainText("This link has expired");
    await expect(page.getByTestId("pay-state-expired")).toContainText("Short-lived offer");
    await shot(page, "expired");
  });

  test("a link that expires while the page is open switches to the expired screen", async ({ page }) => {
    const link = await creator.link({ title: "Expires while you look", expiresIn: 6 });
    await installWallet(page, { account: hardhat(7), rpcUrl: env.rpcUrl, chainId: env.chainId });
    await openPayPage(page, link);
    await expect(page.getByTestId("countdown")).toHaveText(/^\d seconds? left$/);
    await injectedWallet(page).click();
    await expect(page.getByTestId("pay-state-expired")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("pay-button")).toHaveCount(0);
    await shot(page, "expired-while-open");
    await page.reload();
    await expect(page.getByTestId("pay-state-expired")).toBeVisible();
  });

  test("a revoked link has its own screen", async ({ page }) => {
    const link = await creator.link({ title: "Withdrawn offer" });
    await creator.revoke(link);
    await page.goto(link.payUrl);
    await expect(page.getByTestId("pay-state-revoked")).toContainText("turned off");
    await shot(page, "revoked");
  });

  test("a link revoked while the page is open says so when paying, and charges nothing", async ({ page }) => {
    const link = await creator.link({ title: "Revoked mid-checkout" });
    const buyer = hardhat(8);
    await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId });
    const before = await balanceOf(env, buyer.address);
    await openPayPage(page, link);
    await injectedWallet(page).click();
    await expect(page.getByTestId("pay-button")).toBeVisible();
    await creator.revoke(link);
    await page.getByTestId("pay-button").click();
    await expect(page.getByTestId("pay-state-revoked")).toBeVisible();
    expect(await balanceOf(env, buyer.address)).toBe(before);
  });

  test("a sold-out link has its own screen", async ({ page }) => {
    const link = await creator.link({ title: "Limited edition", maxPurchases: 1, price: "0.05" });
    await buyFromCode(env, link, hardhat(9));
    await page.goto(link.payUrl);
    await expect(page.getByTestId("pay-state-sold_out")).toContainText("Sold out");
    await shot(page, "sold-out");
  });

  test("a link whose file was deleted has its own screen", async ({ page }) => {
    const link = await creator.link({ title: "Removed file" });
    await creator.deleteObject(link);
    await page.goto(link.payUrl);
    await expect(page.getByTestId("pay-state-object_gone")).toContainText("no longer available");
    await shot(page, "object-gone");
  });

  test("an unknown link is a 404", async ({ page }) => {
    const res = await page.goto(`${env.baseUrl}/pay/doesNotExist0000000000`);
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("pay-state-not_found")).toContainText("Payment link not found");
    await shot(page, "not-found");
  });
});

test.describe("the page itself", () => {
  test.describe("on a phone (390×844)", () => {
    test.use(PHONE);

    test("fits the screen, shows the wallet choice above the fold, and pays", async ({ page }) => {
      const link = await creator.link({
        title: "Phone purchase: the complete 2026 photo archive",
        description: "All originals in one ZIP.",
        fileName: "photo-archive-2026.zip",
        contentType: "application/zip",
        price: "0.3",
      });
      const buyer = hardhat(1);
      await installWallet(page, { account: buyer, rpcUrl: env.rpcUrl, chainId: env.chainId });
      const before = await balanceOf(env, buyer.address);
      await openPayPage(page, link);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      const wallet = await injectedWallet(page).boundingBox();
      expect(wallet).not.toBeNull();
      expect(wallet!.y + wallet!.height).toBeLessThanOrEqual(844);
      await shot(page, "phone-connect", false);
      await shot(page, "phone-full");
      await page.getByText("Pay from code").click();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shot(page, "phone-pay-from-code");

      await injectedWallet(page).tap();
      const downloading = page.waitForEvent("download");
      await page.getByTestId("pay-button").tap();
      const download = await downloading;
      await expect(page.getByTestId("pay-success")).toBeVisible();
      expect(same(await downloadedBytes(download), link.bytes)).toBe(true);
      expect(await balanceOf(env, buyer.address)).toBe(before - link.amount);
      await shot(page, "phone-success", false);
    });

    test("without a wallet, offers to open the page in a wallet app", async ({ page }) => {
      const link = await creator.link({ title: "No wallet on this phone" });
      await openPayPage(page, link);
      await expect(page.getByRole("link", { name: "Open in MetaMask" })).toHaveAttribute(
        "href",
        `https://metamask.app.link/dapp/${new URL(link.payUrl).host}/pay/${link.slug}`,
      );
      await expect(page.getByRole("button", { name: /Coinbase Wallet/ })).toBeVisible();
      await expect(page.getByRole("button", { name: /Base Account/ })).toBeVisible();
      await expect(page.getByTestId("connect-metaMaskSDK")).toContainText("Opens the MetaMask app on this phone");
      await shot(page, "phone-no-wallet", false);
    });
  });

  test.describe("in dark mode", () => {
    test.use({ colorScheme: "dark" });

    test("follows the system theme", async ({ page }) => {
      const link = await creator.link({ title: "Night owl edition", description: "Same checkout, dark." });
      await installWallet(page, { account: hardhat(15), rpcUrl: env.rpcUrl, chainId: env.chainId });
      await openPayPage(page, link);
      await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      const background = await page.locator("#pay-title").evaluate((el) => getComputedStyle(el.closest("section")!).backgroundColor);
      expect(background).not.toBe("rgb(255, 255, 255)");
      await shot(page, "dark-connect");
      await injectedWallet(page).click();
      await expect(page.getByTestId("insufficient-balance")).toBeVisible();
      await shot(page, "dark-insufficient");
    });
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the server-rendered details are all there", async ({ page }) => {
      const link = await creator.link({ title: "Readable without scripts", description: "Plain HTML first.", price: "2" });
      await page.goto(link.payUrl);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Readable without scripts");
      await expect(page.getByTestId("price")).toHaveText("2.00 USDC");
      await expect(page.getByTestId("description")).toHaveText("Plain HTML first.");
      await expect(page.getByTestId("file-kind")).toHaveText("PDF");
      await expect(page.getByTestId("payee")).toHaveAttribute("title", creator.account.address);
      await expect(page.getByTestId("countdown")).toHaveText(/^\d+ (hours?|minutes?) left$/);
      await expect(page.getByTestId("pay-start")).toHaveText(`Pay ${await page.getByTestId("price").textContent()}`);
      await page.getByText("Pay from code").click();
      await expect(page.getByTestId("pay-from-code")).toContainText(`curl -i ${link.url}`);
      await expect(page.getByTestId("pay-from-code")).toContainText(`maxAmountPerPayment: "${link.amount}"`);
      await shot(page, "no-js");
    });
  });

  test("the pay-from-code snippet runs as pasted — node pay.mjs — pays the link and saves the file", async ({ page }, testInfo) => {
    const link = await creator.link({ title: "Bought by a script", price: "0.07", fileName: "dataset.csv", contentType: "text/csv" });
    const agent = hardhat(9);
    const before = await balanceOf(env, agent.address);
    await page.goto(link.payUrl);
    await page.getByText("Pay from code").click();
    await expect(page.getByTestId("pay-from-code")).toContainText("JavaScript, Node 20+ ES module (pay.mjs)");
    const code = await page.getByTestId("pay-from-code").locator("pre code").nth(1).textContent();
    const dir = testInfo.outputPath("snippet");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "pay.mjs"), code!);
    const run = spawnSync(process.execPath, ["pay.mjs"], {
      cwd: dir,
      env: { ...process.env, PRIVATE_KEY: toHex(agent.getHdKey().privateKey!) },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(same(new Uint8Array(readFileSync(path.join(dir, "dataset.csv"))), link.bytes)).toBe(true);
    expect(await balanceOf(env, agent.address)).toBe(before - link.amount);
  });

  test("shares well: Open Graph and Twitter tags with an image of the title and price", async ({ page, request }) => {
    const link = await creator.link({ title: "A preview worth clicking: the field guide to self-hosted payments, with every diagram", price: "4.99" });
    await page.goto(link.payUrl);
    await expect(page).toHaveTitle(/A preview worth clicking/);
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", /^A preview worth clicking: the field guide/);
    await expect(page.locator('meta[property="og:description"]')).toHaveAttribute("content", /^4\.99 USDC/);
    await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary_large_image");
    const image = await page.locator('meta[property="og:image"]').getAttribute("content");
    expect(image).toContain(`/pay/${link.slug}/opengraph-image`);
    await expect(page.locator('meta[name="twitter:image"]')).toHaveAttribute("content", image!);
    const res = await request.get(image!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("image/png");
    const png = await res.body();
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    await page.goto(image!);
    await shot(page, "og-image", false);
  });
});

for (const [name, device] of [
  ["desktop", { viewport: { width: 1280, height: 800 } }],
  ["phone", PHONE],
] as const) {
  test.describe(`a smart-wallet buyer (${name}, ${device.viewport.width}×${device.viewport.height})`, () => {
    test.use(device);

    test("pays from a counterfactual Safe: its wallet signs ERC-6492, the Safe is deployed, then charged once", async ({ page }) => {
      const link = await creator.link({ title: `Bought from a smart wallet (${name})`, price: "0.4" });
      const safe = await smartAccount({ rpcUrl: env.rpcUrl, chainId: env.chainId, asset: env.asset, amount: 1_000_000n });
      const wallet = await installWallet(page, { account: safe, rpcUrl: env.rpcUrl, chainId: env.chainId, name: "Smart Wallet" });
      expect(await safe.isDeployed()).toBe(false);

      await openPayPage(page, link);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shot(page, `smart-${name}-connect`, name === "desktop");
      await injectedWallet(page).click();
      await expect(page.getByTestId("connected-address")).toHaveAttribute("title", safe.address);
      await expect(page.getByTestId("balance")).toContainText("Balance: 1.00 USDC");
      await shot(page, `smart-${name}-ready`, name === "desktop");

      const posted = page.waitForRequest("**/api/purchases");
      const downloading = page.waitForEvent("download");
      await page.getByTestId("pay-button").click();
      const { payment } = JSON.parse((await posted).postData()!) as { payment: string };
      const signature = (decodePaymentSignatureHeader(payment).payload as { signature: Hex }).signature;
      expect(signature.endsWith("6492".repeat(16))).toBe(true);
      expect(wallet.requests).toContain("eth_signTypedData_v4");

      const download = await downloading;
      await expect(page.getByTestId("pay-success")).toBeVisible();
      expect(same(await downloadedBytes(download), link.bytes)).toBe(true);
      expect(await safe.isDeployed()).toBe(true);
      expect(await balanceOf(env, safe.address)).toBe(1_000_000n - link.amount);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shot(page, `smart-${name}-success`, name === "desktop");
    });
  });
}

test.describe("every state of the pay page on a phone (390×844)", () => {
  test.use(PHONE);

  test("is never wider than the screen", async ({ page }) => {
    const fits = async (state: string) => {
      expect(await overflow(page), `${state} is wider than the viewport`).toBeLessThanOrEqual(0);
      await shot(page, `phone-state-${state}`);
    };

    const active = await creator.link({
      title: "A rather long title for a phone: the complete annotated field notes of the 2026 survey, volumes one to three",
      description: "A description with a long unbroken token: https://example.org/a/very/long/path/that/does/not/wrap/anywhere/at/all/ok",
      fileName: "field-notes-2026-complete-annotated-edition-with-every-appendix-and-all-the-scans.pdf",
    });
    await installWallet(page, { account: hardhat(15), rpcUrl: env.rpcUrl, chainId: env.chainId });
    await page.goto(active.payUrl);
    await fits("active");
    await page.getByText("Pay from code").click();
    await expect(page.getByTestId("pay-from-code").locator("pre").nth(1)).toBeVisible();
    await fits("active-pay-from-code");
    await waitForPanel(page);
    await fits("active-wallets");
    await injectedWallet(page).click();
    await expect(page.getByTestId("insufficient-balance")).toBeVisible();
    await fits("active-insufficient");

    const expired = await creator.link({ title: "Expired on a phone", expiresIn: 1 });
    const revoked = await creator.link({ title: "Revoked on a phone" });
    await creator.revoke(revoked);
    const soldOut = await creator.link({ title: "Sold out on a phone", maxPurchases: 1, price: "0.05" });
    await buyFromCode(env, soldOut, hardhat(9));
    const gone = await creator.link({ title: "Gone on a phone" });
    await creator.deleteObject(gone);
    await expect.poll(async () => (await fetch(expired.url)).status).toBe(410);
    for (const [state, link] of [["expired", expired], ["revoked", revoked], ["sold_out", soldOut], ["object_gone", gone]] as const) {
      await page.goto(link.payUrl);
      await expect(page.getByTestId(`pay-state-${state}`)).toBeVisible();
      await fits(state);
    }

    await page.goto(`${env.baseUrl}/pay/doesNotExist0000000000`);
    await expect(page.getByTestId("pay-state-not_found")).toBeVisible();
    await fits("not-found");

    // Already paid: the purchase API sets the receipt cookie in this browser.
    const paid = await creator.link({ title: "Already paid on a phone", price: "0.05" });
    const { header } = await signPayment(hardhat(8), paymentRequiredOf(await fetch(paid.url)));
    const res = await page.request.post(`${env.baseUrl}/api/purchases`, { data: { slug: paid.slug, payment: header } });
    expect(res.status()).toBe(200);
    await page.goto(paid.payUrl);
    await expect(page.getByTestId("already-paid")).toBeVisible();
    await fits("already-paid");
  });
});
