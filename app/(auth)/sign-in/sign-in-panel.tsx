"use client";

import { signIn } from "next-auth/react";
import { useEffect, useState } from "react";
import { createSiweMessage } from "viem/siwe";
import { useConnect, useConnection, useConnectors, useDisconnect, useSignMessage, type Connector } from "wagmi";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { AlertIcon, ChevronRightIcon, LogoMark, SpinnerIcon, WalletIcon } from "@/components/ui/icons";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { shortAddress } from "@/lib/format";

type Step =
  | { kind: "idle" }
  | { kind: "connecting"; connector: string }
  | { kind: "signing"; connector: string; address: string }
  | { kind: "verifying"; connector: string }
  | { kind: "done" }
  | { kind: "error"; title: string; message: string };

/** EIP-1193 "user rejected" in any of its shapes (viem error, raw provider error, SDK message). */
function isRejection(error: unknown): boolean {
  for (let e = error as { code?: number; name?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 4001 || e.name === "UserRejectedRequestError") return true;
    if (typeof e.message === "string" && /user (rejected|denied|cancel)/i.test(e.message)) return true;
  }
  return false;
}

/** A human title and message for a failure at each step, including the server's SIWE reasons. */
function explain(error: unknown, stage: "connect" | "sign" | "server"): { title: string; message: string } {
  if (stage !== "server" && isRejection(error)) {
    return stage === "connect"
      ? { title: "Connection cancelled", message: "You closed the wallet's connection request. Pick a wallet to try again." }
      : {
          title: "Signature cancelled",
          message: "You declined the sign-in message in your wallet. Nothing was signed or sent. Try again when you're ready.",
        };
  }
  const raw = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  if (stage === "server") {
    if (/wrong (domain|uri|scheme)/i.test(raw)) return { title: "Wrong domain", message: raw };
    if (/nonce is expired|nonce.*unknown|expired at/i.test(raw)) {
      return { title: "Sign-in request expired", message: "The request is valid for 5 minutes and works once. Try again to get a fresh one." };
    }
    if (/bad signature/i.test(raw)) return { title: "Signature not accepted", message: raw };
    return { title: "Sign-in failed", message: raw || "The server refused the sign-in. Try again." };
  }
  if (/not found|no provider|provider not/i.test(raw)) {
    return { title: "Wallet not found", message: "That wallet is not available in this browser. Install it or choose another one." };
  }
  const short = raw.split("\n")[0]?.slice(0, 240);
  return { title: stage === "connect" ? "Could not connect" : "Could not sign", message: short || "The wallet reported an error. Try again." };
}

/** Which connectors to offer: EIP-6963 wallets by name, the generic injected one only as a fallback. */
function useWalletOptions() {
  const connectors = useConnectors();
  const [hasEthereum, setHasEthereum] = useState(false);
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    setMounted(true);
    setHasEthereum(Boolean((window as { ethereum?: unknown }).ethereum));
  }, []);
  const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
  const generic = connectors.find((c) => c.id === "injected");
  const coinbaseExtension = announced.some((c) => c.id === "com.coinbase.wallet");
  const coinbase = connectors.find((c) => c.type === "coinbaseWallet");
  const mock = connectors.find((c) => c.type === "mock");
  const browser: Connector[] = announced.length ? announced : hasEthereum && generic ? [generic] : [];
  return {
    mounted,
    browser,
    other: coinbase && !coinbaseExtension ? [coinbase] : [],
    developer: mock ? [mock] : [],
    noBrowserWallet: mounted && browser.length === 0,
  };
}

function connectorLabel(c: Connector): string {
  if (c.id === "injected") return "Browser wallet";
  if (c.type === "mock") return "Test wallet (local chain)";
  return c.name;
}

function ConnectorIcon({ connector }: { connector: Connector }) {
  if (connector.icon) {
    // eslint-disable-next-line @next/next/no-img-element -- EIP-6963 icons are data URIs supplied by the wallet.
    return <img src={connector.icon} alt="" width={28} height={28} className="h-7 w-7 rounded-md" />;
  }
  if (connector.type === "coinbaseWallet") {
    return (
      <span aria-hidden="true" className="flex h-7 w-7 items-center justify-center rounded-md bg-[#0052FF]">
        <span className="h-3.5 w-3.5 rounded-[3px] bg-white" />
      </span>
    );
  }
  return (
    <span aria-hidden="true" className="flex h-7 w-7 items-center justify-center rounded-md bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
      <WalletIcon size={16} />
    </span>
  );
}

/**
 * Sign-In with Ethereum: pick a wallet (EIP-6963 discovery shows MetaMask & co. by name, plus
 * Coinbase Wallet), connect, sign an EIP-4361 message built with viem (`domain` = this host, a
 * single-use server nonce), and post it to next-auth's `ethereum` credentials provider.
 */
export function SignInPanel({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const options = useWalletOptions();
  const connection = useConnection();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const signMessage = useSignMessage();
  const [step, setStep] = useState<Step>(() =>
    initialError ? { kind: "error", ...explain(initialError, "server") } : { kind: "idle" },
  );
  const busy = step.kind === "connecting" || step.kind === "signing" || step.kind === "verifying" || step.kind === "done";

  async function run(connector: Connector) {
    let stage: "connect" | "sign" | "server" = "connect";
    try {
      setStep({ kind: "connecting", connector: connector.uid });
      let address = connection.connector?.uid === connector.uid ? connection.address : undefined;
      let chainId = connection.chainId;
      if (!address) {
        const result = await connect.mutateAsync({ connector });
        address = result.accounts[0];
        chainId = result.chainId;
      }
      if (!address) throw new Error("The wallet returned no account.");
      stage = "sign";
      const nonceRes = await fetch("/api/auth/nonce", { cache: "no-store" });
      if (!nonceRes.ok) throw new Error("Could not get a sign-in nonce from the server. Try again.");
      const { nonce } = (await nonceRes.json()) as { nonce: string };
      setStep({ kind: "signing", connector: connector.uid, address });
      const message = createSiweMessage({
        address,
        chainId: chainId ?? 1,
        domain: window.location.host,
        uri: window.location.origin,
        version: "1",
        nonce,
        statement: "Sign in to Vend. This request is free: it proves you own this address and sends no transaction.",
        issuedAt: new Date(),
        expirationTime: new Date(Date.now() + 10 * 60 * 1000),
      });
      const signature = await signMessage.mutateAsync({ message, account: address, connector });
      stage = "server";
      setStep({ kind: "verifying", connector: connector.uid });
      const result = await signIn("ethereum", { message, signature, redirect: false, callbackUrl });
      if (!result || result.error || !result.ok) throw new Error(result?.error ?? "The server did not answer.");
      setStep({ kind: "done" });
      window.location.assign(callbackUrl);
    } catch (error) {
      setStep({ kind: "error", ...explain(error, stage) });
    }
  }

  const connectedHere = connection.status === "connected" && connection.address && connection.connector;

  return (
    <div className="w-full max-w-sm">
      <div className="mb-8 flex items-center justify-between">
        <div className="flex items-center gap-2 text-lg font-semibold tracking-tight lg:invisible">
          <LogoMark size={26} />
          Vend
        </div>
        <ThemeToggle />
      </div>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">
        Use the wallet that receives your sales. You&apos;ll sign a message — free, no transaction.
      </p>

      <div aria-live="polite" className="mt-6 min-h-0">
        {step.kind === "error" && (
          <div role="alert" data-testid="sign-in-error" className="mb-4 flex gap-3 rounded-xl border border-red-200 bg-red-50 p-3.5 text-sm dark:border-red-900/60 dark:bg-red-950/30">
            <AlertIcon size={18} className="mt-0.5 flex-none text-red-600 dark:text-red-400" />
            <div>
              <p className="font-medium text-red-800 dark:text-red-300">{step.title}</p>
              <p className="mt-0.5 break-words text-red-700 dark:text-red-400/90">{step.message}</p>
            </div>
          </div>
        )}
        {(step.kind === "signing" || step.kind === "verifying" || step.kind === "done") && (
          <div role="status" className="mb-4 flex gap-3 rounded-xl border border-zinc-200 bg-zinc-50 p-3.5 text-sm dark:border-zinc-800 dark:bg-zinc-900">
            <SpinnerIcon size={18} className="mt-0.5 flex-none text-zinc-500" />
            <div>
              {step.kind === "signing" ? (
                <>
                  <p className="font-medium">Check your wallet</p>
                  <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">
                    Sign the message to prove you own <span className="font-mono">{shortAddress(step.address)}</span>.
                  </p>
                </>
              ) : (
                <p className="font-medium">{step.kind === "done" ? "Signed in. Opening your dashboard…" : "Verifying your signature…"}</p>
              )}
            </div>
          </div>
        )}
      </div>

      {connectedHere && step.kind !== "done" && (
        <div className="mb-4 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
          <p className="text-xs text-zinc-500">Connected with {connectorLabel(connection.connector!)}</p>
          <p className="mt-0.5 font-mono text-sm">{shortAddress(connection.address)}</p>
          <div className="mt-3 flex gap-2">
            <Button variant="primary" size="sm" disabled={busy} onClick={() => run(connection.connector!)}>
              Sign in as {shortAddress(connection.address)}
            </Button>
            <Button size="sm" variant="ghost" disabled={busy} onClick={() => disconnect.mutate()}>
              Disconnect
            </Button>
          </div>
        </div>
      )}

      <WalletList title="Browser wallets" connectors={options.browser} step={step} busy={busy} onPick={run} />
      {options.noBrowserWallet && (
        <div className="rounded-xl border border-dashed border-zinc-300 p-4 text-sm dark:border-zinc-700" data-testid="no-wallet">
          <p className="font-medium">No browser wallet found</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            Install{" "}
            <a className="font-medium underline underline-offset-4" href="https://metamask.io/download/" target="_blank" rel="noreferrer">
              MetaMask
            </a>{" "}
            (or any EIP-6963 wallet) and reload, or use Coinbase Wallet below — it works with the mobile app or a passkey.
          </p>
        </div>
      )}
      <WalletList title="Other wallets" connectors={options.other} step={step} busy={busy} onPick={run} className="mt-5" />
      <WalletList
        title="Developer"
        hint="Hardhat account #1 through the local node — only offered when the local chain is configured."
        connectors={options.developer}
        step={step}
        busy={busy}
        onPick={run}
        className="mt-5"
      />
      <p className="mt-8 text-xs text-zinc-500">
        Signing in creates your creator account on first use. Your address is your identity: no email, no password.
      </p>
    </div>
  );
}

function WalletList({
  title,
  hint,
  connectors,
  step,
  busy,
  onPick,
  className,
}: {
  title: string;
  hint?: string;
  connectors: readonly Connector[];
  step: Step;
  busy: boolean;
  onPick: (c: Connector) => void;
  className?: string;
}) {
  if (!connectors.length) return null;
  return (
    <section className={className} aria-label={title}>
      <h2 className="mb-2 text-xs font-medium uppercase tracking-wide text-zinc-500">{title}</h2>
      <ul className="space-y-2">
        {connectors.map((c) => {
          const active = "connector" in step && step.connector === c.uid;
          return (
            <li key={c.uid}>
              <button
                type="button"
                disabled={busy}
                onClick={() => onPick(c)}
                className={cn(
                  "flex w-full items-center gap-3 rounded-xl border border-zinc-200 bg-white px-3.5 py-3 text-left text-sm font-medium shadow-sm transition",
                  "hover:border-zinc-300 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500",
                  "disabled:cursor-not-allowed disabled:opacity-60 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700 dark:hover:bg-zinc-800",
                )}
              >
                <ConnectorIcon connector={c} />
                <span className="flex-1">{connectorLabel(c)}</span>
                {active ? <SpinnerIcon className="text-zinc-400" /> : <ChevronRightIcon className="text-zinc-400" />}
              </button>
            </li>
          );
        })}
      </ul>
      {hint && <p className="mt-2 text-xs text-zinc-500">{hint}</p>}
    </section>
  );
}
