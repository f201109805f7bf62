/**
 * Hardhat 2 configuration, used only to run the local node (`hardhat node`) started by
 * scripts/lib/devnet.ts. Contracts are compiled with solc-js (scripts/lib/contracts.ts) and deployed
 * with viem: Hardhat's own compile would download a compiler, which this setup never does.
 *
 * The chain id comes from CHAIN_ID (default 31337). Accounts are Hardhat's defaults: 20 accounts of
 * the public "test test … junk" mnemonic with 10,000 ETH each.
 *
 * Mining: automine (each transaction is mined as it arrives, so its receipt is there when the send
 * answers — a purchase costs one send and one receipt read; blocks of the same second share its
 * timestamp, so the chain's clock follows the wall clock) plus an empty block every second, so
 * that chain time moves on an idle chain (the reconciler decides an expired authorization by the
 * latest block's timestamp). Automine refuses out-of-order nonces ("can't be queued when
 * automining"); the settlement pipeline sends in nonce order and fills gaps (lib/settlement/pipeline.ts),
 * which is also what several app instances sharing one key need on any chain.
 */
module.exports = {
  solidity: "0.8.24",
  networks: {
    hardhat: {
      chainId: Number(process.env.CHAIN_ID ?? 31337),
      mining: { auto: true, interval: 1000 },
      // Blocks mined within one second share its timestamp instead of each taking the previous
      // one + 1 s: a burst of automined transactions (hundreds a minute in the bench) would
      // otherwise push the chain's clock minutes ahead of the wall clock, and every authorization
      // (valid for maxTimeoutSeconds of wall time) would be refused as expired. A real chain mines
      // one block every few seconds, so its clock never runs ahead like that.
      allowBlocksWithSameTimestamp: true,
    },
  },
};
