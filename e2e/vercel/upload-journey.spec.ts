import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { expect, test } from "@playwright/test";
import { dashboardEnv, hardhat, signInThroughUi, wallet } from "../fixtures/creator";
import { balanceOf, waitForPanel } from "../fixtures/pay";

/**
 * The creator and buyer journey on the Vercel-shaped stack (two instances behind a proxy that
 * refuses request bodies over 4.5 MB, S3 storage): a 100 MB file is uploaded from the dashboard
 * straight to the bucket in presigned parts — it could not pass through the proxy — then sold
 * through a link, paid from the pay page and downloaded byte for byte (the receipted download is a
 * redirect to a presigned GET).
 */

const SIZE = 100 * 1024 * 1024;
let dir: string;

test.beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "vend-e2e-100mb-"));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `size` pseudo-random bytes (AES-CTR keystream) and returns their sha256. */
async function bigFile(file: string, size: number): Promise<string> {
  const cipher = createCipheriv("aes-128-ctr", randomBytes(16), randomBytes(16));
  const out = createWriteStream(file);
  const hash = createHash("sha256");
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += zeros.length) {
    const chunk = cipher.update(zeros.subarray(0, Math.min(zeros.length, size - written)));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  out.end();
  await finished(out);
  return hash.digest("hex");
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

test("a 100 MB upload from the dashboard goes straight to the bucket; a buyer pays and downloads the same bytes", async ({ browser }) => {
  const env = dashboardEnv();
  const file = path.join(dir, "survey-scans-100mb.bin");
  const sha256 = await bigFile(file, SIZE);

  const creatorPage = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  await wallet(creatorPage, env, hardhat(0));
  const toBucket: string[] = [];
  const throughApp: string[] = [];
  creatorPage.on("request", (request) => {
    const url = new URL(request.url());
    if (request.method() === "PUT" && url.searchParams.has("partNumber")) toBucket.push(url.searchParams.get("partNumber")!);
    if (request.method() === "POST" && url.pathname === "/api/objects") throughApp.push(request.url());
  });
  await signInThroughUi(creatorPage, "/dashboard/objects");

  await test.step("upload 100 MB with progress", async () => {
    await creatorPage.getByTestId("file-input").setInputFiles(file);
    const item = creatorPage.getByTestId("upload-item").filter({ hasText: "survey-scans-100mb.bin" });
    await expect(item).toHaveAttribute("data-status", "uploading");
    await expect(creatorPage.getByRole("progressbar", { name: "Upload of survey-scans-100mb.bin" })).toBeVisible();
    await expect(item).toHaveAttribute("data-status", "done", { timeout: 240_000 });
    await expect(item).toContainText("100 MiB");
    expect(new Set(toBucket).size).toBe(13);
    expect(throughApp).toEqual([]);
  });

  let linkUrl = "";
  await test.step("create a link for it", async () => {
    await creatorPage.getByTestId("upload-item").getByRole("link", { name: "Create link" }).click();
    await expect(creatorPage).toHaveURL(/\/dashboard\/links\/new\?objectId=obj_/);
    await creatorPage.getByLabel("Price").fill("0.05");
    await creatorPage.getByLabel("Title").fill("Survey scans, 100 MB");
    await creatorPage.getByRole("button", { name: "Create link" }).click();
    await expect(creatorPage.getByRole("heading", { name: "Your link is live" })).toBeVisible();
    linkUrl = await creatorPage.getByTestId("link-url").inputValue();
  });

  await test.step("a buyer pays and downloads the exact bytes", async () => {
    const buyer = hardhat(5);
    const before = await balanceOf({ ...env }, buyer.address);
    const page = await (await browser.newContext({ baseURL: env.baseUrl, acceptDownloads: true })).newPage();
    await wallet(page, env, buyer);
    await page.goto(linkUrl);
    await expect(page).toHaveURL(/\/pay\//);
    await waitForPanel(page);
    await page.getByRole("button", { name: /MetaMask/ }).click();
    await expect(page.getByTestId("balance")).toContainText("USDC");
    const downloading = page.waitForEvent("download", { timeout: 120_000 });
    await page.getByTestId("pay-button").click();
    const download = await downloading;
    await expect(page.getByTestId("pay-success")).toBeVisible();
    expect(download.suggestedFilename()).toBe("survey-scans-100mb.bin");
    const saved = await download.path();
    expect(await sha256Of(saved)).toBe(sha256);
    expect(await balanceOf({ ...env }, buyer.address)).toBe(before - 50_000n);
  });
});
