/**
 * Security headers of every response (pages also get a per-request CSP from proxy.ts): no MIME
 * sniffing, no framing, referrers cut to the origin across sites, powerful features off, and wallet
 * popups (Coinbase Wallet, Base Account) still able to talk back to the page.
 */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin-allow-popups" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native/wasm server dependencies are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "@prisma/adapter-neon",
    "@neondatabase/serverless",
    "pg",
    "arbundles",
    "arweave",
    "@x402/core",
    "@x402/evm",
    "@x402/extensions",
  ],
  // The readiness check compares the database with this build's migrations (lib/health/migration-status.ts).
  outputFileTracingIncludes: { "/api/health": ["./prisma/migrations/**/*"] },
  // The shareable URL `/l/{slug}` is served by the gate's route handler under `app/api` (route
  // handlers under app/api apply the 402 gate); the rewrite keeps the URL, query and headers.
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // JSON APIs and downloads: nothing in them may run, and nothing may frame them.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; sandbox" }] },
      { source: "/l/:slug", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; sandbox" }] },
    ];
  },
  async rewrites() {
    // The offer-receipt key's DID document (did:web) lives at the well-known path, which the App
    // Router cannot route (dot-prefixed folders are skipped).
    return [
      { source: "/l/:slug", destination: "/api/l/:slug" },
      { source: "/.well-known/did.json", destination: "/api/well-known/did" },
    ];
  },
  // Wallet SDKs run only in the browser (the pay page's wallet panel), but the server bundle still
  // resolves them: give Base Account its browser build everywhere (its Node build pulls in the CDP
  // server SDK and a Solana x402 client, which Vend does not install).
  turbopack: { resolveAlias: { "@base-org/account": "@base-org/account/browser" } },
  experimental: {
    // Uploads stream through route handlers; the proxy must not buffer them.
    proxyClientMaxBodySize: "10gb",
  },
};

export default nextConfig;
