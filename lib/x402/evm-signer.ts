import { toFacilitatorEvmSigner } from "@x402/evm";
import { createWalletClient, defineChain, http, publicActions, type LocalAccount } from "viem";

/**
 * The facilitator's EVM signer for one network (`@x402/evm`'s `toFacilitatorEvmSigner` over a viem
 * wallet client extended with `publicActions`), shared by the app's in-process facilitator and the
 * benchmark's floor so that both settle the same way. Pure: it reads no environment.
 * A local Hardhat chain mines on every transaction: receipts are polled fast and its revert errors
 * (-32603), which viem would treat as transient, are not retried. Real chains poll at 500 ms
 * instead of viem's 4 s, so a settlement is seen about a block after it lands.
 */
export function facilitatorEvmSigner(opts: {
  account: LocalAccount;
  chainId: number;
  name: string;
  rpcUrl: string;
  local: boolean;
}) {
  const chain = defineChain({
    id: opts.chainId,
    name: opts.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const client = createWalletClient({
    account: opts.account,
    chain,
    transport: http(opts.rpcUrl, opts.local ? { retryCount: 0 } : {}),
    pollingInterval: opts.local ? 50 : 500,
  }).extend(publicActions);
  return toFacilitatorEvmSigner({
    address: opts.account.address,
    getCode: (args) => client.getCode(args),
    readContract: (args) => client.readContract(args as never),
    verifyTypedData: (args) => client.verifyTypedData(args as never),
    writeContract: (args) => client.writeContract(args as never),
    sendTransaction: (args) => client.sendTransaction(args),
    waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
  });
}
