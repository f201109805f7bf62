import "server-only";
import { getServerSession } from "next-auth";
import { authOptions, ensureNextAuthUrl } from "@/lib/auth/options";

/** The signed-in creator (`{userId, address}`) from the next-auth session cookie, or null. */
export async function creatorSession(): Promise<{ userId: string; address: `0x${string}` } | null> {
  ensureNextAuthUrl();
  const session = await getServerSession(authOptions);
  if (!session?.userId || !session.address) return null;
  return { userId: session.userId, address: session.address as `0x${string}` };
}

/** A same-origin path to return to after sign-in; anything else (absolute, `//host`) → /dashboard. */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith("/") || v.startsWith("//") || v.startsWith("/\\")) return "/dashboard";
  return v;
}
