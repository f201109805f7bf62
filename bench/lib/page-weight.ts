import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

/** Raw and gzip byte counts of a set of JS files. */
export type Bytes = { raw: number; gzip: number; files: number };

/** The JavaScript a browser fetches for one App Router page. */
export type PageWeight = {
  /** Route as served, e.g. `/pay/[slug]`. */
  route: string;
  /** First load: the root main files (framework + runtime) and every segment's entry chunks. */
  firstLoad: Bytes;
  /** First load plus the chunks of `next/dynamic` imports the page starts right after (e.g. the wallet panel). */
  withLazy: Bytes;
};

/** The reference bundle: `@x402/paywall`'s EVM paywall. */
export type PaywallReference = { raw: number; gzip?: number; source: string };

function measure(nextDir: string, files: Iterable<string>): Bytes {
  let raw = 0;
  let gzip = 0;
  let count = 0;
  for (const file of files) {
    const buf = readFileSync(path.join(nextDir, file));
    raw += buf.length;
    gzip += gzipSync(buf).length;
    count++;
  }
  return { raw, gzip, files: count };
}

function readRscManifest(file: string, key: string): { entryJSFiles?: Record<string, string[]> } {
  const sandbox: { __RSC_MANIFEST?: Record<string, unknown> } = {};
  vm.runInNewContext(readFileSync(file, "utf8"), sandbox);
  return (sandbox.__RSC_MANIFEST?.[key] ?? {}) as { entryJSFiles?: Record<string, string[]> };
}

/**
 * First-load JavaScript of the build's App Router pages whose route passes `include`, computed from
 * the build output (Turbopack builds print no sizes): `build-manifest.json` `rootMainFiles` (the
 * `nomodule` polyfills are left out: modern browsers skip them) ∪ the page's client reference
 * manifest `entryJSFiles` (layouts + page); `withLazy` adds the page's `react-loadable-manifest.json`
 * chunks (`next/dynamic`). Sizes are bytes on disk and gzip (zlib default level) per file, summed.
 * @throws Error when `nextDir` holds no build.
 */
export function pageWeights(nextDir: string, include: (route: string) => boolean): PageWeight[] {
  const routes = JSON.parse(readFileSync(path.join(nextDir, "app-path-routes-manifest.json"), "utf8")) as Record<string, string>;
  const root = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const out: PageWeight[] = [];
  for (const [appPath, route] of Object.entries(routes)) {
    if (!appPath.endsWith("/page") || !include(route)) continue;
    const manifest = path.join(nextDir, "server/app", `${appPath}_client-reference-manifest.js`);
    if (!existsSync(manifest)) continue;
    const entries = readRscManifest(manifest, appPath).entryJSFiles ?? {};
    const first = new Set([...root.rootMainFiles, ...Object.values(entries).flat()]);
    const lazy = new Set(first);
    const loadable = path.join(nextDir, "server/app", appPath, "react-loadable-manifest.json");
    if (existsSync(loadable)) {
      const m = JSON.parse(readFileSync(loadable, "utf8")) as Record<string, { files?: string[] }>;
      for (const entry of Object.values(m)) for (const f of entry.files ?? []) if (f.endsWith(".js")) lazy.add(f);
    }
    out.push({ route, firstLoad: measure(nextDir, first), withLazy: measure(nextDir, lazy) });
  }
  return out.sort((a, b) => a.route.localeCompare(b.route));
}

/**
 * The `@x402/paywall` EVM bundle size: measured (raw + gzip of its `./evm` entry, which inlines the
 * prebuilt single-file app) when the package is installed, else the 3.4 MB its README gives for
 * `/evm` (x402 reference notes §7.6; uncompressed).
 */
export function paywallReference(projectRoot: string): PaywallReference {
  try {
    const require = createRequire(path.join(projectRoot, "package.json"));
    const entry = require.resolve("@x402/paywall/evm");
    const buf = readFileSync(entry);
    return { raw: statSync(entry).size, gzip: gzipSync(buf).length, source: `measured: ${path.relative(projectRoot, entry)}` };
  } catch {
    return { raw: 3.4e6, source: "not installed; 3.4 MB uncompressed for /evm from the @x402/paywall README (reference doc §7.6)" };
  }
}
