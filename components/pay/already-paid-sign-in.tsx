"use client";

import { useState } from "react";
import type { Address } from "viem";
import { useSignMessage } from "wagmi";
import { Spinner } from "@/components/pay/icons";
import { isUserRejection } from "@/components/pay/wallet-errors";

type State = { kind: "idle" } | { kind: "signing" } | { kind: "checking" } | { kind: "failed"; message: string };

/**
 * "Already paid? Sign with your wallet": a buyer who paid from this wallet (here or from code)
 * signs the link's Sign-In-With-X challenge (EIP-4361 message, wagmi `signMessage`; no gas, no
 * payment); `POST /api/access` checks it like the gate does and sets the receipt cookie, and the
 * page reloads into the download. The x402 SIWX helpers load only when the buyer presses the button.
 */
export function AlreadyPaidSignIn({ slug, address }: { slug: string; address: Address }) {
  const signMessage = useSignMessage();
  const [state, setState] = useState<State>({ kind: "idle" });

  async function signIn() {
    setState({ kind: "signing" });
    try {
      const { createSIWxPayload, encodeSIWxHeader, SIGN_IN_WITH_X } = await import("@x402/extensions/sign-in-with-x");
      const challengeRes = await fetch(`/api/access?slug=${encodeURIComponent(slug)}`, { cache: "no-store" });
      if (!challengeRes.ok) throw new Error(await errorMessage(challengeRes));
      const extension = (await challengeRes.json())[SIGN_IN_WITH_X];
      const chain = extension.supportedChains[0];
      const payload = await createSIWxPayload(
        { ...extension.info, chainId: chain.chainId, type: chain.type },
        { address, signMessage: ({ message }: { message: string }) => signMessage.mutateAsync({ message, account: address }) },
        window.location.origin,
      );
      setState({ kind: "checking" });
      const res = await fetch("/api/access", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ slug, siwx: encodeSIWxHeader(payload) }),
      });
      if (!res.ok) throw new Error(await errorMessage(res));
      window.location.reload();
    } catch (error) {
      setState({
        kind: "failed",
        message: isUserRejection(error) ? "You cancelled the signature. Nothing was charged." : error instanceof Error ? error.message : String(error),
      });
    }
  }

  const busy = state.kind === "signing" || state.kind === "checking";
  return (
    <div className="border-t border-zinc-200 pt-3 text-sm dark:border-zinc-800" data-testid="already-paid-sign-in">
      <button
        type="button"
        onClick={() => void signIn()}
        disabled={busy}
        className="inline-flex items-center gap-2 font-medium text-zinc-700 underline underline-offset-2 hover:text-zinc-900 disabled:opacity-60 dark:text-zinc-300 dark:hover:text-white"
      >
        {busy ? <Spinner /> : null}
        {state.kind === "signing" ? "Sign the message in your wallet…" : state.kind === "checking" ? "Checking your purchase…" : "Already paid? Sign with your wallet"}
      </button>
      <p className="mt-1 text-xs text-zinc-500">A signature proves this wallet bought the file. It costs nothing.</p>
      {state.kind === "failed" ? (
        <p role="alert" className="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200" data-testid="already-paid-sign-in-error">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The server answered ${res.status}.`;
}
