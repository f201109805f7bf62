"use client";

import { useMemo, useState } from "react";
import { useConnect, useConnectors, type Connector } from "wagmi";
import { AlertIcon, Spinner, WalletIcon } from "@/components/pay/icons";
import { isUserRejection, walletMessage } from "@/components/pay/wallet-errors";
import { shortAddress } from "@/lib/format";
import { DEV_WALLET_ACCOUNTS, DEV_WALLET_ID, METAMASK_CONNECT_ID, type ClientNetwork } from "@/lib/wagmi";

const COINBASE_SDK_ID = "coinbaseWalletSDK";
const BASE_ACCOUNT_ID = "baseAccount";

/**
 * The wallets a buyer can pick, in order: announced browser wallets (EIP-6963), Coinbase Wallet,
 * Base Account, MetaMask's own connector when the browser has no wallet of its own (the MetaMask
 * app on a phone, a QR code on a desktop; inside a wallet's browser or with an extension, the
 * injected wallet is the way), and the dev wallet on the local chain.
 */
function useWalletOptions(network: ClientNetwork) {
  const connectors = useConnectors();
  return useMemo(() => {
    const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
    const legacy = connectors.find((c) => c.id === "injected");
    const hasWindowEthereum = typeof window !== "undefined" && "ethereum" in window && !!(window as { ethereum?: unknown }).ethereum;
    const browser: Connector[] = announced.length ? announced : legacy && hasWindowEthereum ? [legacy] : [];
    const coinbase = connectors.find((c) => c.id === COINBASE_SDK_ID);
    const baseAccount = connectors.find((c) => c.id === BASE_ACCOUNT_ID);
    const metaMask = browser.length ? undefined : connectors.find((c) => c.id === METAMASK_CONNECT_ID);
    const dev = network.local ? connectors.filter((c) => c.id.startsWith(DEV_WALLET_ID)) : [];
    return { browser, coinbase, baseAccount, metaMask, dev };
  }, [connectors, network.local]);
}

const ROW =
  "flex w-full items-center gap-3 rounded-xl border border-zinc-200 bg-white px-4 py-3 text-left text-[15px] font-medium transition hover:border-zinc-300 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-zinc-900 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";

function isPhone(): boolean {
  return typeof navigator !== "undefined" && /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
}

/** The connect step: one button per wallet, and help when no wallet is found. */
export function ConnectOptions({ network }: { network: ClientNetwork }) {
  const { browser, coinbase, baseAccount, metaMask, dev } = useWalletOptions(network);
  const phone = isPhone();
  const connect = useConnect();
  const [pending, setPending] = useState<string | null>(null);
  const [devIndex, setDevIndex] = useState(0);
  const [error, setError] = useState<{ wallet: string; text: string } | null>(null);

  async function connectTo(connector: Connector, label = connector.name) {
    setError(null);
    setPending(connector.uid);
    try {
      await connect.mutateAsync({ connector });
    } catch (e) {
      setError({
        wallet: label,
        text: isUserRejection(e)
          ? `You closed the request in ${label}. Nothing happened; try again when you are ready.`
          : `${label} could not connect: ${walletMessage(e)}`,
      });
    } finally {
      setPending(null);
    }
  }


  const devConnector = dev[devIndex] ?? dev[0];
  const nothingFound = browser.length === 0;

  return (
    <div data-testid="connect-options">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Connect the wallet that holds your USDC.</p>
      <ul className="mt-3 space-y-2">
        {browser.map((c) => (
          <li key={c.uid}>
            <button
              type="button"
              data-testid={`connect-${c.id}`}
              className={ROW}
              disabled={!!pending}
              onClick={() => connectTo(c, c.id === "injected" ? "Your browser wallet" : c.name)}
            >
              <ConnectorIcon connector={c} />
              <span className="flex-1">{c.id === "injected" ? "Browser wallet" : c.name}</span>
              {pending === c.uid ? <Spinner /> : <span className="text-xs font-normal text-zinc-500">Detected</span>}
            </button>
          </li>
        ))}
        {coinbase ? (
          <WalletRow
            connector={coinbase}
            pending={pending}
            onPick={connectTo}
            badge={<span className="flex size-7 items-center justify-center rounded-lg bg-[#0052ff] text-white"><span className="size-3 rounded-[3px] bg-white" /></span>}
            title="Coinbase Wallet"
            hint="The Coinbase Wallet app or extension"
          />
        ) : null}
        {baseAccount ? (
          <WalletRow
            connector={baseAccount}
            pending={pending}
            onPick={connectTo}
            badge={<span className="flex size-7 items-center justify-center rounded-lg bg-[#0000ff] text-white"><span className="size-3.5 rounded-full bg-white" /></span>}
            title="Base Account"
            hint="Smart wallet with a passkey — no app to install"
          />
        ) : null}
        {metaMask ? (
          <WalletRow
            connector={metaMask}
            pending={pending}
            onPick={connectTo}
            badge={<span className="flex size-7 items-center justify-center rounded-lg bg-[#f6851b] text-sm font-bold text-white">M</span>}
            title="MetaMask"
            hint={phone ? "Opens the MetaMask app on this phone" : "Scan a QR code with the MetaMask app"}
          />
        ) : null}
        {devConnector ? (
          <li className="rounded-xl border border-dashed border-amber-300 bg-amber-50/60 p-2 dark:border-amber-700/60 dark:bg-amber-950/20">
            <button type="button" className={`${ROW} border-amber-200`} disabled={!!pending} onClick={() => connectTo(devConnector, "The test wallet")}>
              <span className="flex size-7 items-center justify-center rounded-lg bg-amber-400 text-xs font-bold text-amber-950" aria-hidden>
                T
              </span>
              <span className="flex-1">
                Test wallet (local chain)
                <span className="block text-xs font-normal text-zinc-500">Hardhat test account, signed by the local node</span>
              </span>
              {pending === devConnector.uid ? <Spinner /> : null}
            </button>
            <label className="mt-2 flex items-center justify-between gap-2 px-2 text-xs text-amber-900 dark:text-amber-200">
              <span>Test account</span>
              <select
                className="rounded-md border border-amber-200 bg-white px-2 py-1 font-mono text-xs dark:border-amber-800 dark:bg-zinc-900"
                value={devIndex}
                onChange={(e) => setDevIndex(Number(e.target.value))}
              >
                {dev.map((c, i) => (
                  <option key={c.uid} value={i}>
                    #{i + 1} {shortAddress(DEV_WALLET_ACCOUNTS[i] ?? "")}
                  </option>
                ))}
              </select>
            </label>
          </li>
        ) : null}
      </ul>
      {error ? (
        <p role="alert" data-testid="connect-error" className="mt-3 flex gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-200">
          <AlertIcon className="mt-0.5 size-4 shrink-0" />
          {error.text}
        </p>
      ) : null}
      {nothingFound ? <NoWalletHelp phone={phone} /> : null}
    </div>
  );
}

/** One wallet of the list: its mark, name and what choosing it does. */
function WalletRow({
  connector,
  pending,
  onPick,
  badge,
  title,
  hint,
}: {
  connector: Connector;
  pending: string | null;
  onPick: (connector: Connector, label: string) => void;
  badge: React.ReactNode;
  title: string;
  hint: string;
}) {
  return (
    <li>
      <button type="button" data-testid={`connect-${connector.id}`} className={ROW} disabled={!!pending} onClick={() => onPick(connector, title)}>
        <span aria-hidden>{badge}</span>
        <span className="min-w-0 flex-1">
          {title}
          <span className="block text-xs font-normal text-zinc-500">{hint}</span>
        </span>
        {pending === connector.uid ? <Spinner /> : null}
      </button>
    </li>
  );
}

function ConnectorIcon({ connector }: { connector: Connector }) {
  if (connector.icon) {
    // Wallet icons are data: URIs announced by the wallet (EIP-6963): a plain <img>, not next/image.
    return (
      <span className="flex size-7 items-center justify-center overflow-hidden rounded-lg bg-zinc-100 dark:bg-zinc-800">
        <img src={connector.icon} alt="" className="size-7" />
      </span>
    );
  }
  return (
    <span className="flex size-7 items-center justify-center rounded-lg bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
      <WalletIcon className="size-4" />
    </span>
  );
}

/** Help when the browser has no wallet: on a phone, open the page inside a wallet app's browser. */
function NoWalletHelp({ phone }: { phone: boolean }) {
  const here = typeof location !== "undefined" ? `${location.host}${location.pathname}` : "";
  return (
    <div className="mt-4 rounded-xl bg-zinc-50 px-4 py-3 text-sm text-zinc-600 dark:bg-zinc-800/60 dark:text-zinc-300">
      {phone ? (
        <>
          <p className="font-medium text-zinc-800 dark:text-zinc-100">No wallet in this browser</p>
          <p className="mt-1">Choose a wallet above, or open this page in your wallet app&apos;s browser.</p>
          <a
            className="mt-2 inline-block font-medium text-zinc-900 underline underline-offset-2 dark:text-white"
            href={`https://metamask.app.link/dapp/${here}`}
          >
            Open in MetaMask
          </a>
        </>
      ) : (
        <>
          <p className="font-medium text-zinc-800 dark:text-zinc-100">No browser wallet detected</p>
          <p className="mt-1">Choose a wallet above, or install a wallet extension such as MetaMask and reload.</p>
        </>
      )}
    </div>
  );
}
