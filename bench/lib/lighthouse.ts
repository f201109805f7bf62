import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import lighthouse from "lighthouse";
import { CHROMIUM_ARGS, chromiumPath } from "../../tests/support/chromium";
import type { Resources } from "./resources";

/** Lighthouse's scores of one page (0–100) and the metrics behind performance. */
export type LighthouseResult = {
  name: string;
  url: string;
  /** The page Lighthouse ended on: another path means a redirect (e.g. a session the app refused). */
  finalUrl: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  /** Largest Contentful Paint, Total Blocking Time (ms) and Cumulative Layout Shift, as simulated. */
  lcpMs: number;
  tbtMs: number;
  cls: number;
};

/** A page to measure; `cookie` (`name=value`, e.g. a next-auth session) is put in the browser first. */
export type LighthousePage = { name: string; url: string; cookie?: string };

/**
 * Runs Lighthouse 12 (its default: the mobile profile — a Moto G Power-sized screen, simulated slow
 * 4G and 4× CPU slowdown) on each page, one after another, in one headless Chromium
 * (`CHROMIUM_PATH`, else `/usr/bin/chromium`; `bash scripts/ensure-chromium.sh` installs it),
 * started here through Playwright with a DevTools port for Lighthouse, and stopped at the end (or
 * by `resources` on Ctrl-C). Categories: performance, accessibility, best practices.
 *
 * A signed-in page gets its session cookie in the browser's cookie jar, not as an extra request
 * header: the dashboard's wallet library writes cookies of its own, and the browser then sends its
 * jar instead of the extra header, so the API calls would be anonymous. Lighthouse's storage reset
 * would drop that cookie, so for such a page it is turned off and the HTTP cache is cleared here
 * instead (every page is measured cold). A run Lighthouse itself fails (`runtimeError`, e.g.
 * NO_NAVSTART on a loaded machine) is made again, up to 3 times per page.
 * @throws Error when a page still fails on the third run, or there is no Chromium.
 */
export async function runLighthouse(
  pages: LighthousePage[],
  opts: { port: number; resources: Resources; log: (line: string) => void },
): Promise<LighthouseResult[]> {
  const { port, resources, log } = opts;
  const ensure = spawnSync("bash", [path.resolve(import.meta.dirname, "../../scripts/ensure-chromium.sh")], { stdio: "inherit" });
  if (ensure.status !== 0) throw new Error("no Chromium for Lighthouse");
  const profile = await mkdtemp(path.join(os.tmpdir(), "vend-lighthouse-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`],
  });
  resources.add("chromium", async () => {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  });
  try {
    const results: LighthouseResult[] = [];
    for (const page of pages) {
      // Lighthouse fails a run now and then on a loaded machine (e.g. NO_NAVSTART: "Please run
      // Lighthouse again"): such a page is measured again, up to 3 times in all.
      let run: Awaited<ReturnType<typeof lighthouse>>;
      for (let attempt = 1; ; attempt++) {
        if (page.cookie) {
          const at = page.cookie.indexOf("=");
          await browser.addCookies([{ name: page.cookie.slice(0, at), value: page.cookie.slice(at + 1), url: page.url }]);
          const tab = browser.pages()[0] ?? (await browser.newPage());
          await (await browser.newCDPSession(tab)).send("Network.clearBrowserCache");
        }
        run = await lighthouse(page.url, {
          port,
          logLevel: "error",
          onlyCategories: ["performance", "accessibility", "best-practices"],
          disableStorageReset: Boolean(page.cookie),
        });
        if (!run) throw new Error(`Lighthouse returned nothing for ${page.url}`);
        const failed = run.lhr.runtimeError;
        if (!failed) break;
        if (attempt === 3) throw new Error(`Lighthouse on ${page.url}: ${failed.code} ${failed.message}`);
        log(`  ${page.name}: Lighthouse failed (${failed.code}), measuring again`);
      }
      const { categories, audits } = run.lhr;
      const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
      const result: LighthouseResult = {
        name: page.name,
        url: page.url,
        finalUrl: run.lhr.finalDisplayedUrl,
        performance: score("performance"),
        accessibility: score("accessibility"),
        bestPractices: score("best-practices"),
        lcpMs: audits["largest-contentful-paint"]?.numericValue ?? NaN,
        tbtMs: audits["total-blocking-time"]?.numericValue ?? NaN,
        cls: audits["cumulative-layout-shift"]?.numericValue ?? NaN,
      };
      results.push(result);
      const landed = new URL(result.finalUrl).pathname;
      if (landed !== new URL(page.url).pathname) log(`  warning: ${page.name} ended on ${landed}: these scores are that page's`);
      log(
        `  ${page.name}: performance ${result.performance}, accessibility ${result.accessibility}, best practices ${result.bestPractices} ` +
          `(LCP ${Math.round(result.lcpMs)} ms, TBT ${Math.round(result.tbtMs)} ms, CLS ${result.cls.toFixed(3)})`,
      );
    }
    return results;
  } finally {
    await resources.stopOne("chromium");
  }
}
