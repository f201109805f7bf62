"use client";

import { signIn } from "next-auth/react";
import { useEffect, useMemo, useState } from "react";
import { createWalletClient, http, type Address } from "viem";
import { createSiweMessage } from "viem/siwe";
import { useConnect, useConnection, useConnectors, useDisconnect, useSignMessage, type Connector } from "wagmi";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { AlertIcon, ChevronRightIcon, LogoMark, SpinnerIcon, WalletIcon } from "@/components/ui/icons";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { shortAddress } from "@/lib/format";
import { DEV_WALLET_ACCOUNTS } from "@/lib/wagmi";

type Step =
  | { kind: "idle" }
  | { kind: "connecting"; connector: string }
  | { kind: "signing"; connector: string; address: string }
  | { kind: "verifying"; connector: string }
  | { kind: "done" }
  | { kind: "error"; title: string; message: string };

type Stage = "connect" | "nonce" | "sign" | "server";

/** The local chain, when it is configured: its test accounts can sign in through its node. */
export type DevChain = { rpcUrl: string; chainId: number };

/**
 * The local chain's test accounts by role, as `npm run demo` uses them: Hardhat #0 creates the
 * links and is paid; #1 pays in the demo and is the pay page's first test wallet; #2 and #3 are
 * more buyers. Public keys of a public mnemonic — never funded on a real network.
 */
const DEV_ACCOUNTS: readonly { index: number; role: string; address: Address }[] = [
  { index: 0, role: "Creator", address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
  ...DEV_WALLET_ACCOUNTS.map((address, i) => ({ index: i + 1, role: i === 0 ? "Buyer" : `Buyer ${i + 1}`, address })),
];

/** Where a sign-in comes from: a wallet in the browser, or a test account the local node signs for. */
type Target = { kind: "wallet"; connector: Connector } | { kind: "dev"; index: number; address: Address };

/** The nonce request failed: the server's fault or the network's, never the wallet's. */
class NonceError extends Error {
  constructor(readonly status: number | null) {
    super(status === null ? "network" : `HTTP ${status}`);
  }
}

/** EIP-1193 "user rejected" in any of its shapes (viem error, raw provider error, SDK message). */
function isRejection(error: unknown): boolean {
  for (let e = error as { code?: number; name?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 4001 || e.name === "UserRejectedRequestError") return true;
    if (typeof e.message === "string" && /user (rejected|denied|cancel)/i.test(e.message)) return true;
  }
  return false;
}

/** A human title and message for a failure at each step, including the server's SIWE reasons. */
function explain(error: unknown, stage: Stage): { title: string; message: string } {
  if (error instanceof NonceError) {
    return error.status === null
      ? { title: "Could not reach the server", message: "The sign-in request did not get through. Nothing was signed. Check your connection and try again." }
      : {
          title: "The server could not start a sign-in",
          message: `Asking for a sign-in nonce failed on the server (${error.message}). Nothing was signed. Try again in a moment.`,
        };
  }
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
  const browser: Connector[] = announced.length ? announced : hasEthereum && generic ? [generic] : [];
  return {
    mounted,
    browser,
    other: coinbase && !coinbaseExtension ? [coinbase] : [],
    noBrowserWallet: mounted && browser.length === 0,
  };
}

function connectorLabel(c: Connector): string {
  if (c.id === "injected") return "Browser wallet";
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
 * single-use server nonce), and post it to next-auth's `ethereum` credentials provider. With the
 * local chain configured, its test accounts are offered by role (creator #0 first), signed by the
 * local node (`personal_sign` on an unlocked Hardhat account).
 */
export function SignInPanel({ callbackUrl, initialError, devChain }: { callbackUrl: string; initialError?: string; devChain?: DevChain }) {
  const options = useWalletOptions();
  const connection = useConnection();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const signMessage = useSignMessage();
  const [step, setStep] = useState<Step>(() =>
    initialError ? { kind: "error", ...explain(initialError, "server") } : { kind: "idle" },
  );
  const busy = step.kind === "connecting" || step.kind === "signing" || step.kind === "verifying" || step.kind === "done";

  const devClient = useMemo(() => (devChain ? createWalletClient({ transport: http(devChain.rpcUrl, { retryCount: 0 }) }) : null), [devChain]);

  async function run(target: Target) {
    const key = target.kind === "wallet" ? target.connector.uid : `dev-${target.index}`;
    let stage: Stage = "connect";
    try {
      setStep({ kind: "connecting", connector: key });
      let address: Address | undefined;
      let chainId: number | undefined;
      if (target.kind === "dev") {
        address = target.address;
        chainId = devChain?.chainId;
      } else {
        const { connector } = target;
        address = connection.connector?.uid === connector.uid ? connection.address : undefined;
        chainId = connection.chainId;
        if (!address) {
          const result = await connect.mutateAsync({ connector });
          address = result.accounts[0];
          chainId = result.chainId;
        }
      }
      if (!address) throw new Error("The wallet returned no account.");
      stage = "nonce";
      const nonceRes = await fetch("/api/auth/nonce", { cache: "no-store" }).catch(() => {
        throw new NonceError(null);
      });
      if (!nonceRes.ok) throw new NonceError(nonceRes.status);
      const { nonce } = (await nonceRes.json()) as { nonce: string };
      stage = "sign";
      setStep({ kind: "signing", connector: key, address });
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
      const signature =
        target.kind === "dev"
          ? await devClient!.signMessage({ account: address, message })
          : await signMessage.mutateAsync({ message, account: address, connector: target.connector });
      stage = "server";
      setStep({ kind: "verifying", connector: key });
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
            <Button variant="primary" size="sm" disabled={busy} onClick={() => run({ kind: "wallet", connector: connection.connector! })}>
              Sign in as {shortAddress(connection.address)}
            </Button>
            <Button size="sm" variant="ghost" disabled={busy} onClick={() => disconnect.mutate()}>
              Disconnect
            </Button>
          </div>
        </div>
      )}

      {devChain && <TestAccounts step={step} busy={busy} onPick={(a) => run({ kind: "dev", ...a })} />}
      <WalletList title="Browser wallets" connectors={options.browser} step={step} busy={busy} onPick={(connector) => run({ kind: "wallet", connector })} />
      <WalletList
        title="Other wallets"
        connectors={options.other}
        step={step}
        busy={busy}
        onPick={(connector) => run({ kind: "wallet", connector })}
        className="mt-5"
      />
      {/* After the lists: it appears after the first render (wallets announce themselves then), so it moves only the closing note. */}
      {options.noBrowserWallet && (
        <div className="mt-5 rounded-xl border border-dashed border-zinc-300 p-4 text-sm dark:border-zinc-700" data-testid="no-wallet">
          <p className="font-medium">No browser wallet found</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            Install{" "}
            <a className="font-medium underline underline-offset-4" href="https://metamask.io/download/" target="_blank" rel="noreferrer">
              MetaMask
            </a>{" "}
            (or any EIP-6963 wallet) and reload, or use Coinbase Wallet above — it works with the mobile app or a passkey.
          </p>
        </div>
      )}
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

/**
 * The local chain's test accounts by role (development only): creator #0 is the default, so the
 * dashboard shows what `npm run demo` created; the buyers are there to try a second creator.
 */
function TestAccounts({ step, busy, onPick }: { step: Step; busy: boolean; onPick: (account: { index: number; address: Address }) => void }) {
  const [index, setIndex] = useState(0);
  const account = DEV_ACCOUNTS.find((a) => a.index === index) ?? DEV_ACCOUNTS[0]!;
  const active = "connector" in step && step.connector === `dev-${account.index}`;
  return (
    <section className="mb-5 rounded-xl border border-dashed border-amber-300 bg-amber-50/60 p-3 dark:border-amber-700/60 dark:bg-amber-950/20" aria-labelledby="test-accounts-title">
      <h2 id="test-accounts-title" className="mb-2 text-xs font-medium uppercase tracking-wide text-amber-900 dark:text-amber-200">
        Test accounts · local chain
      </h2>
      <label className="mb-2 flex items-center justify-between gap-2 text-xs text-amber-950 dark:text-amber-100">
        <span>Account</span>
        <select
          value={index}
          onChange={(e) => setIndex(Number(e.target.value))}
          disabled={busy}
          data-testid="test-account"
          className="min-w-0 rounded-md border border-amber-200 bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:border-amber-800 dark:bg-zinc-900 dark:text-zinc-100"
        >
          {DEV_ACCOUNTS.map((a) => (
            <option key={a.index} value={a.index}>
              {a.role} · #{a.index} {shortAddress(a.address)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={busy}
        onClick={() => onPick(account)}
        className={cn(
          "flex w-full items-center gap-3 rounded-xl border border-amber-200 bg-white px-3.5 py-3 text-left text-sm font-medium shadow-sm transition",
          "hover:bg-amber-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500",
          "disabled:cursor-not-allowed disabled:opacity-60 dark:border-amber-800/60 dark:bg-zinc-900 dark:hover:bg-zinc-800",
        )}
      >
        <span aria-hidden="true" className="flex h-7 w-7 items-center justify-center rounded-md bg-amber-400 text-xs font-bold text-amber-950">
          #{account.index}
        </span>
        <span className="flex-1">
          Sign in as the test {account.role.toLowerCase()}
          <span className="block font-mono text-xs font-normal text-zinc-500">{shortAddress(account.address)}</span>
        </span>
        {active ? <SpinnerIcon className="text-zinc-400" /> : <ChevronRightIcon className="text-zinc-400" />}
      </button>
      <p className="mt-2 text-xs text-amber-900/80 dark:text-amber-200/80">
        Hardhat test accounts, signed by the local node. <code className="font-mono">npm run demo</code> creates its link as the
        creator (#0) and pays as the buyer (#1). Only offered when the local chain is configured.
      </p>
    </section>
  );
}
