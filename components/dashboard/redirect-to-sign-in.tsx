"use client";

import { useEffect } from "react";

/** Sends a visitor without a session to sign in, remembering the page (path and query) to return to. */
export function RedirectToSignIn() {
  useEffect(() => {
    const here = `${window.location.pathname}${window.location.search}`;
    window.location.replace(`/sign-in?callbackUrl=${encodeURIComponent(here)}`);
  }, []);
  return (
    <main className="flex min-h-dvh items-center justify-center text-sm text-zinc-500" role="status">
      Redirecting to sign in…
    </main>
  );
}
