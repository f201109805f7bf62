import { expect, test } from "@playwright/test";
import { forEachPage, horizontalOverflow, openPage, screenshot, seed, signInAsTestCreator, type Seeded } from "./fixtures/pages";

/**
 * No page is wider than a 390 px phone screen (the width of an iPhone 14), nor than a 1280 px
 * desktop: the document never scrolls sideways, with real data on every dashboard page, its dialogs
 * open, and the pay page's main state. Screenshots of each page at both widths go to
 * e2e/screenshots/.
 */

test.describe.configure({ mode: "serial" });
test.use({ baseURL: process.env.E2E_BASE_URL });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
let seeded: Seeded;

test.beforeAll(async () => {
  seeded = await seed();
});

test("no page scrolls sideways at 390 px", async ({ page }) => {
  test.setTimeout(240_000);
  await forEachPage(page, seeded, async (p) => {
    await page.setViewportSize(PHONE);
    await openPage(page, p);
    expect(await horizontalOverflow(page), `${p.path} is wider than 390 px`).toBeLessThanOrEqual(0);
    await screenshot(page, `${p.name}-phone`);
    await page.setViewportSize(DESKTOP);
    expect(await horizontalOverflow(page), `${p.path} is wider than 1280 px`).toBeLessThanOrEqual(0);
    await screenshot(page, `${p.name}-desktop`);
  });
});

test("dialogs fit a 390 px screen", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signInAsTestCreator(page, "/dashboard/links");
  await page.getByRole("button", { name: /^QR code of Field notes/ }).first().click();
  const share = page.getByRole("dialog", { name: "Share this link" });
  await expect(share.getByTestId("qr-code")).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await screenshot(page, "links-qr-phone");
  await page.keyboard.press("Escape");

  await page.goto("/dashboard/settings");
  await page.getByPlaceholder("Key name, e.g. pricing bot").fill("overflow check");
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Your new API key" });
  const curl = dialog.getByTestId("api-key-curl");
  await expect(curl).toBeVisible();
  // The curl line wraps inside its box: nothing hides under the copy button or scrolls.
  expect(await curl.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  const copy = await dialog.getByRole("button", { name: "Copy curl command" }).boundingBox();
  const box = await curl.boundingBox();
  expect(copy!.y + copy!.height).toBeLessThanOrEqual(box!.y);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await screenshot(page, "settings-key-created-phone");
  await dialog.getByRole("button", { name: "I’ve copied it" }).click();
  const row = page.getByTestId("api-key-row").filter({ hasText: "overflow check" });
  await row.getByRole("button", { name: "Revoke key overflow check" }).click();
  await page.getByRole("dialog", { name: "Revoke “overflow check”?" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toHaveAttribute("data-revoked", "true");
});
