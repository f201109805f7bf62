"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { useConfig, useConnection, useDisconnect, useReadContract, useReconnect, useSignTypedData, useSwitchChain } from "wagmi";
import { AlreadyPaidSignIn } from "@/components/pay/already-paid-sign-in";
import { ConnectOptions } from "@/components/pay/connect-options";
import { CopyButton } from "@/components/pay/copy-button";
import { startDownload } from "@/components/pay/download";
import { AlertIcon, CheckIcon, DownloadIcon, ExternalIcon, LockIcon, Spinner } from "@/components/pay/icons";
import { KeepReceipt } from "@/components/pay/keep-receipt";
import { usePayShell } from "@/components/pay/pay-shell";
import { rememberedPayment, submitPurchase, type Failure, type PurchaseResult } from "@/components/pay/purchase-client";
import { isChainMismatch, isUserRejection, walletMessage } from "@/components/pay/wallet-errors";
import { formatDateTime, formatDuration, formatUsdc, shortAddress, shortId } from "@/lib/format";
import type { CheckoutProps } from "@/lib/pay/types";
import { DEV_WALLET_ID } from "@/lib/wagmi";

const balanceOfAbi = [
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

/** Names of chains a wallet may be on, for "your wallet is on …". */
const CHAIN_NAMES: Record<number, string> = {
  1: "Ethereum",
  10: "Optimism",
  137: "Polygon",
  8453: "Base",
  84532: "Base Sepolia",
  42161: "Arbitrum One",
  11155111: "Sepolia",
  31337: "a local chain (31337)",
};

type Phase =
  | { kind: "idle" }
  | { kind: "switching" }
  | { kind: "signing" }
  | { kind: "settling" }
  | { kind: "done"; result: PurchaseResult }
  | { kind: "failed"; failure: Failure };

let x402Module: Promise<typeof import("@/components/pay/x402-payment")> | undefined;
/** The x402 client code, fetched once, after a wallet connects (before the buyer presses Pay). */
const loadX402 = () => (x402Module ??= import("@/components/pay/x402-payment"));

/**
 * The checkout: connect a wallet, get onto the link's chain, check the USDC balance, sign the
 * EIP-3009 authorization with the official x402 client, submit it, then download.
 */
export function Checkout(p: CheckoutProps) {
  const { address, chainId, status, connector } = useConnection();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const signTypedData = useSignTypedData();
  const shell = usePayShell();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const lastPayment = useRef<string | null>(null);
  const target = p.network.chainId;
  const amount = BigInt(p.amount);

  const balance = useReadContract({
    address: p.network.asset,
    abi: balanceOfAbi,
    functionName: "balanceOf",
    args: address ? [address] : undefined,
    chainId: target,
    query: { enabled: !!address && phase.kind !== "done", refetchOnWindowFocus: true },
  });

  const booted = useRecentWallet();

  useEffect(() => {
    if (address) void loadX402();
  }, [address]);

  useEffect(() => {
    shell.setBusy(phase.kind === "switching" || phase.kind === "signing" || phase.kind === "settling" || phase.kind === "done");
  }, [phase.kind, shell]);

  const fail = useCallback((failure: Failure) => setPhase({ kind: "failed", failure }), []);

  const wrongNetwork = useCallback(
    (error: unknown): Failure => {
      const byHand = p.network.local
        ? `add the network "${p.network.name}" with RPC URL ${p.network.rpcUrl ?? "(the local chain's)"} and chain ID ${target}, and select it`
        : `select the ${p.network.name} network (chain ID ${target})`;
      return {
        kind: "wrong_network",
        title: `Switch your wallet to ${p.network.name}`,
        message: `${
          isUserRejection(error)
            ? `This link is paid on ${p.network.name} and the switch was not approved.`
            : `Your wallet could not switch to ${p.network.name} by itself.`
        } Press the button to try again, or do it by hand: in your wallet, ${byHand}. Nothing was charged.`,
        action: "switch",
      };
    },
    [p.network, target],
  );

  const doSwitch = useCallback(async (): Promise<boolean> => {
    setPhase({ kind: "switching" });
    try {
      await switchChain.mutateAsync({ chainId: target });
      setPhase({ kind: "idle" });
      return true;
    } catch (error) {
      fail(wrongNetwork(error));
      return false;
    }
  }, [switchChain, target, fail, wrongNetwork]);

  const submit = useCallback(
    async (payment: string) => {
      setPhase({ kind: "settling" });
      const outcome = await submitPurchase(p.slug, payment, { price: p.price, networkName: p.network.name });
      if (outcome.kind === "ok") {
        lastPayment.current = null;
        setPhase({ kind: "done", result: outcome.result });
        startDownload(outcome.result.downloadUrl);
      } else if (outcome.kind === "closed") {
        shell.close(outcome.state);
      } else {
        if (outcome.failure.action !== "resubmit") lastPayment.current = null;
        fail(outcome.failure);
      }
    },
    [p.slug, p.price, p.network.name, shell, fail],
  );

  // A payment signed on this page before a reload or a lost response is posted again (the same
  // payload and payment-identifier: the server answers it as this buyer's, never charging twice).
  const resumed = useRef(false);
  useEffect(() => {
    if (resumed.current) return;
    resumed.current = true;
    const kept = rememberedPayment(p.slug);
    if (kept) {
      lastPayment.current = kept;
      void submit(kept);
    }
  }, [p.slug, submit]);

  const pay = useCallback(async () => {
    if (!address) return;
    if (chainId !== target && !(await doSwitch())) return;
    setPhase({ kind: "signing" });
    let x402: Awaited<ReturnType<typeof loadX402>>;
    try {
      x402 = await loadX402();
    } catch {
      x402Module = undefined; // fetch it again on the next try
      fail({
        kind: "network",
        title: "Connection problem",
        message: "The payment code could not be loaded. Check your connection and press Pay again. Nothing was charged.",
        action: "resign",
      });
      return;
    }
    let payment: string;
    try {
      payment = await x402.createPaymentHeader(p.paymentRequired, p.amount, {
        address: address as Address,
        signTypedData: (typed) =>
          signTypedData.mutateAsync({ account: address, ...typed } as Parameters<typeof signTypedData.mutateAsync>[0]),
      });
    } catch (error) {
      if (isUserRejection(error)) {
        fail({
          kind: "rejected",
          title: "Signature cancelled",
          message: "You declined the signature in your wallet, so nothing was charged. Press Pay again when you are ready.",
          action: "resign",
        });
      } else if (isChainMismatch(error)) {
        fail(wrongNetwork(error));
      } else {
        fail({
          kind: "wallet",
          title: "Your wallet could not sign",
          message: `${walletMessage(error)} Nothing was charged.`,
          action: "resign",
        });
      }
      return;
    }
    lastPayment.current = payment;
    await submit(payment);
  }, [address, chainId, target, doSwitch, p.paymentRequired, p.amount, signTypedData, submit, fail, wrongNetwork]);

  if (phase.kind === "done") return <Success p={p} result={phase.result} />;
  if (phase.kind === "signing" || phase.kind === "settling") {
    return <Progress p={p} phase={phase.kind} walletName={connector?.name} isDevWallet={!!connector?.id.startsWith(DEV_WALLET_ID)} />;
  }

  if (!address || status !== "connected") {
    if (!booted || status === "connecting" || status === "reconnecting") {
      return (
        <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="wallet-reconnecting">
          <Spinner /> Connecting to your wallet…
        </p>
      );
    }
    return <ConnectOptions network={p.network} />;
  }

  const onRightChain = chainId === target;
  const insufficient = balance.data !== undefined && balance.data < amount;
  const failure = phase.kind === "failed" ? phase.failure : null;
  const busy = phase.kind === "switching";
  const isDev = connector?.id.startsWith(DEV_WALLET_ID);
  const timeout = p.paymentRequired.accepts[0]?.maxTimeoutSeconds ?? 300;

  return (
    <div className="space-y-4" data-testid="wallet-ready">
      <div className="flex items-center justify-between gap-3 rounded-xl bg-zinc-50 px-3 py-2.5 text-sm dark:bg-zinc-800/60">
        <div className="min-w-0">
          <p className="flex items-center gap-1.5 font-medium">
            <span className="size-2 rounded-full bg-emerald-500" aria-hidden />
            <span className="truncate">{isDev ? "Test wallet" : (connector?.name ?? "Wallet")}</span>
            <span className="font-mono text-xs text-zinc-500" data-testid="connected-address" title={address}>
              {shortAddress(address)}
            </span>
          </p>
          <p className="mt-0.5 text-xs text-zinc-500" data-testid="balance">
            {balance.isPending ? (
              "Checking your USDC balance…"
            ) : balance.isError ? (
              "Could not read your balance — you can still pay; it is checked before anything is charged."
            ) : (
              <>
                Balance: <span className="tabular-nums">{formatUsdc(balance.data, p.network.decimals)}</span> on{" "}
                {p.network.name}
              </>
            )}
          </p>
        </div>
        <button
          type="button"
          onClick={() => {
            setPhase({ kind: "idle" });
            disconnect.mutate({ connector });
          }}
          className="shrink-0 rounded-md px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-200/60 dark:text-zinc-300 dark:hover:bg-zinc-700"
        >
          Change
        </button>
      </div>

      {failure ? <FailureAlert failure={failure} /> : null}

      {!onRightChain && !failure ? (
        <Notice testId="wrong-network" title={`Your wallet is on ${CHAIN_NAMES[chainId ?? 0] ?? `chain ${chainId}`}`}>
          This link is paid on {p.network.name}. Switch your wallet to it to continue.
        </Notice>
      ) : null}

      {onRightChain && insufficient ? (
        <Notice testId="insufficient-balance" title="Not enough USDC" tone="error">
          This costs {p.price} USDC and {shortAddress(address)} holds {formatUsdc(balance.data ?? 0n, p.network.decimals)} on{" "}
          {p.network.name}. Add USDC to this account, or connect another one. Nothing was charged.
        </Notice>
      ) : null}

      {!onRightChain ? (
        <PrimaryButton onClick={doSwitch} busy={busy} testId="switch-network">
          Switch to {p.network.name}
        </PrimaryButton>
      ) : insufficient ? (
        <PrimaryButton onClick={() => void balance.refetch()} busy={balance.isFetching} testId="recheck-balance" secondary>
          Check balance again
        </PrimaryButton>
      ) : failure?.action === "resubmit" && lastPayment.current ? (
        <PrimaryButton onClick={() => void submit(lastPayment.current!)} testId="retry-submit">
          Retry — you will not be charged twice
        </PrimaryButton>
      ) : failure?.action === "reload" ? (
        <PrimaryButton onClick={() => location.reload()} testId="reload">
          Reload the page
        </PrimaryButton>
      ) : (
        <PrimaryButton onClick={() => void pay()} disabled={balance.isPending} testId="pay-button">
          {failure ? `Try again · Pay ${p.price} USDC` : `Pay ${p.price} USDC`}
        </PrimaryButton>
      )}

      <p className="flex gap-2 text-xs leading-5 text-zinc-500">
        <LockIcon className="mt-0.5 size-3.5 shrink-0" />
        <span>
          {isDev ? "The test wallet signs" : "Your wallet asks you to sign"} one USDC transfer of exactly {p.price} USDC to{" "}
          <span className="font-mono">{shortAddress(p.payTo)}</span>, valid for {formatDuration(timeout)}. No gas fee — the
          transfer is submitted for you and goes straight to the seller.
        </span>
      </p>
      <AlreadyPaidSignIn slug={p.slug} address={address} />
    </div>
  );
}

/**
 * Reconnects the wallet this buyer last used on this site (wagmi's `recentConnectorId`), and only
 * that one: a returning buyer is connected straight away, a first-time buyer chooses a wallet.
 * @returns false until the attempt is over (the panel shows "Connecting…" meanwhile, not a flash
 * of the wallet list).
 */
function useRecentWallet(): boolean {
  const config = useConfig();
  const reconnect = useReconnect();
  const [done, setDone] = useState(false);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        const recent = await config.storage?.getItem("recentConnectorId");
        const connector = recent ? config.connectors.find((c) => c.id === recent) : undefined;
        const disconnected = recent ? await config.storage?.getItem(`${recent}.disconnected` as never) : false;
        if (connector && !disconnected) await reconnect.mutateAsync({ connectors: [connector] });
      } catch {
        // Not reconnected: the buyer picks a wallet.
      } finally {
        setDone(true);
      }
    })();
  }, [config, reconnect]);
  return done;
}

function PrimaryButton({
  children,
  onClick,
  busy,
  disabled,
  testId,
  secondary,
}: {
  children: React.ReactNode;
  onClick: () => void;
  busy?: boolean;
  disabled?: boolean;
  testId: string;
  secondary?: boolean;
}) {
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={onClick}
      disabled={busy || disabled}
      className={`flex h-12 w-full items-center justify-center gap-2 rounded-xl px-4 text-base font-semibold transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-zinc-900 disabled:cursor-not-allowed disabled:opacity-60 ${
        secondary
          ? "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
          : "bg-zinc-900 text-white hover:bg-zinc-800 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200"
      }`}
    >
      {busy ? <Spinner /> : null}
      {children}
    </button>
  );
}

function Notice({
  title,
  children,
  testId,
  tone = "warn",
}: {
  title: string;
  children: React.ReactNode;
  testId: string;
  tone?: "warn" | "error";
}) {
  const colors =
    tone === "error"
      ? "bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-100"
      : "bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-100";
  return (
    <div role="status" data-testid={testId} className={`flex gap-2.5 rounded-xl px-3.5 py-3 text-sm ${colors}`}>
      <AlertIcon className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-semibold">{title}</p>
        <p className="mt-0.5 leading-5 opacity-90">{children}</p>
      </div>
    </div>
  );
}

function FailureAlert({ failure }: { failure: Failure }) {
  return (
    <div role="alert" data-testid="pay-error" data-kind={failure.kind}>
      <Notice testId={`pay-error-${failure.kind}`} title={failure.title} tone={failure.kind === "network" || failure.kind === "pending" ? "warn" : "error"}>
        {failure.message}
        {failure.reason ? <span className="mt-1 block font-mono text-[11px] opacity-70">{failure.reason}</span> : null}
      </Notice>
    </div>
  );
}

function Progress({
  p,
  phase,
  walletName,
  isDevWallet,
}: {
  p: CheckoutProps;
  phase: "signing" | "settling";
  walletName?: string;
  isDevWallet: boolean;
}) {
  const steps = [
    {
      label: isDevWallet ? "Signing with the test wallet" : `Confirm in ${walletName ?? "your wallet"}`,
      hint: `Sign the transfer of exactly ${p.price} USDC.`,
    },
    { label: `Verifying & settling on ${p.network.name}`, hint: "The transfer is checked, then settled on chain. Usually a few seconds." },
    { label: "Download", hint: p.file.name },
  ];
  const active = phase === "signing" ? 0 : 1;
  return (
    <div aria-live="polite" data-testid="pay-progress" data-phase={phase}>
      <ol className="space-y-4">
        {steps.map((s, i) => (
          <li key={s.label} className="flex gap-3">
            <span
              className={`mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${
                i < active
                  ? "bg-emerald-500 text-white"
                  : i === active
                    ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900"
                    : "bg-zinc-100 text-zinc-400 dark:bg-zinc-800"
              }`}
            >
              {i < active ? <CheckIcon className="size-3.5" /> : i === active ? <Spinner className="size-3.5" /> : i + 1}
            </span>
            <div className={`min-w-0 ${i > active ? "opacity-50" : ""}`}>
              <p className="text-sm font-medium">{s.label}</p>
              <p className="text-xs break-words text-zinc-500">{s.hint}</p>
            </div>
          </li>
        ))}
      </ol>
      <p className="mt-5 text-xs text-zinc-500">Keep this page open until your download starts.</p>
    </div>
  );
}

function Success({ p, result }: { p: CheckoutProps; result: PurchaseResult }) {
  const expires = new Date(result.receiptExpiresAt).getTime();
  const [valid, setValid] = useState(() => expires > Date.now());
  useEffect(() => {
    const left = expires - Date.now();
    if (left <= 0) return setValid(false);
    const t = setTimeout(() => setValid(false), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [expires]);
  const tx = result.payment.transaction;
  return (
    <div data-testid="pay-success" aria-live="polite">
      <div className="flex items-center gap-3">
        <span className="flex size-10 items-center justify-center rounded-full bg-emerald-500 text-white">
          <CheckIcon className="size-6" />
        </span>
        <div>
          <p className="text-lg font-semibold">Payment complete</p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {formatUsdc(result.payment.amount, p.network.decimals)} paid to{" "}
            <span className="font-mono text-xs">{shortAddress(p.payTo)}</span>
            {result.replay ? " (already settled — no new charge)" : ""}
          </p>
        </div>
      </div>
      {tx ? (
        <div className="mt-4 flex items-center justify-between gap-2 rounded-xl bg-zinc-50 px-3 py-2.5 text-sm dark:bg-zinc-800/60">
          <span className="text-zinc-500">Transaction</span>
          {result.payment.transactionUrl ? (
            <a
              href={result.payment.transactionUrl}
              target="_blank"
              rel="noreferrer"
              data-testid="transaction"
              className="inline-flex items-center gap-1 font-mono text-xs font-medium underline underline-offset-2"
            >
              {shortId(tx, 10, 8)} <ExternalIcon />
            </a>
          ) : (
            <span className="flex items-center gap-2">
              <span className="font-mono text-xs" data-testid="transaction" title={tx}>
                {shortId(tx, 10, 8)}
              </span>
              <CopyButton text={tx} />
            </span>
          )}
        </div>
      ) : null}
      {result.offerReceipt ? <KeepReceipt receipt={result.offerReceipt} fileName={p.file.name} /> : null}
      <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
        Your download of <span className="font-medium text-zinc-900 dark:text-zinc-100">{p.file.name}</span> ({p.file.sizeLabel}) has
        started.
      </p>
      {valid ? (
        <>
          <a
            href={result.downloadUrl}
            download
            data-testid="download-again"
            className="mt-4 flex h-12 w-full items-center justify-center gap-2 rounded-xl border border-zinc-300 bg-white text-base font-semibold hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
          >
            <DownloadIcon /> Download again
          </a>
          <p className="mt-2 text-center text-xs text-zinc-500">
            You can download it again from this link until{" "}
            <time dateTime={result.receiptExpiresAt}>{formatDateTime(result.receiptExpiresAt)}</time>.
          </p>
        </>
      ) : (
        <p className="mt-4 text-sm text-zinc-500" data-testid="access-ended">
          Your download access for this purchase has ended.
        </p>
      )}
    </div>
  );
}
