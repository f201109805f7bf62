/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native/wasm server dependencies are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "pg",
    "arbundles",
    "arweave",
    "@x402/core",
    "@x402/evm",
  ],
  experimental: {
    // Uploads stream through route handlers; the proxy must not buffer them.
    proxyClientMaxBodySize: "10gb",
  },
};

export default nextConfig;
