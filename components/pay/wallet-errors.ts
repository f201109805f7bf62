/** Reading wallet (EIP-1193 / viem / wagmi) errors without importing their classes. */

type Walkable = { code?: unknown; name?: unknown; message?: unknown; shortMessage?: unknown; cause?: unknown };

function* chain(error: unknown): Generator<Walkable> {
  let e = error as Walkable | undefined;
  for (let i = 0; e && typeof e === "object" && i < 8; i++) {
    yield e;
    e = e.cause as Walkable | undefined;
  }
}

/** True when the user refused in the wallet (EIP-1193 code 4001, or a wallet's own words for it). */
export function isUserRejection(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e.code === 4001 || e.code === "ACTION_REJECTED") return true;
    if (e.name === "UserRejectedRequestError") return true;
    if (typeof e.message === "string" && /user (rejected|denied|cancel)|rejected by user|request rejected/i.test(e.message)) {
      return true;
    }
  }
  return false;
}

/** True when the wallet refused because its active chain differs from the signature's chain. */
export function isChainMismatch(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e.name === "ConnectorChainMismatchError" || e.name === "ChainMismatchError") return true;
    if (typeof e.message === "string" && /chainid.*(must match|mismatch)|does not match the (current|active) chain/i.test(e.message)) {
      return true;
    }
  }
  return false;
}

/** A one-line message for an unexpected wallet error. */
export function walletMessage(error: unknown): string {
  for (const e of chain(error)) {
    if (typeof e.shortMessage === "string" && e.shortMessage) return e.shortMessage;
  }
  const first = error as Walkable | undefined;
  const text = typeof first?.message === "string" ? first.message : String(error);
  return text.split("\n")[0]!.slice(0, 200);
}
