import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { authSecret } from "@/lib/auth/secret";
import { verifySiweSignIn } from "@/lib/auth/siwe";

declare module "next-auth" {
  /** What `authorize` returns: the creator's id (`usr_…`) and checksummed address. */
  interface User {
    id: string;
    address: string;
  }
  /** `useSession()` / `getServerSession(authOptions)`: `{ userId, address, expires }`. */
  interface Session {
    userId: string;
    address: string;
  }
}

declare module "next-auth/jwt" {
  /** The encrypted session cookie's payload (`sub` = `userId`). */
  interface JWT {
    userId?: string;
    address?: string;
  }
}

/** Session lifetime: 30 days, the cookie is re-issued daily while in use. */
const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/**
 * Whether the session cookie is `Secure` (and named `__Secure-next-auth.session-token`): when
 * APP_URL is https, and always on Vercel. `resolveCreator` reads the cookie with the same choice.
 */
export function secureCookies(): boolean {
  return env().appUrl.startsWith("https://") || Boolean(process.env.VERCEL);
}

/** Name of the cookie that carries the session JWT. */
export function sessionCookieName(): string {
  return secureCookies() ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/**
 * next-auth v4 builds its own URLs (redirects, callback checks) from NEXTAUTH_URL. Vend's origin is
 * APP_URL: when NEXTAUTH_URL is unset (and the host is not trusted from headers, as on Vercel or
 * with AUTH_TRUST_HOST), point it at APP_URL's origin. Called by the auth route before each request.
 */
export function ensureNextAuthUrl(): void {
  if (process.env.NEXTAUTH_URL || process.env.VERCEL || process.env.AUTH_TRUST_HOST) return;
  process.env.NEXTAUTH_URL = new URL(env().appUrl).origin;
}

/**
 * next-auth v4 configuration: Sign-In with Ethereum through a Credentials provider `ethereum`.
 *
 * Sign-in: POST /api/auth/callback/ethereum with `csrfToken` (from GET /api/auth/csrf), `message`
 * (an EIP-4361 message carrying a nonce from GET /api/auth/nonce) and `signature` (its
 * `personal_sign`). Success sets the session cookie (an encrypted JWT carrying `userId` and
 * `address`). A rejection sets no cookie and points at `/api/auth/error?error=<reason>` (which
 * redirects to `/sign-in?error=<reason>`): a 302 redirect, or with `json=true` a 401 `{ url }`.
 * A missing or wrong `csrfToken` answers `{ url: "…/api/auth/signin?csrf=true" }` without a cookie.
 *
 * `secret` and `useSecureCookies` are getters, read per request: importing this module (for
 * instance during `next build`) needs no environment.
 */
export const authOptions: NextAuthOptions = {
  providers: [
    CredentialsProvider({
      id: "ethereum",
      name: "Ethereum",
      credentials: {
        message: { label: "Message", type: "text" },
        signature: { label: "Signature", type: "text" },
      },
      async authorize(credentials) {
        try {
          const { userId, address } = await verifySiweSignIn({
            message: credentials?.message ?? "",
            signature: credentials?.signature ?? "",
          });
          return { id: userId, address };
        } catch (error) {
          // next-auth puts the thrown message in the error redirect: only our own messages go there.
          if (error instanceof AppError) throw error;
          console.error("[vend] sign-in failed", error);
          throw new Error("Sign-in failed on our side. Try again.");
        }
      },
    }),
  ],
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  get secret() {
    return authSecret();
  },
  get useSecureCookies() {
    return secureCookies();
  },
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.userId = user.id;
        token.address = user.address;
      }
      return token;
    },
    session({ session, token }) {
      return { expires: session.expires, userId: token.userId ?? "", address: token.address ?? "" };
    },
  },
};
