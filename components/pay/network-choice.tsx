"use client";

import { useEffect, useMemo, useState } from "react";
import { erc20Abi, type Address } from "viem";
import { useConnection, useReadContract } from "wagmi";
import { Checkout } from "@/components/pay/checkout";
import { formatUsdc } from "@/lib/format";
import type { CheckoutProps } from "@/lib/pay/types";
import type { ClientNetwork } from "@/lib/wagmi";

/**
 * A link sold on several networks: once a wallet is connected, its USDC balance is read on every
 * one; the first network (in the creator's order) where it holds enough is chosen, and the buyer
 * may pick another. The checkout then pays on the chosen network only — it switches the wallet's
 * chain there and signs that network's `accepts` entry. A link on one network goes straight to
 * the checkout.
 */
export function NetworkChoice(p: CheckoutProps) {
  if (p.networks.length < 2) return <Checkout {...p} />;
  return <MultiNetworkCheckout {...p} />;
}

function MultiNetworkCheckout(p: CheckoutProps) {
  const { address } = useConnection();
  const [balances, setBalances] = useState<Record<string, bigint>>({});
  const [chosen, setChosen] = useState<string | null>(null);
  const amount = BigInt(p.amount);
  const known = p.networks.every((n) => balances[n.id] !== undefined);

  // Choose once, when every balance is known: later balance changes (this very payment) never
  // move the checkout to another network under the buyer's feet.
  useEffect(() => {
    if (chosen || !address || !known) return;
    setChosen((p.networks.find((n) => balances[n.id]! >= amount) ?? p.networks[0]!).id);
  }, [chosen, address, known, balances, amount, p.networks]);
  useEffect(() => {
    setChosen(null);
    setBalances({});
  }, [address]);

  const network = p.networks.find((n) => n.id === chosen) ?? p.networks[0]!;
  const paymentRequired = useMemo(
    () => ({ ...p.paymentRequired, accepts: p.paymentRequired.accepts.filter((a) => a.network === network.id) }),
    [p.paymentRequired, network.id],
  );
  const picker = address ? (
    <fieldset data-testid="network-choice">
      <legend className="mb-1.5 text-xs font-medium text-zinc-500">Pay on</legend>
      <div className="grid gap-1.5">
        {p.networks.map((n) => (
          <NetworkOption
            key={n.id}
            network={n}
            owner={address}
            amount={amount}
            selected={n.id === network.id}
            onSelect={() => setChosen(n.id)}
            onBalance={(value) => setBalances((b) => (b[n.id] === value ? b : { ...b, [n.id]: value }))}
          />
        ))}
      </div>
    </fieldset>
  ) : null;
  return <Checkout key={network.id} {...p} network={network} paymentRequired={paymentRequired} networkPicker={picker} />;
}

function NetworkOption({
  network,
  owner,
  amount,
  selected,
  onSelect,
  onBalance,
}: {
  network: ClientNetwork;
  owner: Address;
  amount: bigint;
  selected: boolean;
  onSelect: () => void;
  onBalance: (value: bigint) => void;
}) {
  const balance = useReadContract({ address: network.asset, abi: erc20Abi, functionName: "balanceOf", args: [owner], chainId: network.chainId });
  useEffect(() => {
    if (balance.data !== undefined) onBalance(balance.data);
    else if (balance.isError) onBalance(0n);
  }, [balance.data, balance.isError, onBalance]);
  const enough = balance.data !== undefined && balance.data >= amount;
  return (
    <label
      data-testid="network-option"
      data-network={network.id}
      data-enough={enough ? "true" : "false"}
      className={`flex cursor-pointer items-center gap-3 rounded-xl border px-3 py-2 text-sm transition ${
        selected ? "border-zinc-900 bg-zinc-50 dark:border-white dark:bg-zinc-800/60" : "border-zinc-200 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800/40"
      }`}
    >
      <input type="radio" name="pay-network" checked={selected} onChange={onSelect} className="accent-zinc-900 dark:accent-white" />
      <span className="flex-1 font-medium">{network.name}</span>
      <span className={`text-xs tabular-nums ${enough ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-500"}`}>
        {balance.isPending ? "…" : balance.isError ? "balance unknown" : `${formatUsdc(balance.data, network.decimals)}${enough ? "" : " · not enough"}`}
      </span>
    </label>
  );
}
