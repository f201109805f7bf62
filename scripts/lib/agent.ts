import { x402Client } from "@x402/core/client";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { createPublicClient, http, type Address } from "viem";
import { mnemonicToAccount, type HDAccount, type LocalAccount } from "viem/accounts";
import { HARDHAT_MNEMONIC } from "./devnet";
import { createSiweMessage } from "viem/siwe";

/**
 * What an agent or script needs to act as a Vend creator over HTTP, shared by `npm run demo`, the
 * benchmarks and the tests: Hardhat test accounts, SIWE sign-in, API keys, token balances.
 */

/** Anything that signs messages and typed data locally: a key, an HD account, or a smart account (scripts/lib/smart-accounts.ts). */
export type Account = LocalAccount;

/** Hardhat account #i of the public test mnemonic, as a viem HD account (it can sign). */
export function hardhat(i: number): HDAccount {
  return mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: i });
}

/**
 * Signs in with SIWE through next-auth (EIP-4361): CSRF token, server nonce, signed message,
 * `POST /api/auth/callback/ethereum`. Returns the `Cookie` header value carrying the session.
 */
export async function signIn(baseUrl: string, account: Account, chainId = 1): Promise<string> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { nonce } = (await (await fetch(`${baseUrl}/api/auth/nonce`)).json()) as { nonce: string };
  const url = new URL(baseUrl);
  const message = createSiweMessage({
    address: account.address,
    chainId,
    domain: url.host,
    uri: url.origin,
    version: "1",
    nonce,
    statement: "Sign in to Vend",
    issuedAt: new Date(),
  });
  const signature = await account.signMessage({ message });
  const res = await fetch(`${baseUrl}/api/auth/callback/ethereum`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ message, signature, csrfToken, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => /next-auth\.session-token=/.test(c));
  if (!session) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return session.split(";")[0]!;
}

/** Creates an API key with a session cookie and returns its secret. */
export async function createApiKey(baseUrl: string, cookie: string, name = "tests"): Promise<string> {
  const res = await fetch(`${baseUrl}/api/keys`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`create key failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

const erc20 = [
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "a", type: "address" }],
    outputs: [{ type: "uint256" }],
  },
] as const;

/** Test USDC balance (atomic units) of `address`. */
export async function usdcBalance(rpcUrl: string, asset: Address, address: Address): Promise<bigint> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  return client.readContract({ address: asset, abi: erc20, functionName: "balanceOf", args: [address] });
}

/** An official x402 v2 client paying from `account`, allowed to pay the local test USDC. */
export function payer(account: Account, network: string, asset: string): x402Client {
  const client = new x402Client().register(network as `${string}:${string}`, new ExactEvmScheme(account));
  client.setSpendControls({ allowedAssets: [{ network: network as `${string}:${string}`, asset }] });
  return client;
}
