"use client";

import { useMemo, useState } from "react";
import { useConnect, useConnectors, type Connector } from "wagmi";
import { AlertIcon, Spinner, WalletIcon } from "@/components/pay/icons";
import { isUserRejection, walletMessage } from "@/components/pay/wallet-errors";
import { shortAddress } from "@/lib/format";
import { DEV_WALLET_ACCOUNTS, DEV_WALLET_ID, type ClientNetwork } from "@/lib/wagmi";

const COINBASE_SDK_ID = "coinbaseWalletSDK";
const COINBASE_RDNS = "com.coinbase.wallet";

/** The wallets a buyer can pick, in order: announced browser wallets, Coinbase Wallet, the dev wallet. */
function useWalletOptions(network: ClientNetwork) {
  const connectors = useConnectors();
  return useMemo(() => {
    const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
    const legacy = connectors.find((c) => c.id === "injected");
    const hasWindowEthereum = typeof window !== "undefined" && "ethereum" in window && !!(window as { ethereum?: unknown }).ethereum;
    const browser: Connector[] = announced.length ? announced : legacy && hasWindowEthereum ? [legacy] : [];
    const coinbase = announced.some((c) => c.id === COINBASE_RDNS) ? undefined : connectors.find((c) => c.id === COINBASE_SDK_ID);
    const dev = network.local ? connectors.filter((c) => c.id.startsWith(DEV_WALLET_ID)) : [];
    return { browser, coinbase, dev };
  }, [connectors, network.local]);
}

function isPhone(): boolean {
  return typeof navigator !== "undefined" && /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
}

/** The connect step: one button per wallet, and help when no wallet is found. */
export function ConnectOptions({ network }: { network: ClientNetwork }) {
  const { browser, coinbase, dev } = useWalletOptions(network);
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

  const row =
    "flex w-full items-center gap-3 rounded-xl border border-zinc-200 bg-white px-4 py-3 text-left text-[15px] font-medium transition hover:border-zinc-300 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-zinc-900 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";

  const devConnector = dev[devIndex] ?? dev[0];
  const nothingFound = browser.length === 0;

  return (
    <div data-testid="connect-options">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Connect the wallet that holds your USDC.</p>
      <ul className="mt-3 space-y-2">
        {browser.map((c) => (
          <li key={c.uid}>
            <button type="button" className={row} disabled={!!pending} onClick={() => connectTo(c, c.id === "injected" ? "Your browser wallet" : c.name)}>
              <ConnectorIcon connector={c} />
              <span className="flex-1">{c.id === "injected" ? "Browser wallet" : c.name}</span>
              {pending === c.uid ? <Spinner /> : <span className="text-xs font-normal text-zinc-500">Detected</span>}
            </button>
          </li>
        ))}
        {coinbase ? (
          <li>
            <button type="button" className={row} disabled={!!pending} onClick={() => connectTo(coinbase)}>
              <span className="flex size-7 items-center justify-center rounded-lg bg-[#0052ff] text-white" aria-hidden>
                <span className="size-3 rounded-[3px] bg-white" />
              </span>
              <span className="flex-1">
                Coinbase Wallet
                <span className="block text-xs font-normal text-zinc-500">App, extension or smart wallet (passkey)</span>
              </span>
              {pending === coinbase.uid ? <Spinner /> : null}
            </button>
          </li>
        ) : null}
        {devConnector ? (
          <li className="rounded-xl border border-dashed border-amber-300 bg-amber-50/60 p-2 dark:border-amber-700/60 dark:bg-amber-950/20">
            <button type="button" className={`${row} border-amber-200`} disabled={!!pending} onClick={() => connectTo(devConnector, "The test wallet")}>
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
      {nothingFound ? <NoWalletHelp /> : null}
    </div>
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

/** Help when the browser has no wallet: on a phone, open the page inside a wallet app. */
function NoWalletHelp() {
  const phone = isPhone();
  const here = typeof location !== "undefined" ? `${location.host}${location.pathname}` : "";
  return (
    <div className="mt-4 rounded-xl bg-zinc-50 px-4 py-3 text-sm text-zinc-600 dark:bg-zinc-800/60 dark:text-zinc-300">
      {phone ? (
        <>
          <p className="font-medium text-zinc-800 dark:text-zinc-100">No wallet in this browser</p>
          <p className="mt-1">Open this page in your wallet app&apos;s browser, or use Coinbase Wallet above.</p>
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
          <p className="mt-1">Install a wallet extension such as MetaMask and reload, or use Coinbase Wallet above.</p>
        </>
      )}
    </div>
  );
}
