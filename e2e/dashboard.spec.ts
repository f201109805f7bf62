import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { getAddress } from "viem";
import {
  buyFromCode,
  cookieHeader,
  dashboardEnv,
  hardhat,
  shots,
  signInThroughUi,
  wallet,
} from "./fixtures/creator";

/**
 * The creator dashboard, end to end, against the production build, the real local chain and a fresh
 * database: SIWE sign-in through the injected wallet, uploads with progress, links with QR codes,
 * a sale paid from code with the official x402 client, CSV export, API keys, and isolation between
 * creators. Screenshots of every page at desktop and phone width go to e2e/screenshots/.
 */

test.describe.configure({ mode: "serial" });

const env = dashboardEnv();
test.use({ baseURL: env.baseUrl });
const creator = hardhat(0);
const buyer = hardhat(1);
const other = hardhat(4);

/** What the first creator made, checked later from the second creator's side. */
const made: { linkId?: string; linkUrl?: string; objectIds: string[] } = { objectIds: [] };

/** The label of a radio choice (the radio itself is visually hidden). */
const choice = (page: Page, text: string) => page.locator("label").filter({ hasText: new RegExp(`^${text}$`) });

const tableReady = (page: Page) => () => page.getByRole("status", { name: "Loading" }).first().waitFor({ state: "detached" });

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.baseUrl });
});

test("an unauthenticated visit goes to sign-in; a rejected signature is explained; signing in comes back", async ({ page }) => {
  const w = await wallet(page, env, creator, true);
  await page.goto("/dashboard/sales?from=2020-01-01");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard%2Fsales%3Ffrom%3D2020-01-01$/);
  await expect(page.getByRole("button", { name: "MetaMask" })).toBeVisible();
  await shots(page, "sign-in");

  await page.getByRole("button", { name: "MetaMask" }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText("Signature cancelled");
  await expect(page.getByTestId("sign-in-error")).toContainText("Nothing was signed");
  expect(w.requests).toContain("personal_sign");

  w.options.rejectSignatures = false;
  await page.getByRole("button", { name: "MetaMask" }).click();
  await expect(page).toHaveURL(/\/dashboard\/sales\?from=2020-01-01$/);
  await expect(page.getByLabel("From", { exact: true })).toHaveValue("2020-01-01");
  await expect(page.getByTestId("signed-in-address").first()).toHaveAttribute("title", getAddress(creator.address));

  // The session is a real next-auth session: the API answers for this creator.
  const res = await page.request.get("/api/settings");
  expect(res.status()).toBe(200);
  expect((await res.json()).address).toBe(getAddress(creator.address));
});

test("a server error on the sign-in nonce is the server's, not the wallet's", async ({ page }) => {
  const w = await wallet(page, env, creator);
  await page.route("**/api/auth/nonce", (route) => route.fulfill({ status: 500, contentType: "application/json", body: "{}" }));
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "MetaMask" }).click();
  const error = page.getByTestId("sign-in-error");
  await expect(error).toContainText("The server could not start a sign-in");
  await expect(error).toContainText("HTTP 500");
  await expect(error).toContainText("Nothing was signed");
  await expect(error).not.toContainText("Could not sign");
  expect(w.requests).not.toContain("personal_sign");
});

test("creator journey: upload, link, QR, sale, CSV, revoke, API key, defaults, delete", async ({ page }) => {
  await wallet(page, env, creator);
  await signInThroughUi(page, "/dashboard");

  await test.step("overview", async () => {
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByTestId("overview-sales")).toBeVisible();
    await shots(page, "overview-start", () => page.getByTestId("overview-sales").waitFor());
  });

  const tag = Date.now().toString(36);
  const fileA = { name: `field notes ${tag}.pdf`, mimeType: "application/pdf", buffer: randomBytes(1_500_000) };
  const fileB = { name: `raw data ${tag}.csv`, mimeType: "text/csv", buffer: randomBytes(1_200_000) };

  await test.step("upload two files at once, with a progress bar each", async () => {
    await page.getByRole("link", { name: "Objects" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Objects" })).toBeVisible();
    // Slow the upload down (DevTools network emulation) so the progress is observable.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 600 * 1024 });
    await page.getByTestId("file-input").setInputFiles([fileA, fileB]);
    const items = page.getByTestId("upload-item");
    await expect(items).toHaveCount(2);
    await expect(page.getByRole("progressbar", { name: `Upload of ${fileA.name}` })).toBeVisible();
    await expect(page.getByRole("progressbar", { name: `Upload of ${fileB.name}` })).toBeVisible();
    // Partial progress is reported while the bytes are still on their way.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[role="progressbar"]')].some((p) => {
        const v = Number(p.getAttribute("aria-valuenow"));
        return v > 0 && v < 100;
      }),
    );
    await shots(page, "objects-uploading");
    await expect(items.and(page.locator('[data-status="done"]'))).toHaveCount(2, { timeout: 60_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    for (const f of [fileA, fileB]) {
      await expect(page.getByRole("progressbar", { name: `Upload of ${f.name}` })).toHaveAttribute("aria-valuenow", "100");
      await expect(page.getByTestId("object-row").filter({ hasText: f.name })).toBeVisible();
    }
    await expect(page.getByTestId("upload-item").first()).toContainText("Uploaded");
  });

  await test.step("an empty file is refused before it is sent", async () => {
    await page.getByTestId("file-input").setInputFiles([{ name: `empty ${tag}.txt`, mimeType: "text/plain", buffer: Buffer.alloc(0) }]);
    const item = page.getByTestId("upload-item").filter({ hasText: `empty ${tag}.txt` });
    await expect(item).toContainText("Empty file (0 bytes)");
    await expect(page.getByTestId("object-row").filter({ hasText: `empty ${tag}.txt` })).toHaveCount(0);
  });

  await test.step("search and copy a DataItem id", async () => {
    await page.getByRole("searchbox", { name: "Search objects" }).fill(`raw data ${tag}`);
    await expect(page.getByTestId("object-row")).toHaveCount(1);
    await page.getByRole("button", { name: `Copy DataItem id of ${fileB.name}` }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.getByRole("searchbox", { name: "Search objects" }).fill("");
    await expect(page.getByTestId("object-row").filter({ hasText: fileA.name })).toBeVisible();
    await shots(page, "objects", tableReady(page));
  });

  let linkUrl = "";
  await test.step("create a link from an object, with field validation", async () => {
    await page.getByRole("link", { name: `Create link for ${fileA.name}` }).click();
    await expect(page).toHaveURL(/\/dashboard\/links\/new\?objectId=obj_/);
    const objectSelect = page.getByLabel("Object", { exact: true });
    await expect(objectSelect.locator("option:checked")).toContainText(fileA.name);
    await expect(page.getByLabel("Payee address")).toHaveValue(getAddress(creator.address));

    await page.getByLabel("Price").fill("0.1234567");
    await page.getByLabel("Payee address").fill("0x1234");
    await page.getByRole("button", { name: "Create link" }).click();
    await expect(page.getByText("USDC has 6 decimals: use at most 6 digits after the point.")).toBeVisible();
    await expect(page.getByText("Enter a valid EVM address (0x followed by 40 hex characters).")).toBeVisible();
    await expect(page.getByLabel("Price")).toBeFocused();

    // A zero-address payee and a thousands separator are refused as they are typed, before submitting.
    await page.getByLabel("Payee address").fill(`0x${"0".repeat(40)}`);
    await expect(page.getByText("The payee cannot be the zero address")).toBeVisible();
    await page.getByLabel("Price").fill("1,500");
    await expect(page.getByText("without thousands separators: 1500 or 0.25")).toBeVisible();
    await page.getByRole("button", { name: "Use mine" }).click();
    await page.getByLabel("Price").fill("0.25");
    await expect(page.getByTestId("atomic-amount")).toContainText("250000");
    await page.getByLabel("Title").fill(`Field notes ${tag}`);
    await choice(page, "1 day").click();
    await expect(page.getByTestId("expiry-preview")).toContainText("Expires");
    await choice(page, "Date & time").click();
    await expect(page.getByLabel("Expiry date and time")).toBeVisible();
    // A past expiry shows its error, and no "Expires …" line that contradicts it.
    await page.getByLabel("Expiry date and time").fill("2020-01-01T00:00");
    await expect(page.getByText("The expiry must be in the future.")).toBeVisible();
    await expect(page.getByTestId("expiry-preview")).not.toContainText("Expires");
    await choice(page, "7 days").click();
    await shots(page, "links-new");
    await page.getByRole("button", { name: "Create link" }).click();

    await expect(page.getByRole("heading", { name: "Your link is live" })).toBeVisible();
    await expect(page.getByTestId("qr-code")).toBeVisible();
    linkUrl = await page.getByTestId("link-url").inputValue();
    expect(linkUrl).toMatch(new RegExp(`^${env.baseUrl}/l/[0-9A-Za-z]{22}$`));
    await page.getByRole("button", { name: "Copy link URL" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(linkUrl);
    await shots(page, "links-created", () => page.getByTestId("qr-code").waitFor());
  });

  await test.step("the link is listed with its QR code", async () => {
    await page.getByRole("link", { name: "Links" }).first().click();
    const row = page.getByTestId("link-row").filter({ hasText: `Field notes ${tag}` });
    await expect(row).toBeVisible();
    await expect(row.getByTestId("link-status").first()).toHaveAttribute("data-status", "active");
    await expect(row).toContainText("0.25");
    made.linkId = (await row.getAttribute("data-link-id")) ?? undefined;
    made.linkUrl = linkUrl;
    await shots(page, "links", tableReady(page));
    await row.getByRole("button", { name: `QR code of Field notes ${tag}` }).click();
    const dialog = page.getByRole("dialog", { name: "Share this link" });
    await expect(dialog.getByTestId("qr-code")).toBeVisible();
    await expect(dialog.getByTestId("qr-code")).toHaveAttribute("aria-label", `QR code for ${linkUrl}`);
    await expect(dialog.getByTestId("link-url")).toHaveValue(linkUrl);
    await shots(page, "links-qr");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
  });

  await test.step("a sale appears after the link is bought from code", async () => {
    const bytes = await buyFromCode(env, linkUrl, buyer);
    expect(Buffer.from(bytes).equals(fileA.buffer)).toBe(true);

    await page.getByRole("link", { name: "Sales" }).first().click();
    const row = page.getByTestId("sale-row").filter({ hasText: `Field notes ${tag}` });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("sale-amount")).toHaveText("0.25 USDC");
    await expect(row).toContainText(`${getAddress(buyer.address).slice(0, 6)}…${getAddress(buyer.address).slice(-4)}`);
    await shots(page, "sales", tableReady(page));

    // Filtered to the link: exactly this sale, and its totals.
    await page.getByLabel("Link", { exact: true }).selectOption(made.linkId!);
    await expect(page.getByTestId("sales-total-count")).toHaveText("1");
    await expect(page.getByTestId("sales-total-revenue")).toContainText("0.25");
    await expect(page).toHaveURL(new RegExp(`linkId=${made.linkId}`));
  });

  await test.step("export CSV: the downloaded file holds the sale with the exact amount", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(download.suggestedFilename()).toMatch(/^vend-sales-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await download.path();
    const csv = readFileSync(file!, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "settled_at,payment_id,link_id,link_title,object_name,payer,amount_usdc,amount_atomic,asset,network,network_name,transaction,transaction_url",
    );
    expect(lines).toHaveLength(2);
    const cells = lines[1]!.split(",");
    expect(cells[2]).toBe(made.linkId);
    expect(cells[3]).toBe(`Field notes ${tag}`);
    expect(cells[5]).toBe(getAddress(buyer.address));
    expect(cells[6]).toBe("0.25");
    expect(cells[7]).toBe("250000");
    expect(cells[9]).toBe(env.network);
    expect(cells[11]).toMatch(/^0x[0-9a-f]{64}$/);
  });

  await test.step("overview and link detail show the sale and the x402 challenge", async () => {
    await page.getByRole("link", { name: "Overview" }).first().click();
    await expect(page.getByTestId("sale-row").filter({ hasText: `Field notes ${tag}` })).toBeVisible();
    await shots(page, "overview", () => page.getByTestId("overview-sales").waitFor());

    await page.goto(`/dashboard/links/${made.linkId}`);
    await expect(page.getByRole("heading", { name: `Field notes ${tag}` })).toBeVisible();
    await expect(page.getByTestId("link-sale-row")).toHaveCount(1);
    const challenge = JSON.parse((await page.getByTestId("x402-json").textContent()) ?? "{}");
    expect(challenge.x402Version).toBe(2);
    expect(challenge.accepts[0]).toMatchObject({ amount: "250000", network: env.network, payTo: getAddress(creator.address) });
    // What the gate sends in PAYMENT-REQUIRED, but for the Sign-In-With-X challenge's fresh nonce and times.
    const gate = await fetch(linkUrl);
    expect(gate.status).toBe(402);
    const header = JSON.parse(Buffer.from(gate.headers.get("payment-required")!, "base64").toString("utf8"));
    const settled = (c: { extensions: Record<string, { info: Record<string, unknown> }> }) => {
      const { nonce: _n, issuedAt: _i, expirationTime: _e, ...info } = c.extensions["sign-in-with-x"]!.info;
      return { ...c, extensions: { ...c.extensions, "sign-in-with-x": { ...c.extensions["sign-in-with-x"], info } } };
    };
    expect(settled(challenge)).toEqual(settled(header));
    await page.getByRole("tab", { name: /v1/ }).click();
    expect(JSON.parse((await page.getByTestId("x402-json").textContent()) ?? "{}").x402Version).toBe(1);
    await shots(page, "link-detail", () => page.getByTestId("x402-json").waitFor());
  });

  await test.step("revoke the link, with confirmation", async () => {
    await page.getByRole("link", { name: "Links" }).first().click();
    const row = page.getByTestId("link-row").filter({ hasText: `Field notes ${tag}` });
    await row.getByRole("button", { name: `Revoke Field notes ${tag}` }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke this link?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByTestId("link-status").first()).toHaveAttribute("data-status", "active");

    await row.getByRole("button", { name: `Revoke Field notes ${tag}` }).click();
    await shots(page, "links-revoke-confirm");
    await dialog.getByRole("button", { name: "Revoke link" }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByTestId("link-status").first()).toHaveAttribute("data-status", "revoked");
    await expect(page.getByTestId("toast").filter({ hasText: "Link revoked" })).toBeVisible();
    expect((await fetch(linkUrl)).status).toBe(410);

    await page.getByRole("button", { name: "Revoked", exact: true }).click();
    await expect(page).toHaveURL(/status=revoked/);
    await expect(page.getByTestId("link-row").filter({ hasText: `Field notes ${tag}` })).toBeVisible();
  });

  await test.step("create an API key (shown once, copy), use it, revoke it", async () => {
    await page.getByRole("link", { name: "Settings" }).first().click();
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByText("Give the key a name")).toBeVisible();
    await page.getByPlaceholder("Key name, e.g. pricing bot").fill(`e2e bot ${tag}`);
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Your new API key" });
    await expect(dialog).toBeVisible();
    const secret = (await dialog.getByTestId("api-key-secret").textContent()) ?? "";
    expect(secret).toMatch(/^vend_sk_[A-Za-z0-9_-]{32}$/);
    await dialog.getByRole("button", { name: "Copy API key" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shots(page, "settings-key-created");
    await dialog.getByRole("button", { name: "I’ve copied it" }).click();
    await expect(dialog).toBeHidden();
    // Shown once: the list has the prefix only.
    const row = page.getByTestId("api-key-row").filter({ hasText: `e2e bot ${tag}` });
    await expect(row).toContainText(`${secret.slice(0, 12)}…`);
    await expect(page.getByText(secret)).toHaveCount(0);

    const withKey = () => fetch(`${env.baseUrl}/api/links`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await withKey()).status).toBe(200);

    await row.getByRole("button", { name: `Revoke key e2e bot ${tag}` }).click();
    const confirm = page.getByRole("dialog", { name: `Revoke “e2e bot ${tag}”?` });
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(row).toHaveAttribute("data-revoked", "true");
    await expect(row).toContainText("Revoked");
    expect((await withKey()).status).toBe(401);
  });

  await test.step("default payee and network are validated, checksummed and saved", async () => {
    const payee = page.getByLabel("Default payee");
    await payee.fill("0xnot-an-address");
    await page.getByRole("button", { name: "Save defaults" }).click();
    await expect(page.getByText("Enter a valid EVM address (0x followed by 40 hex characters).")).toBeVisible();
    await payee.fill(hardhat(5).address.toLowerCase());
    await page.getByLabel("Default network").selectOption(env.network);
    await page.getByRole("button", { name: "Save defaults" }).click();
    await expect(page.getByTestId("toast").filter({ hasText: "Defaults saved" })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Default payee")).toHaveValue(getAddress(hardhat(5).address));
    await shots(page, "settings", tableReady(page));
    await page.goto("/dashboard/links/new");
    await expect(page.getByLabel("Payee address")).toHaveValue(getAddress(hardhat(5).address));
    // Put it back for the other specs.
    await page.goto("/dashboard/settings");
    await page.getByLabel("Default payee").fill("");
    await page.getByRole("button", { name: "Save defaults" }).click();
    await expect.poll(async () => (await (await page.request.get("/api/settings")).json()).defaultPayTo).toBeNull();
  });

  await test.step("delete an object, with confirmation", async () => {
    await page.getByRole("link", { name: "Objects" }).first().click();
    const row = page.getByTestId("object-row").filter({ hasText: fileB.name });
    await row.getByRole("button", { name: `Delete ${fileB.name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Delete “${fileB.name}”?` });
    await expect(dialog).toContainText("It has no active links.");
    await dialog.getByRole("button", { name: "Delete object" }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByTestId("object-row").filter({ hasText: fileA.name })).toBeVisible();
    const objects = (await (await page.request.get(`/api/objects?q=${encodeURIComponent(tag)}`)).json()) as { objects: { id: string }[] };
    made.objectIds = objects.objects.map((o) => o.id);
    expect(made.objectIds).toHaveLength(1);
  });

  await test.step("dark theme, keyboard and sign out", async () => {
    await page.getByRole("radio", { name: "Dark theme" }).first().click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await shots(page, "objects-dark", tableReady(page));
    await page.getByRole("link", { name: "Overview" }).first().click();
    await shots(page, "overview-dark", () => page.getByTestId("overview-sales").waitFor());
    await page.getByRole("radio", { name: "Light theme" }).first().click();
    await expect(page.locator("html")).not.toHaveClass(/dark/);

    // The skip link is the first stop for keyboard users.
    await page.reload();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();

    await page.getByRole("button", { name: "Sign out" }).first().click();
    await expect(page).toHaveURL(/\/sign-in/);
    const res = await page.request.get("/api/settings");
    expect(res.status()).toBe(401);
  });
});

test("a second creator never sees the first creator's data", async ({ page }) => {
  expect(made.linkId).toBeTruthy();
  await wallet(page, env, other);
  await signInThroughUi(page, "/dashboard/objects");
  await expect(page.getByText("No objects yet")).toBeVisible();
  await expect(page.getByTestId("object-row")).toHaveCount(0);
  await shots(page, "objects-empty", tableReady(page));

  await page.getByRole("link", { name: "Links" }).first().click();
  await expect(page.getByText("No links yet")).toBeVisible();
  await shots(page, "links-empty", tableReady(page));

  await page.getByRole("link", { name: "Sales" }).first().click();
  await expect(page.getByText("No sales yet")).toBeVisible();
  await expect(page.getByTestId("sales-total-count")).toHaveText("0");

  await page.goto(`/dashboard/links/${made.linkId}`);
  await expect(page.getByText("Link not found")).toBeVisible();

  const cookie = await cookieHeader(page);
  const api = (p: string) => fetch(`${env.baseUrl}${p}`, { headers: { cookie } });
  expect((await api(`/api/links/${made.linkId}`)).status).toBe(404);
  expect((await api(`/api/objects/${made.objectIds[0]}`)).status).toBe(404);
  expect((await api(`/api/objects/${made.objectIds[0]}/content`)).status).toBe(404);
  expect(((await (await api("/api/links")).json()) as { links: unknown[] }).links).toHaveLength(0);
  expect(((await (await api("/api/sales")).json()) as { totals: { count: number } }).totals.count).toBe(0);
  expect((await (await api(`/api/sales?linkId=${made.linkId}`)).json()).sales).toHaveLength(0);
  const csv = await (await api("/api/sales/export")).text();
  expect(csv.trimEnd().split("\r\n")).toHaveLength(1);
  const revoke = await fetch(`${env.baseUrl}/api/links/${made.linkId}`, {
    method: "PATCH",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ revoked: true }),
  });
  expect(revoke.status).toBe(404);
});
