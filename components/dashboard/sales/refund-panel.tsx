"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { erc20Abi, isAddressEqual, type Address, type Hash } from "viem";
import { useConfig, useConnect, useConnection, useConnectors, useReadContract, useSwitchChain, useWriteContract, type Connector } from "wagmi";
import { waitForTransactionReceipt } from "wagmi/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { AlertIcon } from "@/components/ui/icons";
import { Field, Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/components/dashboard/api";
import { useDashboard } from "@/components/dashboard/context";
import { keys } from "@/components/dashboard/queries";
import type { SaleItem } from "@/components/dashboard/types";
import { isUserRejection, walletMessage } from "@/components/pay/wallet-errors";
import { formatUsdc, shortAddress, shortId } from "@/lib/format";

type Step = "idle" | "switching" | "confirm" | "mining" | "recording";

const STEP_LABEL: Record<Exclude<Step, "idle">, string> = {
  switching: "Switching network in your wallet…",
  confirm: "Confirm the transfer in your wallet…",
  mining: "Waiting for the transaction to be confirmed…",
  recording: "Checking the transfer on chain and recording the refund…",
};

/** Where a sent-but-unrecorded refund hash is kept, so a reload or a lost answer does not lose it. */
const pendingKey = (saleId: string) => `vend-refund-${saleId}`;

/**
 * POSTs a refund's hash; a transaction the server does not see mined yet (`refund_pending`) is
 * asked again a few times.
 */
async function recordRefund(saleId: string, transaction: string): Promise<SaleItem> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api<SaleItem>(`/api/sales/${encodeURIComponent(saleId)}/refund`, { method: "POST", json: { transaction } });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "refund_pending") || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

/**
 * Refunding a sale from the dashboard: the payee's wallet sends exactly the amount paid, in the same
 * token on the same network, back to the payer; once the transaction is confirmed, Vend checks it on
 * chain and records the refund. Or, for a refund sent from elsewhere, its transaction hash.
 */
export function RefundPanel({ sale }: { sale: SaleItem }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { networks } = useDashboard();
  const network = networks.find((n) => n.id === sale.network);
  const chainId = Number(sale.network.split(":")[1]);
  const amount = BigInt(sale.amount);
  const payee = sale.link.payTo as Address;
  const config = useConfig();
  const { address, chainId: walletChainId, status } = useConnection();
  const switchChain = useSwitchChain();
  const write = useWriteContract();
  const [step, setStep] = useState<Step>("idle");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const isPayee = Boolean(address && isAddressEqual(address, payee));
  const balance = useReadContract({
    address: sale.asset as Address,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [payee],
    chainId,
    query: { enabled: Boolean(network) && isPayee },
  });
  const short = balance.data !== undefined && balance.data < amount;

  useEffect(() => {
    setSent(window.localStorage.getItem(pendingKey(sale.id)));
  }, [sale.id]);

  const done = async (refunded: SaleItem) => {
    window.localStorage.removeItem(pendingKey(sale.id));
    setSent(null);
    queryClient.setQueryData([...keys.sales, "detail", sale.id], refunded);
    await queryClient.invalidateQueries({ queryKey: keys.sales });
    void queryClient.invalidateQueries({ queryKey: keys.links });
    toast.success("Sale refunded", `${formatUsdc(sale.amount)} went back to ${shortAddress(sale.payer)}. Their access has ended.`);
  };

  async function record(hash: string) {
    setStep("recording");
    setError(null);
    try {
      await done(await recordRefund(sale.id, hash));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStep("idle");
    }
  }

  async function refund() {
    setError(null);
    let hash: Hash | null = null;
    try {
      if (walletChainId !== chainId) {
        setStep("switching");
        await switchChain.mutateAsync({ chainId });
      }
      setStep("confirm");
      hash = await write.mutateAsync({
        address: sale.asset as Address,
        abi: erc20Abi,
        functionName: "transfer",
        args: [sale.payer as Address, amount],
        chainId,
      });
      window.localStorage.setItem(pendingKey(sale.id), hash);
      setSent(hash);
      setStep("mining");
      const receipt = await waitForTransactionReceipt(config, { hash, chainId });
      if (receipt.status !== "success") throw new Error("The transfer failed on chain: nothing was sent back.");
    } catch (e) {
      setStep("idle");
      setError(
        isUserRejection(e)
          ? "You rejected the transfer in your wallet: nothing was sent."
          : hash
            ? `The transfer was sent (${shortId(hash, 10, 8)}) but its confirmation could not be read: ${walletMessage(e)}. Record it below once it is confirmed.`
            : walletMessage(e),
      );
      return;
    }
    await record(hash);
  }

  const busy = step !== "idle";
  return (
    <div className="space-y-5 p-4 sm:p-5" data-testid="refund-panel">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Send {formatUsdc(sale.amount)} back to the buyer from the payee wallet. Once the transfer is confirmed, Vend checks it on chain,
        marks the sale refunded and ends the buyer’s access.
      </p>
      {!network ? (
        <Notice>{sale.networkName} is not configured on this server, so Vend cannot check a refund there right now.</Notice>
      ) : sent ? (
        <div className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm dark:border-amber-500/30 dark:bg-amber-500/10">
          <p>
            A refund was sent: <code className="font-mono text-xs">{shortId(sent, 10, 8)}</code>. It is recorded once confirmed.
          </p>
          <Button size="sm" variant="primary" loading={step === "recording"} onClick={() => record(sent)}>
            Record this refund
          </Button>
        </div>
      ) : status !== "connected" ? (
        <ConnectWallet payee={payee} local={network.local} />
      ) : !isPayee ? (
        <Notice>
          The connected wallet ({shortAddress(address)}) is not this sale’s payee ({shortAddress(payee)}). Switch to the payee account in your
          wallet, or refund from elsewhere and record the transaction below.
        </Notice>
      ) : (
        <div className="space-y-2">
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={busy || short} loading={busy}>
            Refund {formatUsdc(sale.amount)}
          </Button>
          {short && <Notice>The payee holds {formatUsdc(balance.data!)} on {sale.networkName}: not enough to refund {formatUsdc(sale.amount)}.</Notice>}
          {busy && (
            <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
              {STEP_LABEL[step]}
            </p>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      <ManualRefund saleId={sale.id} disabled={busy} onRecorded={done} />
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Refund ${formatUsdc(sale.amount)}?`}
        description={`Your wallet sends ${formatUsdc(sale.amount)} on ${sale.networkName} to ${shortAddress(sale.payer)}. The buyer’s receipt stops working once the refund is recorded. This can’t be undone.`}
        confirmLabel="Send refund"
        onConfirm={() => {
          setConfirming(false);
          void refund();
        }}
      />
    </div>
  );
}

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex gap-2 rounded-lg bg-amber-50 p-3 text-sm text-amber-800 dark:bg-amber-500/10 dark:text-amber-300">
      <AlertIcon className="mt-0.5 flex-none" />
      <p>{children}</p>
    </div>
  );
}

/** Connect the payee's wallet: the browser wallets it announces, and the local chain's test wallet. */
function ConnectWallet({ payee, local }: { payee: Address; local: boolean }) {
  const connectors = useConnectors();
  const connect = useConnect();
  const [error, setError] = useState<string | null>(null);
  const options = useMemo(() => {
    const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
    const fallback = connectors.filter((c) => c.id === "injected");
    return [...(announced.length ? announced : fallback), ...(local ? connectors.filter((c) => c.type === "mock") : [])];
  }, [connectors, local]);
  const pick = async (connector: Connector) => {
    setError(null);
    try {
      await connect.mutateAsync({ connector });
    } catch (e) {
      setError(isUserRejection(e) ? "You closed the request in your wallet." : walletMessage(e));
    }
  };
  return (
    <div className="space-y-2">
      <p className="text-sm">Connect the payee wallet ({shortAddress(payee)}) to send the refund.</p>
      <div className="flex flex-wrap gap-2">
        {options.map((c) => (
          <Button key={c.uid} size="sm" onClick={() => pick(c)} loading={connect.isPending && connect.variables?.connector === c}>
            {c.name}
          </Button>
        ))}
        {!options.length && <p className="text-sm text-zinc-500">No browser wallet found.</p>}
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

/** For a refund sent from elsewhere (another wallet, a Safe, an exchange): its transaction hash. */
function ManualRefund({ saleId, disabled, onRecorded }: { saleId: string; disabled: boolean; onRecorded: (sale: SaleItem) => Promise<void> }) {
  const [hash, setHash] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      noValidate
      className="flex flex-col gap-2 border-t border-zinc-200 pt-4 sm:flex-row sm:items-end dark:border-zinc-800"
      onSubmit={async (e) => {
        e.preventDefault();
        const value = hash.trim();
        if (!/^0x[0-9a-fA-F]{64}$/.test(value)) {
          setError("A transaction hash: 0x followed by 64 hex characters.");
          return;
        }
        setPending(true);
        setError(null);
        try {
          await onRecorded(await recordRefund(saleId, value));
          setHash("");
        } catch (err) {
          setError(errorMessage(err));
        } finally {
          setPending(false);
        }
      }}
    >
      <Field label="Refunded from elsewhere? Its transaction hash" error={error} className="flex-1">
        {(c) => (
          <Input
            {...c}
            value={hash}
            placeholder="0x…"
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs"
            onChange={(e) => {
              setHash(e.target.value);
              setError(null);
            }}
          />
        )}
      </Field>
      <Button type="submit" loading={pending} disabled={disabled}>
        Record refund
      </Button>
    </form>
  );
}
