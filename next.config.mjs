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
  ],
  // The readiness check compares the database with this build's migrations (lib/health/migration-status.ts).
  outputFileTracingIncludes: { "/api/health": ["./prisma/migrations/**/*"] },
  // The shareable URL `/l/{slug}` is served by the gate's route handler under `app/api` (route
  // handlers under app/api apply the 402 gate); the rewrite keeps the URL, query and headers.
  async rewrites() {
    return [{ source: "/l/:slug", destination: "/api/l/:slug" }];
  },
  experimental: {
    // Uploads stream through route handlers; the proxy must not buffer them.
    proxyClientMaxBodySize: "10gb",
  },
};

export default nextConfig;
