import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
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

export type LighthousePage = { name: string; url: string; headers?: Record<string, string> };

/** Waits until Chromium's DevTools endpoint answers on `port`. */
async function devtoolsReady(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/json/version`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Chromium's DevTools did not answer on port ${port}`);
}

/**
 * Runs Lighthouse 12 (its default: the mobile profile — a Moto G Power-sized screen, simulated slow
 * 4G and 4× CPU slowdown) on each page, one after another, in one headless Chromium
 * (`CHROMIUM_PATH`, else `/usr/bin/chromium`; `bash scripts/ensure-chromium.sh` installs it) that is
 * started here and stopped at the end (or by `resources` on Ctrl-C). `headers` (e.g. a session
 * `Cookie`) go with every request of that page. Categories: performance, accessibility, best
 * practices.
 */
export async function runLighthouse(
  pages: LighthousePage[],
  opts: { port: number; resources: Resources; log: (line: string) => void },
): Promise<LighthouseResult[]> {
  const { port, resources, log } = opts;
  const ensure = spawnSync("bash", [path.resolve(import.meta.dirname, "../../scripts/ensure-chromium.sh")], { stdio: "inherit" });
  if (ensure.status !== 0) throw new Error("no Chromium for Lighthouse");
  const profile = await mkdtemp(path.join(os.tmpdir(), "vend-lighthouse-"));
  const chromium = spawn(
    chromiumPath,
    ["--headless=new", `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, ...CHROMIUM_ARGS, "about:blank"],
    { stdio: "ignore" },
  );
  resources.add("chromium", async () => {
    if (chromium.exitCode === null) {
      chromium.kill("SIGTERM");
      await new Promise((resolve) => chromium.once("exit", resolve));
    }
    await rm(profile, { recursive: true, force: true });
  });
  try {
    await devtoolsReady(port);
    const results: LighthouseResult[] = [];
    for (const page of pages) {
      const run = await lighthouse(page.url, {
        port,
        logLevel: "error",
        onlyCategories: ["performance", "accessibility", "best-practices"],
        extraHeaders: page.headers ?? null,
      });
      if (!run) throw new Error(`Lighthouse returned nothing for ${page.url}`);
      const { categories, audits, runtimeError } = run.lhr;
      if (runtimeError) throw new Error(`Lighthouse on ${page.url}: ${runtimeError.code} ${runtimeError.message}`);
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
