import "server-only";
import { getAddress, type Address } from "viem";
import { env } from "@/lib/env";
import type { NetworkConfig } from "@/lib/networks";

/**
 * Smart-wallet factories the in-process facilitator may call to deploy a buyer's account before
 * settling (ERC-6492). A counterfactual smart wallet (not deployed yet) signs its EIP-3009
 * authorization as an ERC-6492 signature: `abi.encode(factory, factoryCalldata, innerSignature)`
 * followed by the 32-byte magic suffix `0x6492…6492`. `@x402/evm`'s exact scheme verifies it by
 * simulating deploy + transfer through Multicall3 and, on settle, sends `factoryCalldata` to
 * `factory` from the settlement account before `transferWithAuthorization` — but only when the
 * factory is in its `eip6492AllowedFactories`, because a factory call is a transaction our account
 * pays for. Deployed smart wallets (ERC-1271) need no factory and are always accepted.
 */
type KnownFactory = {
  /** Who deploys accounts through it. */
  wallet: string;
  address: Address;
  /** EVM chain ids it is deployed on; `"local"` = the embedded local chain (Safe 1.4.1 is installed there). */
  chains: readonly number[] | "local";
};

/** Vend's real networks: Base, Base Sepolia, Ethereum, Polygon, Arbitrum One, Optimism. */
const VEND_MAINNETS_AND_TESTNETS = [8453, 84532, 1, 137, 42161, 10] as const;

/**
 * The factories of the smart wallets buyers pay with, by deployment:
 * - Coinbase Smart Wallet v1 (`CoinbaseSmartWalletFactory`, Safe Singleton Factory CREATE2 address,
 *   the same on every chain it supports: Base, Base Sepolia, Ethereum, Polygon, Arbitrum, Optimism…);
 * - Coinbase Smart Wallet v1.1, the factory of Base Account (`@base-org/account`'s `factoryAddress`,
 *   and the one CDP's `wrapSignatureWithEip6492IfUndeployed` names);
 * - MetaMask Smart Accounts (Delegation Framework v1.3.0 `SimpleFactory`, deployed by
 *   `@metamask/delegation-deployments` on all six networks above);
 * - Safe 1.4.1 `SafeProxyFactory` (canonical address) on the local chain, where the test smart
 *   accounts are real Safes (scripts/lib/smart-accounts.ts). Safe{Wallet} itself signs only from
 *   deployed Safes (ERC-1271), so it is not needed on real networks.
 */
export const KNOWN_FACTORIES: readonly KnownFactory[] = [
  { wallet: "Coinbase Smart Wallet v1", address: "0x0BA5ED0c6AA8c49038F819E587E2633c4A9F428a", chains: VEND_MAINNETS_AND_TESTNETS },
  { wallet: "Base Account (Coinbase Smart Wallet v1.1)", address: "0xBA5ED110eFDBa3D005bfC882d75358ACBbB85842", chains: VEND_MAINNETS_AND_TESTNETS },
  { wallet: "MetaMask Smart Account", address: "0x69Aa2f9fe1572F1B640E1bbc512f5c3a734fc77c", chains: VEND_MAINNETS_AND_TESTNETS },
  { wallet: "Safe 1.4.1", address: "0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67", chains: "local" },
];

/**
 * The `eip6492AllowedFactories` of one network's exact scheme (v2 and v1): the known factories
 * deployed there plus every address in `EIP6492_ALLOWED_FACTORIES` (comma-separated, allowed on
 * every network), checksummed and without duplicates.
 *
 * @param network - the network the scheme is registered for (its chain id, and whether it is the local chain)
 * @returns checksummed factory addresses
 */
export function eip6492AllowedFactories(network: Pick<NetworkConfig, "chainId" | "local">): Address[] {
  const known = KNOWN_FACTORIES.filter((f) => (f.chains === "local" ? network.local : f.chains.includes(network.chainId)));
  return [...new Set([...known.map((f) => f.address), ...env().EIP6492_ALLOWED_FACTORIES].map((a) => getAddress(a)))];
}
