import { NextResponse, type NextRequest } from "next/server";
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
    extraConnect: localRpcOrigins(),
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

export const config = {
  matcher: [
    {
      // Pages only: not the APIs, the gate, Next's static files or icons.
      source: "/((?!api/|l/|_next/static|_next/image|favicon|icon|apple-icon|opengraph-image|robots.txt|sitemap.xml|llms.txt).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
