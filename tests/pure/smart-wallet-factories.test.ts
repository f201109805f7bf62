import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * Which ERC-6492 factories the in-process facilitator may call, per network
 * (lib/x402/smart-wallets.ts), and the validation of `EIP6492_ALLOWED_FACTORIES` (lib/env.ts).
 * No database, no chain: the environment is read fresh for each case.
 */
const CSW_V1 = "0x0BA5ED0c6AA8c49038F819E587E2633c4A9F428a";
const BASE_ACCOUNT = "0xBA5ED110eFDBa3D005bfC882d75358ACBbB85842";
const METAMASK = "0x69Aa2f9fe1572F1B640E1bbc512f5c3a734fc77c";
const SAFE = "0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67";

async function factoriesWith(value: string | undefined) {
  vi.resetModules();
  if (value === undefined) delete process.env.EIP6492_ALLOWED_FACTORIES;
  else process.env.EIP6492_ALLOWED_FACTORIES = value;
  return (await import("@/lib/x402/smart-wallets")).eip6492AllowedFactories;
}

afterEach(() => {
  delete process.env.EIP6492_ALLOWED_FACTORIES;
});

describe("eip6492AllowedFactories", () => {
  it("allows the Coinbase Smart Wallet, Base Account and MetaMask factories on Base, and no Safe there", async () => {
    const allowed = await factoriesWith(undefined);
    expect(allowed({ chainId: 8453, local: false })).toEqual([CSW_V1, BASE_ACCOUNT, METAMASK]);
    expect(allowed({ chainId: 84532, local: false })).toEqual([CSW_V1, BASE_ACCOUNT, METAMASK]);
  });

  it("allows only Safe 1.4.1's proxy factory on the local chain, and nothing on an unknown chain", async () => {
    const allowed = await factoriesWith(undefined);
    expect(allowed({ chainId: 31337, local: true })).toEqual([SAFE]);
    expect(allowed({ chainId: 999, local: false })).toEqual([]);
  });

  it("adds EIP6492_ALLOWED_FACTORIES on every network, checksummed, without duplicates", async () => {
    const extra = "0x1111111111111111111111111111111111111111";
    const allowed = await factoriesWith(` ${extra.toUpperCase().replace("0X", "0x")}, ${CSW_V1.toLowerCase()} ,`);
    expect(allowed({ chainId: 8453, local: false })).toEqual([CSW_V1, BASE_ACCOUNT, METAMASK, extra]);
    expect(allowed({ chainId: 31337, local: true })).toEqual([SAFE, extra, CSW_V1]);
  });

  it("refuses an EIP6492_ALLOWED_FACTORIES entry that is not an address, naming it", async () => {
    const allowed = await factoriesWith(`${CSW_V1},0x1234,not-an-address`);
    expect(() => allowed({ chainId: 8453, local: false })).toThrow(/EIP6492_ALLOWED_FACTORIES: not an address: 0x1234, not-an-address/);
  });
});
