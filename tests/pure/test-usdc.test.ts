import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { x402Client } from "@x402/core/client";
import { x402Facilitator } from "@x402/core/facilitator";
import type { Network, PaymentRequired, PaymentRequirements } from "@x402/core/types";
import { eip3009ABI, toFacilitatorEvmSigner, type ClientEvmSigner } from "@x402/evm";
import { ExactEvmScheme as ExactEvmClientScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme as ExactEvmFacilitatorScheme } from "@x402/evm/exact/facilitator";
import {
  createPublicClient,
  createWalletClient,
  domainSeparator,
  getAddress,
  http,
  parseEventLogs,
  parseSignature,
  publicActions,
  toEventSignature,
  toFunctionSignature,
  toHex,
  type Abi,
  type AbiEvent,
  type AbiFunction,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifacts, testUsdcAbi, type Artifacts } from "@/scripts/lib/contracts";
import {
  FUNDING_PER_ACCOUNT,
  SETTLEMENT_ACCOUNT_INDEX,
  devnetChain,
  hardhatAccount,
  startDevnet,
  type Devnet,
} from "@/scripts/lib/devnet";

/** EIP-3009 typed-data types, spelled out here so the tests do not trust the code under test. */
const authorizationFields = [
  { name: "from", type: "address" },
  { name: "to", type: "address" },
  { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" },
  { name: "validBefore", type: "uint256" },
  { name: "nonce", type: "bytes32" },
] as const;
const transferTypes = { TransferWithAuthorization: authorizationFields } as const;
const receiveTypes = { ReceiveWithAuthorization: authorizationFields } as const;
const cancelTypes = {
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

type Authorization = { from: Address; to: Address; value: bigint; validAfter: bigint; validBefore: bigint; nonce: Hex };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The node mines on every transaction, so receipts exist at once: poll quickly instead of viem's 4 s.
 * Hardhat reports reverts as JSON-RPC -32603, which viem would retry three times: no retries here.
 */
const POLL_MS = 50;

const newNonce = (): Hex => toHex(randomBytes(32));

let dataDir: string;
let devnet: Devnet;
let artifacts: Artifacts;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "vend-test-usdc-"));
  devnet = await startDevnet({ dataDir, port: await freePort(), quiet: true });
  artifacts = await loadArtifacts(dataDir);
});

afterAll(async () => {
  await devnet?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function chain() {
  return devnetChain(devnet.chainId, devnet.rpcUrl);
}

function reader() {
  return createPublicClient({ chain: chain(), transport: http(devnet.rpcUrl, { retryCount: 0 }), pollingInterval: POLL_MS });
}

function walletOf(account: LocalAccount | number) {
  const acct = typeof account === "number" ? privateKeyToAccount(hardhatAccount(account).privateKey) : account;
  return createWalletClient({
    account: acct,
    chain: chain(),
    transport: http(devnet.rpcUrl, { retryCount: 0 }),
    pollingInterval: POLL_MS,
  }).extend(publicActions);
}

function signerOf(index: number): LocalAccount {
  return privateKeyToAccount(hardhatAccount(index).privateKey);
}

function domain() {
  return { name: "USD Coin", version: "2", chainId: devnet.chainId, verifyingContract: devnet.asset } as const;
}

async function balanceOf(owner: Address): Promise<bigint> {
  return reader().readContract({ address: devnet.asset, abi: testUsdcAbi, functionName: "balanceOf", args: [owner] });
}

async function chainNow(): Promise<bigint> {
  return (await reader().getBlock({ blockTag: "latest" })).timestamp;
}

async function authorization(from: Address, to: Address, value: bigint): Promise<Authorization> {
  const now = await chainNow();
  return { from, to, value, validAfter: 0n, validBefore: now + 3600n, nonce: newNonce() };
}

function signTransfer(signer: LocalAccount, auth: Authorization): Promise<Hex> {
  return signer.signTypedData({ domain: domain(), types: transferTypes, primaryType: "TransferWithAuthorization", message: auth });
}

function vrs(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { r, s, v } = parseSignature(signature);
  if (v === undefined) throw new Error("signature has no v");
  return { v: Number(v), r, s };
}

async function transferBytes(auth: Authorization, signature: Hex, submitter = SETTLEMENT_ACCOUNT_INDEX) {
  const hash = await walletOf(submitter).writeContract({
    address: devnet.asset,
    abi: testUsdcAbi,
    functionName: "transferWithAuthorization",
    args: [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, signature],
  });
  return reader().waitForTransactionReceipt({ hash });
}

async function transferVrs(auth: Authorization, signature: Hex, submitter = SETTLEMENT_ACCOUNT_INDEX) {
  const { v, r, s } = vrs(signature);
  const hash = await walletOf(submitter).writeContract({
    address: devnet.asset,
    abi: testUsdcAbi,
    functionName: "transferWithAuthorization",
    args: [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, v, r, s],
  });
  return reader().waitForTransactionReceipt({ hash });
}

function expectAuthorizationUsed(receipt: TransactionReceipt, auth: Authorization): void {
  expect(receipt.status).toBe("success");
  const used = parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs, eventName: "AuthorizationUsed" });
  expect(used).toHaveLength(1);
  expect(used[0]?.address.toLowerCase()).toBe(devnet.asset.toLowerCase());
  expect(used[0]?.args).toEqual({ authorizer: auth.from, nonce: auth.nonce });
  const transfers = parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs, eventName: "Transfer" });
  expect(transfers.map((t) => t.args)).toEqual([{ from: auth.from, to: auth.to, value: auth.value }]);
}

/** Signatures (name, inputs, mutability, outputs) of an ABI's functions and events, for set comparison. */
function signatures(abi: Abi | readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const item of abi as Abi) {
    if (item.type === "function") {
      const fn = item as AbiFunction;
      out.add(`${toFunctionSignature(fn)} ${fn.stateMutability} -> (${fn.outputs.map((o) => o.type).join(",")})`);
    } else if (item.type === "event") {
      const ev = item as AbiEvent;
      out.add(`event ${toEventSignature(ev)} [${ev.inputs.map((i) => (i.indexed ? "i" : "-")).join("")}]`);
    }
  }
  return out;
}

describe("devnet", () => {
  it("funds Hardhat accounts #1–#9 with 1,000 USDC and leaves #0 and the settlement account without USDC", async () => {
    expect(devnet.accounts).toHaveLength(10);
    expect(devnet.accounts[0]?.address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    for (const [i, account] of devnet.accounts.entries()) {
      expect(account).toEqual(hardhatAccount(i));
      expect(privateKeyToAccount(account.privateKey).address).toBe(account.address);
    }
    expect(FUNDING_PER_ACCOUNT).toBe(1_000_000_000n);
    const settlement = privateKeyToAccount(devnet.settlementPrivateKey).address;
    expect(settlement).toBe(hardhatAccount(19).address);
    expect(await balanceOf(devnet.accounts[0]!.address)).toBe(0n);
    expect(await balanceOf(settlement)).toBe(0n);
    expect(await reader().getBalance({ address: settlement })).toBeGreaterThan(0n);
    const totalSupply = await reader().readContract({ address: devnet.asset, abi: testUsdcAbi, functionName: "totalSupply" });
    expect(totalSupply).toBeGreaterThanOrEqual(9n * FUNDING_PER_ACCOUNT);
  });

  it("writes chain.json with the RPC URL, chain id, token and settlement key", async () => {
    const record = JSON.parse(await readFile(path.join(dataDir, "chain.json"), "utf8")) as unknown;
    expect(record).toEqual({
      rpcUrl: devnet.rpcUrl,
      chainId: devnet.chainId,
      asset: devnet.asset,
      settlementPrivateKey: devnet.settlementPrivateKey,
    });
    expect(await reader().getChainId()).toBe(devnet.chainId);
    expect(devnet.chainId).toBe(Number(process.env.CHAIN_ID ?? 31337));
  });

  it("refuses to start a second node on a port that is in use", async () => {
    const port = Number(new URL(devnet.rpcUrl).port);
    const other = await mkdtemp(path.join(os.tmpdir(), "vend-test-usdc-busy-"));
    try {
      await expect(startDevnet({ dataDir: other, port, quiet: true })).rejects.toThrow(/port \d+ .*already in use/);
      expect(existsSync(path.join(other, "chain.json"))).toBe(false);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe("TestUSDC token", () => {
  it("looks like USDC: name, symbol, 6 decimals, EIP-712 version 2 and domain separator", async () => {
    const r = reader();
    const read = <F extends "name" | "symbol" | "decimals" | "version" | "DOMAIN_SEPARATOR">(functionName: F) =>
      r.readContract({ address: devnet.asset, abi: testUsdcAbi, functionName });
    expect(await read("name")).toBe("USD Coin");
    expect(await read("symbol")).toBe("USDC");
    expect(await read("decimals")).toBe(6);
    expect(await read("version")).toBe("2");
    expect(await read("DOMAIN_SEPARATOR")).toBe(domainSeparator({ domain: domain() }));
  });

  it("has every function and event of the typed ABI and every call @x402/evm makes (eip3009ABI)", () => {
    const compiled = signatures(artifacts.TestUSDC.abi);
    const missing = [...signatures(testUsdcAbi), ...signatures(eip3009ABI)].filter((s) => !compiled.has(s));
    expect(missing).toEqual([]);
  });

  it("lets only the owner mint", async () => {
    const { TestUSDC } = artifacts;
    await expect(
      walletOf(1).writeContract({
        address: devnet.asset,
        abi: TestUSDC.abi,
        functionName: "mint",
        args: [hardhatAccount(1).address, 1n],
      }),
    ).rejects.toThrow(/OwnableUnauthorizedAccount/);
  });
});

describe("EIP-3009 transferWithAuthorization", () => {
  it("(v, r, s) form moves exactly `value` and emits AuthorizationUsed", async () => {
    const payer = signerOf(1);
    const payee = hardhatAccount(2).address;
    const auth = await authorization(payer.address, payee, 1_234_567n);
    const [payerBefore, payeeBefore] = [await balanceOf(payer.address), await balanceOf(payee)];

    const receipt = await transferVrs(auth, await signTransfer(payer, auth));

    expectAuthorizationUsed(receipt, auth);
    expect(await balanceOf(payer.address)).toBe(payerBefore - auth.value);
    expect(await balanceOf(payee)).toBe(payeeBefore + auth.value);
    expect(
      await reader().readContract({
        address: devnet.asset,
        abi: testUsdcAbi,
        functionName: "authorizationState",
        args: [payer.address, auth.nonce],
      }),
    ).toBe(true);
    console.info(`transferWithAuthorization (v,r,s) gas used: ${receipt.gasUsed}`);
  });

  it("(bytes signature) form moves exactly `value` and emits AuthorizationUsed", async () => {
    const payer = signerOf(3);
    const payee = hardhatAccount(4).address;
    const auth = await authorization(payer.address, payee, 10_000n);
    const [payerBefore, payeeBefore] = [await balanceOf(payer.address), await balanceOf(payee)];

    const receipt = await transferBytes(auth, await signTransfer(payer, auth));

    expectAuthorizationUsed(receipt, auth);
    expect(await balanceOf(payer.address)).toBe(payerBefore - auth.value);
    expect(await balanceOf(payee)).toBe(payeeBefore + auth.value);
    console.info(`transferWithAuthorization (bytes) gas used: ${receipt.gasUsed}`);
  });

  it("rejects a replay of the same nonce, in either form", async () => {
    const payer = signerOf(1);
    const auth = await authorization(payer.address, hardhatAccount(5).address, 1n);
    const signature = await signTransfer(payer, auth);
    expectAuthorizationUsed(await transferBytes(auth, signature), auth);
    const balance = await balanceOf(payer.address);

    await expect(transferBytes(auth, signature)).rejects.toThrow(/FiatTokenV2: authorization is used or canceled/);
    await expect(transferVrs(auth, signature)).rejects.toThrow(/FiatTokenV2: authorization is used or canceled/);
    expect(await balanceOf(payer.address)).toBe(balance);
  });

  it("rejects an expired authorization and one that is not yet valid", async () => {
    const payer = signerOf(1);
    const now = await chainNow();
    const expired = { ...(await authorization(payer.address, hardhatAccount(5).address, 1n)), validBefore: now - 1n };
    await expect(transferVrs(expired, await signTransfer(payer, expired))).rejects.toThrow(
      /FiatTokenV2: authorization is expired/,
    );
    const early = { ...(await authorization(payer.address, hardhatAccount(5).address, 1n)), validAfter: now + 3600n };
    await expect(transferBytes(early, await signTransfer(payer, early))).rejects.toThrow(
      /FiatTokenV2: authorization is not yet valid/,
    );
  });

  it("rejects a signature by someone other than `from`, and a tampered value", async () => {
    const payer = signerOf(1);
    const auth = await authorization(payer.address, hardhatAccount(6).address, 5n);
    await expect(transferBytes(auth, await signTransfer(signerOf(6), auth))).rejects.toThrow(
      /FiatTokenV2: invalid signature/,
    );
    const signature = await signTransfer(payer, auth);
    await expect(transferVrs({ ...auth, value: 6n }, signature)).rejects.toThrow(/FiatTokenV2: invalid signature/);
    expectAuthorizationUsed(await transferVrs(auth, signature), auth);
  });

  it("rejects an authorization above the payer's balance with FiatToken's ERC-20 message", async () => {
    const payer = signerOf(7);
    const auth = await authorization(payer.address, hardhatAccount(8).address, (await balanceOf(payer.address)) + 1n);
    await expect(transferBytes(auth, await signTransfer(payer, auth))).rejects.toThrow(
      /ERC20: transfer amount exceeds balance/,
    );
  });
});

describe("EIP-3009 receiveWithAuthorization", () => {
  async function signReceive(signer: LocalAccount, auth: Authorization): Promise<Hex> {
    return signer.signTypedData({ domain: domain(), types: receiveTypes, primaryType: "ReceiveWithAuthorization", message: auth });
  }

  async function receiveBytes(auth: Authorization, signature: Hex, submitter: number) {
    const hash = await walletOf(submitter).writeContract({
      address: devnet.asset,
      abi: testUsdcAbi,
      functionName: "receiveWithAuthorization",
      args: [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, signature],
    });
    return reader().waitForTransactionReceipt({ hash });
  }

  async function receiveVrs(auth: Authorization, signature: Hex, submitter: number) {
    const { v, r, s } = vrs(signature);
    const hash = await walletOf(submitter).writeContract({
      address: devnet.asset,
      abi: testUsdcAbi,
      functionName: "receiveWithAuthorization",
      args: [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, v, r, s],
    });
    return reader().waitForTransactionReceipt({ hash });
  }

  it("(bytes) form requires the payee as caller, then moves exactly `value`", async () => {
    const payer = signerOf(2);
    const payee = hardhatAccount(3).address;
    const auth = await authorization(payer.address, payee, 777n);
    const signature = await signReceive(payer, auth);

    await expect(receiveBytes(auth, signature, SETTLEMENT_ACCOUNT_INDEX)).rejects.toThrow(
      /FiatTokenV2: caller must be the payee/,
    );
    await expect(receiveBytes(auth, signature, 2)).rejects.toThrow(/FiatTokenV2: caller must be the payee/);

    const [payerBefore, payeeBefore] = [await balanceOf(payer.address), await balanceOf(payee)];
    expectAuthorizationUsed(await receiveBytes(auth, signature, 3), auth);
    expect(await balanceOf(payer.address)).toBe(payerBefore - auth.value);
    expect(await balanceOf(payee)).toBe(payeeBefore + auth.value);
  });

  it("(v, r, s) form requires the payee as caller, then moves exactly `value`", async () => {
    const payer = signerOf(2);
    const payee = hardhatAccount(3).address;
    const auth = await authorization(payer.address, payee, 888n);
    const signature = await signReceive(payer, auth);

    await expect(receiveVrs(auth, signature, SETTLEMENT_ACCOUNT_INDEX)).rejects.toThrow(
      /FiatTokenV2: caller must be the payee/,
    );

    const [payerBefore, payeeBefore] = [await balanceOf(payer.address), await balanceOf(payee)];
    expectAuthorizationUsed(await receiveVrs(auth, signature, 3), auth);
    expect(await balanceOf(payer.address)).toBe(payerBefore - auth.value);
    expect(await balanceOf(payee)).toBe(payeeBefore + auth.value);
  });

  it("does not accept a TransferWithAuthorization signature (distinct type hash)", async () => {
    const payer = signerOf(2);
    const auth = await authorization(payer.address, hardhatAccount(3).address, 1n);
    await expect(receiveBytes(auth, await signTransfer(payer, auth), 3)).rejects.toThrow(/FiatTokenV2: invalid signature/);
  });
});

describe("EIP-3009 cancelAuthorization", () => {
  function signCancel(signer: LocalAccount, authorizer: Address, nonce: Hex): Promise<Hex> {
    return signer.signTypedData({
      domain: domain(),
      types: cancelTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer, nonce },
    });
  }

  async function cancelBytes(authorizer: Address, nonce: Hex, signature: Hex) {
    const hash = await walletOf(SETTLEMENT_ACCOUNT_INDEX).writeContract({
      address: devnet.asset,
      abi: testUsdcAbi,
      functionName: "cancelAuthorization",
      args: [authorizer, nonce, signature],
    });
    return reader().waitForTransactionReceipt({ hash });
  }

  async function cancelVrs(authorizer: Address, nonce: Hex, signature: Hex) {
    const { v, r, s } = vrs(signature);
    const hash = await walletOf(SETTLEMENT_ACCOUNT_INDEX).writeContract({
      address: devnet.asset,
      abi: testUsdcAbi,
      functionName: "cancelAuthorization",
      args: [authorizer, nonce, v, r, s],
    });
    return reader().waitForTransactionReceipt({ hash });
  }

  function authorizationState(authorizer: Address, nonce: Hex): Promise<boolean> {
    return reader().readContract({
      address: devnet.asset,
      abi: testUsdcAbi,
      functionName: "authorizationState",
      args: [authorizer, nonce],
    });
  }

  it("marks the nonce used, emits AuthorizationCanceled, and the transfer can no longer run", async () => {
    const payer = signerOf(4);
    const auth = await authorization(payer.address, hardhatAccount(5).address, 100n);
    const transferSignature = await signTransfer(payer, auth);
    const cancelSignature = await signCancel(payer, payer.address, auth.nonce);
    expect(await authorizationState(payer.address, auth.nonce)).toBe(false);

    await expect(cancelBytes(payer.address, auth.nonce, await signCancel(signerOf(5), payer.address, auth.nonce))).rejects.toThrow(
      /FiatTokenV2: invalid signature/,
    );

    const receipt = await cancelVrs(payer.address, auth.nonce, cancelSignature);
    expect(receipt.status).toBe("success");
    const canceled = parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs, eventName: "AuthorizationCanceled" });
    expect(canceled.map((e) => e.args)).toEqual([{ authorizer: payer.address, nonce: auth.nonce }]);
    expect(await authorizationState(payer.address, auth.nonce)).toBe(true);

    const balance = await balanceOf(payer.address);
    await expect(transferBytes(auth, transferSignature)).rejects.toThrow(/FiatTokenV2: authorization is used or canceled/);
    await expect(cancelBytes(payer.address, auth.nonce, cancelSignature)).rejects.toThrow(
      /FiatTokenV2: authorization is used or canceled/,
    );
    expect(await balanceOf(payer.address)).toBe(balance);
  });

  it("(bytes) form cancels too, and a used nonce cannot be canceled", async () => {
    const payer = signerOf(4);
    const nonce = newNonce();
    const receipt = await cancelBytes(payer.address, nonce, await signCancel(payer, payer.address, nonce));
    expect(parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs, eventName: "AuthorizationCanceled" })).toHaveLength(1);
    expect(await authorizationState(payer.address, nonce)).toBe(true);

    const auth = await authorization(payer.address, hardhatAccount(5).address, 1n);
    expectAuthorizationUsed(await transferBytes(auth, await signTransfer(payer, auth)), auth);
    await expect(
      cancelBytes(payer.address, auth.nonce, await signCancel(payer, payer.address, auth.nonce)),
    ).rejects.toThrow(/FiatTokenV2: authorization is used or canceled/);
  });
});

describe("ERC-1271 smart wallet", () => {
  async function deployWallet(owner: Address): Promise<Address> {
    const deployer = walletOf(0);
    const hash = await deployer.deployContract({
      abi: artifacts.MockERC1271Wallet.abi,
      bytecode: artifacts.MockERC1271Wallet.bytecode,
      args: [owner],
    });
    const receipt = await deployer.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress) throw new Error("wallet deployment failed");
    const wallet = getAddress(receipt.contractAddress);
    const mint = await deployer.writeContract({
      address: devnet.asset,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [wallet, 5_000_000n],
    });
    await deployer.waitForTransactionReceipt({ hash: mint });
    return wallet;
  }

  it("authorizes a transfer through the bytes form when its owner EOA signs, and not otherwise", async () => {
    const owner = signerOf(5);
    const wallet = await deployWallet(owner.address);
    const payee = hardhatAccount(6).address;
    const auth = await authorization(wallet, payee, 2_500_000n);

    await expect(transferBytes(auth, await signTransfer(signerOf(6), auth))).rejects.toThrow(
      /FiatTokenV2: invalid signature/,
    );

    const payeeBefore = await balanceOf(payee);
    const receipt = await transferBytes(auth, await signTransfer(owner, auth));
    expectAuthorizationUsed(receipt, auth);
    expect(await balanceOf(wallet)).toBe(2_500_000n);
    expect(await balanceOf(payee)).toBe(payeeBefore + auth.value);
  });
});

describe("@x402/evm exact scheme against TestUSDC", () => {
  function facilitatorFor(network: Network): x402Facilitator {
    const settler = privateKeyToAccount(devnet.settlementPrivateKey);
    const client = walletOf(settler);
    const signer = toFacilitatorEvmSigner({
      address: settler.address,
      getCode: (args) => client.getCode(args),
      readContract: (args) => client.readContract({ ...args, abi: args.abi as Abi, args: args.args ?? [] }),
      verifyTypedData: (args) => client.verifyTypedData(args as Parameters<typeof client.verifyTypedData>[0]),
      writeContract: (args) => client.writeContract({ ...args, abi: args.abi as Abi, args: args.args }),
      sendTransaction: (args) => client.sendTransaction(args),
      waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
    });
    return new x402Facilitator().register(network, new ExactEvmFacilitatorScheme(signer));
  }

  function paymentRequired(requirements: PaymentRequirements): PaymentRequired {
    return {
      x402Version: 2,
      resource: { url: "http://127.0.0.1/files/test", description: "test file", mimeType: "application/octet-stream" },
      accepts: [requirements],
    };
  }

  function requirementsFor(network: Network, payTo: Address, amount: bigint): PaymentRequirements {
    return {
      scheme: "exact",
      network,
      asset: devnet.asset,
      amount: amount.toString(),
      payTo,
      maxTimeoutSeconds: 300,
      extra: { name: "USD Coin", version: "2" },
    };
  }

  function payerClient(signer: ClientEvmSigner, network: Network): x402Client {
    return new x402Client()
      .register("eip155:*", new ExactEvmClientScheme(signer))
      .setSpendControls({ allowedAssets: [{ network, asset: devnet.asset }] });
  }

  it("verifies and settles a client payment, moving exactly the amount; the replay is refused", async () => {
    const network: Network = `eip155:${devnet.chainId}`;
    const facilitator = facilitatorFor(network);
    const payer = signerOf(8);
    const payee = hardhatAccount(9).address;
    const amount = 1_250_000n;
    const requirements = requirementsFor(network, payee, amount);

    const payload = await payerClient(payer, network).createPaymentPayload(paymentRequired(requirements));
    const [payerBefore, payeeBefore] = [await balanceOf(payer.address), await balanceOf(payee)];

    const verified = await facilitator.verify(payload, requirements);
    expect(verified).toMatchObject({ isValid: true, payer: payer.address });

    const settled = await facilitator.settle(payload, requirements);
    expect(settled).toMatchObject({ success: true, network, payer: payer.address });
    const receipt = await reader().getTransactionReceipt({ hash: settled.transaction as Hex });
    expect(receipt.status).toBe("success");
    expect(receipt.from.toLowerCase()).toBe(hardhatAccount(SETTLEMENT_ACCOUNT_INDEX).address.toLowerCase());
    console.info(`x402 settlement transferWithAuthorization gas used: ${receipt.gasUsed}`);

    expect(await balanceOf(payer.address)).toBe(payerBefore - amount);
    expect(await balanceOf(payee)).toBe(payeeBefore + amount);

    const replay = await facilitator.verify(payload, requirements);
    expect(replay).toMatchObject({ isValid: false, invalidReason: "invalid_exact_evm_nonce_already_used" });
    const resettle = await facilitator.settle(payload, requirements);
    expect(resettle.success).toBe(false);
    expect(await balanceOf(payer.address)).toBe(payerBefore - amount);
  });

  it("refuses the unknown token on the client side unless it is allowed by spend controls", async () => {
    const network: Network = `eip155:${devnet.chainId}`;
    const requirements = requirementsFor(network, hardhatAccount(9).address, 1n);
    const strict = new x402Client().register("eip155:*", new ExactEvmClientScheme(signerOf(8)));
    await expect(strict.createPaymentPayload(paymentRequired(requirements))).rejects.toThrow(/spendControls/);
  });

  it("settles a payment from an ERC-1271 wallet (owner-signed, submitted as v, r, s)", async () => {
    const network: Network = `eip155:${devnet.chainId}`;
    const facilitator = facilitatorFor(network);
    const owner = signerOf(7);
    const deployer = walletOf(0);
    const deployHash = await deployer.deployContract({
      abi: artifacts.MockERC1271Wallet.abi,
      bytecode: artifacts.MockERC1271Wallet.bytecode,
      args: [owner.address],
    });
    const deployed = (await deployer.waitForTransactionReceipt({ hash: deployHash })).contractAddress;
    if (!deployed) throw new Error("wallet deployment failed");
    const wallet = getAddress(deployed);
    await deployer.waitForTransactionReceipt({
      hash: await deployer.writeContract({ address: devnet.asset, abi: testUsdcAbi, functionName: "mint", args: [wallet, 3_000_000n] }),
    });
    const walletSigner: ClientEvmSigner = {
      address: wallet,
      signTypedData: (message) => owner.signTypedData(message as Parameters<typeof owner.signTypedData>[0]),
    };
    const payee = hardhatAccount(9).address;
    const requirements = requirementsFor(network, payee, 1_000_000n);
    const payload = await payerClient(walletSigner, network).createPaymentPayload(paymentRequired(requirements));
    const payeeBefore = await balanceOf(payee);

    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true, payer: wallet });
    expect(await facilitator.settle(payload, requirements)).toMatchObject({ success: true, payer: wallet });
    expect(await balanceOf(wallet)).toBe(2_000_000n);
    expect(await balanceOf(payee)).toBe(payeeBefore + 1_000_000n);
  });
});
