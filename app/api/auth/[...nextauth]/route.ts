import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions, ensureNextAuthUrl } from "@/lib/auth/options";

const nextAuth = NextAuth(authOptions);

/**
 * next-auth v4 endpoints under /api/auth (App Router handler), among them:
 * - `GET /api/auth/csrf` → `{ csrfToken }` and the `next-auth.csrf-token` cookie;
 * - `POST /api/auth/callback/ethereum` (form or JSON: `csrfToken`, `message`, `signature`,
 *   optional `callbackUrl`, `json=true` for a `{ url }` body instead of a redirect) → sets the
 *   `next-auth.session-token` cookie (`__Secure-next-auth.session-token` over https) and answers
 *   `{ url: callbackUrl }`; a rejected SIWE message sets no cookie and answers 401
 *   `{ url: "…/api/auth/error?error=<reason>" }` (302 to it without `json=true`), which redirects
 *   to `/sign-in?error=<reason>`;
 * - `GET /api/auth/session` → `{ userId, address, expires }` or `{}`;
 * - `POST /api/auth/signout` (with `csrfToken`) → clears the session cookie.
 */
async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  ensureNextAuthUrl();
  return nextAuth(req, ctx);
}

export { handler as GET, handler as POST };
