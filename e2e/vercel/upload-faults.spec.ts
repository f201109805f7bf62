import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { dashboardEnv, hardhat, signInThroughUi, wallet } from "../fixtures/creator";

/**
 * Direct uploads when the network misbehaves, on the Vercel-shaped stack with the real s3rver:
 * faults are injected in the browser's requests to the bucket (Playwright routes), nothing is mocked
 * on the server side. A part that keeps failing stops the upload with an error; Retry continues with
 * the parts already stored. Cancel aborts the upload and leaves no row.
 */

const MiB = 1024 * 1024;
let dir: string;

test.beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "vend-e2e-faults-"));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, size: number): string {
  const full = path.join(dir, name);
  writeFileSync(full, randomBytes(size));
  return full;
}

async function uploadsInDatabase(): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(`SELECT count(*)::int AS n FROM "Upload"`)).rows[0].n as number;
  } finally {
    await client.end();
  }
}

/** Counts the PUTs of each part number the page sends to the bucket. */
function partPuts(page: Page): Map<number, number> {
  const puts = new Map<number, number>();
  page.on("request", (request) => {
    const part = new URL(request.url()).searchParams.get("partNumber");
    if (request.method() === "PUT" && part) puts.set(Number(part), (puts.get(Number(part)) ?? 0) + 1);
  });
  return puts;
}

test("a part that keeps failing stops the upload; Retry continues with the parts already stored", async ({ browser }) => {
  const env = dashboardEnv();
  const page = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  await wallet(page, env, hardhat(0));
  await signInThroughUi(page, "/dashboard/objects");
  const puts = partPuts(page);
  // The bucket answers 503 to every PUT of part 2 until the route is removed.
  await page.route(/partNumber=2(&|$)/, (route) => route.fulfill({ status: 503, body: "SlowDown" }));

  await page.getByTestId("file-input").setInputFiles(file("flaky-part.bin", 20 * MiB));
  const item = page.getByTestId("upload-item").filter({ hasText: "flaky-part.bin" });
  await expect(item).toHaveAttribute("data-status", "error", { timeout: 60_000 });
  await expect(item.getByRole("alert")).toContainText("retry to continue");
  expect(puts.get(2)).toBeGreaterThan(1);

  await page.unroute(/partNumber=2(&|$)/);
  await item.getByRole("button", { name: "Retry" }).click();
  await expect(item).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  expect(puts.get(1)).toBe(1);
  expect(puts.get(3)).toBe(1);
  await expect(item).toContainText("20 MiB");
});

test("Cancel aborts the upload and leaves no row", async ({ browser }) => {
  const env = dashboardEnv();
  const page = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  await wallet(page, env, hardhat(0));
  await signInThroughUi(page, "/dashboard/objects");
  // Part 2 never gets an answer, so the upload is still running when it is cancelled.
  await page.route(/partNumber=2(&|$)/, () => undefined);
  const before = await uploadsInDatabase();
  const cancelled = page.waitForResponse((res) => res.request().method() === "DELETE" && /\/api\/uploads\/upl_/.test(res.url()));

  await page.getByTestId("file-input").setInputFiles(file("cancel-me.bin", 12 * MiB));
  const item = page.getByTestId("upload-item").filter({ hasText: "cancel-me.bin" });
  await expect.poll(uploadsInDatabase).toBe(before + 1);
  await item.getByRole("button", { name: "Cancel upload of cancel-me.bin" }).click();
  await expect(item).toHaveAttribute("data-status", "cancelled");
  expect((await cancelled).status()).toBe(204);
  expect(await uploadsInDatabase()).toBe(before);
  await page.goto("/dashboard/objects");
  await expect(page.getByTestId("object-row").filter({ hasText: "cancel-me.bin" })).toHaveCount(0);
});
