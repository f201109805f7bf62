/**
 * Hardhat 2 configuration, used only to run the local node (`hardhat node`) started by
 * scripts/lib/devnet.ts. Contracts are compiled with solc-js (scripts/lib/contracts.ts) and deployed
 * with viem: Hardhat's own compile would download a compiler, which this setup never does.
 *
 * The chain id comes from CHAIN_ID (default 31337). Accounts are Hardhat's defaults: 20 accounts of
 * the public "test test … junk" mnemonic with 10,000 ETH each.
 */
module.exports = {
  solidity: "0.8.24",
  networks: {
    hardhat: {
      chainId: Number(process.env.CHAIN_ID ?? 31337),
    },
  },
};
