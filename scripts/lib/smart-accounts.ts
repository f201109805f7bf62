import { createRequire } from "node:module";
import {
  concat,
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  encodePacked,
  getContractAddress,
  hashMessage,
  hashTypedData,
  http,
  keccak256,
  pad,
  publicActions,
  serializeErc6492Signature,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type LocalAccount,
} from "viem";
import { privateKeyToAccount, toAccount } from "viem/accounts";

/**
 * Real smart accounts on the local chain for tests and demos: Safe 1.4.1 from the published
 * `@safe-global/safe-contracts` artifacts (SafeL2 singleton, SafeProxyFactory,
 * CompatibilityFallbackHandler), deployed through the Safe Singleton Factory so that they sit at
 * their canonical addresses — the same as on every public chain — and a 1-of-1 Safe owned by a
 * viem account that signs like a smart wallet does: ERC-1271 once deployed, ERC-6492 (factory +
 * calldata + inner signature) while counterfactual.
 */

const require = createRequire(import.meta.url);

type Artifact = { abi: Abi; bytecode: Hex };

function artifact(path: string): Artifact {
  const { abi, bytecode } = require(`@safe-global/safe-contracts/build/artifacts/contracts/${path}`) as Artifact;
  return { abi, bytecode };
}

/** The Safe 1.4.1 contracts Vend's tests use, as published (ABI + creation bytecode). */
export const safeArtifacts = {
  SafeL2: artifact("SafeL2.sol/SafeL2.json"),
  SafeProxyFactory: artifact("proxies/SafeProxyFactory.sol/SafeProxyFactory.json"),
  SafeProxy: artifact("proxies/SafeProxy.sol/SafeProxy.json"),
  CompatibilityFallbackHandler: artifact("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json"),
};

/**
 * The Safe Singleton Factory (safe-global/safe-singleton-factory): `calldata = salt (32 bytes) ++
 * initcode` → CREATE2. Its runtime code is the deterministic-deployment proxy's (69 bytes, the same
 * on every chain); installed with `hardhat_setCode` since its pre-signed deployment transaction
 * needs a funded key we do not have.
 */
export const SAFE_SINGLETON_FACTORY: Address = "0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7";
const SINGLETON_FACTORY_RUNTIME: Hex =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";
const ZERO_SALT: Hex = pad("0x", { size: 32 });

/** Where {@link installSafe} puts each contract: the canonical Safe 1.4.1 addresses (CREATE2, salt 0). */
export const SAFE_ADDRESSES = {
  SafeL2: create2Address(safeArtifacts.SafeL2.bytecode),
  SafeProxyFactory: create2Address(safeArtifacts.SafeProxyFactory.bytecode),
  CompatibilityFallbackHandler: create2Address(safeArtifacts.CompatibilityFallbackHandler.bytecode),
} as const;

function create2Address(bytecode: Hex): Address {
  return getContractAddress({ opcode: "CREATE2", from: SAFE_SINGLETON_FACTORY, salt: ZERO_SALT, bytecode });
}

/**
 * Installs Safe 1.4.1 on a Hardhat node: the Safe Singleton Factory's code (`hardhat_setCode`),
 * then SafeL2, SafeProxyFactory and CompatibilityFallbackHandler deployed through it from
 * `deployer`, at {@link SAFE_ADDRESSES} (0x29fc…C762, 0x4e1D…ec67, 0xfd07…Ec99). Contracts already
 * there are skipped, so it is idempotent.
 *
 * @param opts.deployer - private key of a funded account (it pays the three deployments, ~7.5M gas)
 * @throws Error when a deployment fails or leaves no code at the expected address
 */
export async function installSafe(opts: { rpcUrl: string; chainId: number; deployer: Hex }): Promise<typeof SAFE_ADDRESSES> {
  const transport = http(opts.rpcUrl);
  const chain = localChain(opts.chainId, opts.rpcUrl);
  await createTestClient({ mode: "hardhat", chain, transport }).setCode({
    address: SAFE_SINGLETON_FACTORY,
    bytecode: SINGLETON_FACTORY_RUNTIME,
  });
  const wallet = createWalletClient({ account: privateKeyToAccount(opts.deployer), chain, transport, pollingInterval: 50 }).extend(
    publicActions,
  );
  for (const name of ["SafeL2", "SafeProxyFactory", "CompatibilityFallbackHandler"] as const) {
    const address = SAFE_ADDRESSES[name];
    if ((await wallet.getCode({ address })) !== undefined) continue;
    const hash = await wallet.sendTransaction({ to: SAFE_SINGLETON_FACTORY, data: concat([ZERO_SALT, safeArtifacts[name].bytecode]) });
    const receipt = await wallet.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || (await wallet.getCode({ address })) === undefined) {
      throw new Error(`Safe ${name} was not deployed at ${address} (transaction ${hash})`);
    }
  }
  return SAFE_ADDRESSES;
}

function localChain(chainId: number, rpcUrl: string) {
  return {
    id: chainId,
    name: `Local chain (${chainId})`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  } as const;
}

/**
 * A 1-of-1 Safe owned by a viem account, usable wherever a viem `LocalAccount` signs messages and
 * typed data (x402 clients, SIWE): `address` is the Safe's, and `signMessage` / `signTypedData`
 * answer as a smart wallet does for it (ERC-1271, wrapped in ERC-6492 while counterfactual). It
 * cannot sign transactions. See {@link safeSmartAccount}.
 */
export type SafeSmartAccount = LocalAccount & {
  owner: LocalAccount;
  /** The factory in the ERC-6492 wrapper and the call that deploys this Safe through it. */
  factory: Address;
  factoryData: Hex;
  isDeployed(): Promise<boolean>;
  /**
   * Deploys the Safe through its factory from `from` (a funded key).
   * @returns the deployment transaction hash
   */
  deploy(from: Hex): Promise<Hex>;
  /**
   * ERC-1271 signature of a 32-byte hash (the owner's EIP-712 signature of the Safe's
   * `SafeMessage{message: hash}`), wrapped in ERC-6492 while the Safe is not deployed.
   */
  signHash(hash: Hex): Promise<Hex>;
};

/**
 * A 1-of-1 Safe 1.4.1 for `owner` (`setup([owner], 1, 0x0, 0x, CompatibilityFallbackHandler, …)`,
 * created with `createProxyWithNonce(SafeL2, initializer, saltNonce)`), whose address is computed
 * offline (CREATE2: factory, `keccak256(keccak256(initializer) ++ saltNonce)`, proxy creation code
 * ++ singleton). The token calls the Safe's `isValidSignature(bytes32, bytes)` (ERC-1271), which the
 * fallback handler answers by checking the owner's signature of the Safe's EIP-712 `SafeMessage`.
 *
 * @param opts.factory - the SafeProxyFactory to deploy through (default the canonical one; a test
 *   passes another to get a signature naming a factory the facilitator does not allow)
 * @param opts.saltNonce - distinguishes several Safes of one owner (default 0)
 */
export function safeSmartAccount(opts: {
  owner: LocalAccount;
  rpcUrl: string;
  chainId: number;
  factory?: Address;
  saltNonce?: bigint;
}): SafeSmartAccount {
  const factory = opts.factory ?? SAFE_ADDRESSES.SafeProxyFactory;
  const saltNonce = opts.saltNonce ?? 0n;
  const chain = localChain(opts.chainId, opts.rpcUrl);
  const client = createPublicClient({ chain, transport: http(opts.rpcUrl) });
  const initializer = encodeFunctionData({
    abi: safeArtifacts.SafeL2.abi,
    functionName: "setup",
    args: [[opts.owner.address], 1n, zeroAddress, "0x", SAFE_ADDRESSES.CompatibilityFallbackHandler, zeroAddress, 0n, zeroAddress],
  });
  const factoryData = encodeFunctionData({
    abi: safeArtifacts.SafeProxyFactory.abi,
    functionName: "createProxyWithNonce",
    args: [SAFE_ADDRESSES.SafeL2, initializer, saltNonce],
  });
  const address = getContractAddress({
    opcode: "CREATE2",
    from: factory,
    salt: keccak256(encodePacked(["bytes32", "uint256"], [keccak256(initializer), saltNonce])),
    bytecode: concat([safeArtifacts.SafeProxy.bytecode, pad(SAFE_ADDRESSES.SafeL2, { size: 32 })]),
  });
  const isDeployed = async () => (await client.getCode({ address })) !== undefined;

  const signHash = async (hash: Hex): Promise<Hex> => {
    const signature = await opts.owner.signTypedData({
      domain: { chainId: opts.chainId, verifyingContract: address },
      types: { SafeMessage: [{ name: "message", type: "bytes" }] },
      primaryType: "SafeMessage",
      message: { message: hash },
    });
    if (await isDeployed()) return signature;
    return serializeErc6492Signature({ address: factory, data: factoryData, signature });
  };

  const account = toAccount({
    address,
    signMessage: ({ message }) => signHash(hashMessage(message)),
    signTypedData: (typed) => signHash(hashTypedData(typed)),
    signTransaction: async () => {
      throw new Error("A Safe does not sign transactions: its owner executes them through the Safe.");
    },
  });
  return {
    ...account,
    owner: opts.owner,
    factory,
    factoryData,
    isDeployed,
    async deploy(from: Hex) {
      const wallet = createWalletClient({ account: privateKeyToAccount(from), chain, transport: http(opts.rpcUrl), pollingInterval: 50 });
      const hash = await wallet.sendTransaction({ to: factory, data: factoryData });
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      if (receipt.status !== "success") throw new Error(`Safe ${address} was not deployed (transaction ${hash})`);
      return hash;
    },
    signHash,
  };
}
