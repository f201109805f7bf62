import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { forEachPage, openPage, seed, signInAsTestCreator, type Seeded } from "./fixtures/pages";

/**
 * Accessibility of every page: axe-core finds no serious or critical violation (WCAG 2.x A/AA and
 * best-practice rules) at desktop and phone width, and every visible control can be reached with
 * the Tab key; a keyboard-only creator can create a link, share it and close the dialog.
 */

test.describe.configure({ mode: "serial" });
test.use({ baseURL: process.env.E2E_BASE_URL });

let seeded: Seeded;
test.beforeAll(async () => {
  seeded = await seed();
});

/** Serious and critical axe violations, as "rule: target" lines (readable in a failure). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${v.help}`));
}

/**
 * The visible controls the Tab key never reaches. Radios count once per group (arrow keys move
 * inside it); a visually hidden file input counts as reached (its "Choose files" button opens it).
 */
async function unreachableControls(page: Page): Promise<string[]> {
  const total = await page.evaluate(() => {
    const selector = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1']), [contenteditable='true']";
    const controls = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (el) =>
        !(el as HTMLButtonElement).disabled &&
        el.getClientRects().length > 0 &&
        el.checkVisibility({ visibilityProperty: true }) &&
        !el.closest("[inert]") &&
        !(el instanceof HTMLInputElement && (el.type === "hidden" || (el.type === "file" && el.tabIndex === -1))),
    );
    controls.forEach((el, i) => el.setAttribute("data-control", String(i)));
    return controls.length;
  });
  const reached = new Set<string>();
  await page.locator("body").focus();
  for (let i = 0; i < total * 2 + 10; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => document.activeElement?.getAttribute("data-control") ?? null);
    if (id !== null) {
      if (reached.has(id) && reached.size >= total) break;
      reached.add(id);
    }
  }
  return page.evaluate((seen) => {
    const radios = new Set(
      [...document.querySelectorAll<HTMLInputElement>("input[type=radio][data-control]")].filter((r) => seen.includes(r.dataset.control!)).map((r) => r.name),
    );
    return [...document.querySelectorAll<HTMLElement>("[data-control]")]
      .filter((el) => !seen.includes(el.dataset.control!))
      .filter((el) => !(el instanceof HTMLInputElement && el.type === "radio" && radios.has(el.name)))
      .map((el) => `${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 60)}"`);
  }, [...reached]);
}

test("no serious or critical axe violations on any page, at desktop and phone width", async ({ page }) => {
  test.setTimeout(300_000);
  await forEachPage(page, seeded, async (p) => {
    for (const viewport of [{ width: 1280, height: 860 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      await openPage(page, p);
      expect(await seriousViolations(page), `${p.path} at ${viewport.width} px`).toEqual([]);
    }
  });
});

test("every visible control is reachable with the Tab key", async ({ page }) => {
  test.setTimeout(300_000);
  await forEachPage(page, seeded, async (p) => {
    await openPage(page, p);
    expect(await unreachableControls(page), `unreachable on ${p.path}`).toEqual([]);
  });
});

test("keyboard only: create a link, share it, close the dialog", async ({ page }) => {
  await signInAsTestCreator(page, "/dashboard/links/new");
  await expect(page.getByLabel("Object", { exact: true })).toBeEnabled();
  await page.getByLabel("Object", { exact: true }).focus();
  await page.keyboard.press("ArrowDown");
  await page.getByLabel("Price").focus();
  await page.keyboard.type("1,500");
  await expect(page.getByText("without thousands separators")).toBeVisible();
  for (let i = 0; i < 5; i++) await page.keyboard.press("Backspace");
  await page.keyboard.type("3");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your link is live" })).toBeVisible();

  await page.goto("/dashboard/links");
  const qr = page.getByRole("button", { name: /^QR code of / }).first();
  await qr.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Share this link" });
  await expect(dialog).toBeVisible();
  await expect(dialog.locator(":focus")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(qr).toBeFocused();
});
