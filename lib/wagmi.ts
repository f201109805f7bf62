import { cookieStorage, createConfig, createConnector, createStorage, http, type Config, type CreateConnectorFn } from "wagmi";
import { baseAccount, coinbaseWallet, injected, metaMask, mock } from "wagmi/connectors";
import { arbitrum, base, baseSepolia, mainnet, optimism, polygon } from "viem/chains";
import { defineChain, type Address, type Chain } from "viem";

/**
 * A network as the browser needs it (from `GET /api/networks` / the server layout). The browser
 * never sees server RPC URLs (they may carry provider keys): known chains use viem's public RPC,
 * the local dev chain its own URL.
 */
export type ClientNetwork = {
  id: string;
  chainId: number;
  name: string;
  testnet: boolean;
  local: boolean;
  asset: Address;
  decimals: number;
  explorer: string | null;
  /** Only for the local chain. */
  rpcUrl?: string | null;
};

const KNOWN: Record<number, Chain> = { 1: mainnet, 8453: base, 84532: baseSepolia, 137: polygon, 42161: arbitrum, 10: optimism };

/** The local dev chain's test accounts offered by the dev wallet (Hardhat #1–#3; the node signs for them). */
export const DEV_WALLET_ACCOUNTS: readonly [Address, ...Address[]] = [
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
];

/** The viem chain for a network: viem's definition for known ids, else one built from the network. */
export function chainOf(n: ClientNetwork): Chain {
  if (n.local && n.rpcUrl) {
    return defineChain({
      id: n.chainId,
      name: n.name,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [n.rpcUrl] } },
      testnet: true,
    });
  }
  return (
    KNOWN[n.chainId] ??
    defineChain({ id: n.chainId, name: n.name, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [] } } })
  );
}

/** Id prefix of the per-account dev wallet connectors (`vend-dev-wallet-1` … `-3`). */
export const DEV_WALLET_ID = "vend-dev-wallet";

/**
 * One "Test wallet (local chain)" connector per Hardhat account (#1–#3): wagmi's `mock` connector
 * (the local node signs for these unlocked accounts) with its own id and name, so a buyer can pick
 * which test account pays.
 */
export function devWalletConnectors(): CreateConnectorFn[] {
  return DEV_WALLET_ACCOUNTS.map((account, i) => {
    const inner = mock({ accounts: [account], features: { reconnect: true } });
    return createConnector((config) => ({
      ...inner(config),
      id: `${DEV_WALLET_ID}-${i + 1}`,
      name: `Test wallet #${i + 1} (local chain)`,
    }));
  });
}

export type WagmiConfigOptions = {
  /**
   * How the local chain's test wallet is offered: one mock connector holding Hardhat #1–#3
   * (`"shared"`, default) or one connector per account (`"per-account"`, see {@link devWalletConnectors}).
   */
  devWallet?: "shared" | "per-account";
  /**
   * wagmi's SSR mode (default true: state hydrates from the cookie after mount). A client-only
   * panel passes false so stored state and EIP-6963 wallets are there on its first render.
   */
  ssr?: boolean;
  /**
   * Also offer Base Account (wagmi's `baseAccount`, `@base-org/account`: a passkey smart wallet)
   * and MetaMask's own connector (`@metamask/connect-evm`: on a phone without the extension it
   * opens the MetaMask app through its deep link; on a desktop it shows a QR code to scan). Their
   * SDKs load only when chosen. For the pay page; default false.
   */
  buyerWallets?: boolean;
};

/** Id of MetaMask's own connector (`@metamask/connect-evm`), offered when no MetaMask is injected. */
export const METAMASK_CONNECT_ID = "metaMaskSDK";

/**
 * MetaMask's connector without its `rdns`: wagmi would otherwise drop an injected MetaMask's
 * EIP-6963 announcement in its favour, and desktop users with the extension would go through the
 * heavier SDK instead of the extension directly.
 */
function metaMaskConnect(): CreateConnectorFn {
  const url = typeof window === "undefined" ? undefined : window.location.origin;
  const inner = metaMask({ dapp: { name: "Vend", ...(url ? { url } : {}) } });
  return createConnector((config) => ({ ...inner(config), rdns: undefined }));
}

/**
 * The wagmi config (wagmi 3, SSR with cookie storage): EIP-6963 injected wallets (MetaMask and
 * others announce themselves), Coinbase Wallet (and its smart wallet), with `buyerWallets` Base
 * Account and MetaMask's mobile connector, and — only when the local
 * dev chain is configured — the "Test wallet (local chain)" mock connector for Hardhat #1–#3.
 */
export function wagmiConfig(networks: ClientNetwork[], options: WagmiConfigOptions = {}): Config {
  const chains = networks.length ? networks.map(chainOf) : [mainnet];
  const hasLocal = networks.some((n) => n.local);
  const devWallets = !hasLocal
    ? []
    : options.devWallet === "per-account"
      ? devWalletConnectors()
      : [mock({ accounts: DEV_WALLET_ACCOUNTS, features: { reconnect: true } })];
  return createConfig({
    chains: chains as [Chain, ...Chain[]],
    ssr: options.ssr ?? true,
    storage: createStorage({ storage: cookieStorage }),
    multiInjectedProviderDiscovery: true,
    connectors: [
      injected(),
      coinbaseWallet({ appName: "Vend" }),
      ...(options.buyerWallets ? [baseAccount({ appName: "Vend" }), metaMaskConnect()] : []),
      ...devWallets,
    ],
    transports: Object.fromEntries(chains.map((c) => [c.id, http(c.rpcUrls.default.http[0])])),
  });
}
