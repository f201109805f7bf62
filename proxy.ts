import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { configuredNetworks } from "@/lib/networks";
import { pageCsp } from "@/lib/security-headers";

/**
 * Next.js Proxy (the Next 16 successor of middleware), for HTML pages only (see `config.matcher`):
 * a fresh CSP nonce per request, set on the request (Next.js reads it to put the nonce on its own
 * scripts; the root layout reads `x-nonce` for its theme script) and on the response. The other
 * security headers of every response are set in next.config.mjs.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const csp = pageCsp({
    nonce,
    dev: process.env.NODE_ENV !== "production",
    https: request.nextUrl.protocol === "https:",
    extraConnect: [...localRpcOrigins(), ...directUploadSources()],
  });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

/**
 * Origins of the plain-http JSON-RPC endpoints the pay page reads balances from: the local chain of
 * `npm run dev` and the tests. Real networks' RPCs are https and covered by `connect-src https:`.
 */
function localRpcOrigins(): string[] {
  return configuredNetworks()
    .filter((n) => n.local && n.rpcUrl?.startsWith("http:"))
    .map((n) => new URL(n.rpcUrl!).origin);
}

/**
 * What the dashboard's direct uploads (Uppy's requests) reach besides `https:`: the bucket's origin
 * when `S3_ENDPOINT` is plain http (a local S3 server: `npm run dev` with s3rver, the tests), and
 * `blob:`, where the uploader hands Uppy the list of parts already stored when an upload resumes.
 */
function directUploadSources(): string[] {
  const { STORAGE_DRIVER, S3_ENDPOINT } = env();
  if (STORAGE_DRIVER !== "s3") return [];
  return ["blob:", ...(S3_ENDPOINT?.startsWith("http:") ? [new URL(S3_ENDPOINT).origin] : [])];
}

export const config = {
  matcher: [
    {
      // Pages only: not the APIs, the gate, Next's static files or icons.
      source: "/((?!api/|l/|_next/static|_next/image|favicon|icon|apple-icon|opengraph-image|robots.txt|sitemap.xml|llms.txt).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
