/**
 * The Content-Security-Policy of Vend's HTML pages (CSP Level 3), built per request around a fresh
 * nonce: Next.js puts that nonce on its own scripts (it reads the policy from the request), and
 * `'strict-dynamic'` lets them load the app's chunks. Sources the wallet connectors need:
 * - `connect-src` https: and wss: — the networks' RPCs, Coinbase Wallet / Base Account and MetaMask
 *   relays (browsers reach RPCs directly for balances), plus the local chain's origin in development;
 * - `frame-src` — Coinbase's key and wallet pages and MetaMask's, which the SDKs may embed;
 * - `'wasm-unsafe-eval'` — Base Account's SDK compiles WebAssembly (brotli).
 * Pages may not be framed by anyone (`frame-ancestors 'none'`, clickjacking of the Pay button).
 */
export function pageCsp(opts: { nonce: string; dev: boolean; https: boolean; extraConnect: string[] }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${opts.nonce}'`, "'strict-dynamic'", "'wasm-unsafe-eval'", ...(opts.dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "https:", "wss:", ...opts.extraConnect, ...(opts.dev ? ["ws:"] : [])],
    "frame-src": ["https://keys.coinbase.com", "https://*.coinbase.com", "https://*.base.org", "https://*.metamask.io"],
    "worker-src": ["'self'", "blob:"],
    "manifest-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${values.join(" ")}`);
  if (opts.https) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}

