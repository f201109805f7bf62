import type { OfferReceipt } from "@/components/pay/keep-receipt";

/**
 * The browser side of `POST /api/purchases` and the words for every way a payment can fail.
 * No React here: the checkout component turns these outcomes into screens.
 */

/** A successful purchase (or the replay of one), as `POST /api/purchases` answers it. */
export type PurchaseResult = {
  payment: {
    id: string;
    status: string;
    transaction: string | null;
    transactionUrl: string | null;
    network: string;
    payer: string;
    amount: string;
  };
  replay: boolean;
  receipt: string;
  /** The deployment's signed x402 offer-receipt receipt (components/pay/keep-receipt.tsx). */
  offerReceipt?: OfferReceipt;
  receiptExpiresAt: string;
  downloadUrl: string;
};

/**
 * Why a payment did not complete, in words, with what the buyer can do next:
 * `resign` — sign a new authorization; `resubmit` — send the same signed payment again (safe: an
 * authorization settles at most once); `switch` — switch network; `reload` — the link changed.
 */
export type Failure = {
  kind:
    | "rejected"
    | "wrong_network"
    | "insufficient_balance"
    | "settlement_failed"
    | "network"
    | "pending"
    | "authorization_expired"
    | "authorization_used"
    | "bad_signature"
    | "terms_changed"
    | "invalid"
    | "server"
    | "wallet";
  title: string;
  message: string;
  action: "resign" | "resubmit" | "switch" | "reload";
  /** The machine reason from the server, shown small for support. */
  reason?: string;
};

export type ClosedCode = "expired" | "revoked" | "sold_out" | "object_gone";

export type PurchaseOutcome =
  | { kind: "ok"; result: PurchaseResult }
  | { kind: "closed"; state: ClosedCode }
  | { kind: "failed"; failure: Failure };

const GONE: Record<string, ClosedCode> = {
  link_expired: "expired",
  link_revoked: "revoked",
  link_sold_out: "sold_out",
  object_gone: "object_gone",
};

/** How many times a `409 settlement_pending` is retried automatically before asking the buyer. */
const PENDING_RETRIES = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const NETWORK_FAILURE: Failure = {
  kind: "network",
  title: "Connection problem",
  message:
    "We could not reach Vend to confirm your payment. Your signed payment is kept on this page: retrying is safe — the same authorization never settles twice.",
  action: "resubmit",
};

/** How long a signed payment is kept for a retry after a reload (its authorization lasts minutes). */
const KEEP_MS = 60 * 60 * 1000;
const storageKey = (slug: string) => `vend:payment:${slug}`;

/**
 * Keeps a signed payment in this browser until its purchase has an answer, so that a lost response
 * or a reload loses nothing: the page posts the same payment again (it carries this buyer's x402
 * payment-identifier, so the server answers it as theirs, without a second charge).
 */
export function rememberPayment(slug: string, payment: string): void {
  try {
    localStorage.setItem(storageKey(slug), JSON.stringify({ payment, at: Date.now() }));
  } catch {
    // Storage disabled: the page still holds the payment in memory until it is closed.
  }
}

/** The signed payment kept for this link, if its purchase has no answer yet. */
export function rememberedPayment(slug: string): string | null {
  try {
    const raw = localStorage.getItem(storageKey(slug));
    if (!raw) return null;
    const { payment, at } = JSON.parse(raw) as { payment?: unknown; at?: unknown };
    if (typeof payment === "string" && typeof at === "number" && Date.now() - at < KEEP_MS) return payment;
    localStorage.removeItem(storageKey(slug));
  } catch {
    // Unreadable: nothing to resume.
  }
  return null;
}

/** Drops the kept payment once its purchase is answered for good. */
export function forgetPayment(slug: string): void {
  try {
    localStorage.removeItem(storageKey(slug));
  } catch {
    // Storage disabled: nothing kept.
  }
}

/**
 * Submits a signed payment (`PAYMENT-SIGNATURE` value) for a link, keeping it in this browser until
 * the answer is final (see {@link rememberPayment}). A `409 settlement_pending` (the chain has not
 * decided yet) is retried with the same payment a few times.
 */
export async function submitPurchase(slug: string, payment: string, ctx: FailureContext): Promise<PurchaseOutcome> {
  rememberPayment(slug, payment);
  const outcome = await postPurchase(slug, payment, ctx);
  if (outcome.kind !== "failed" || outcome.failure.action !== "resubmit") forgetPayment(slug);
  return outcome;
}

async function postPurchase(slug: string, payment: string, ctx: FailureContext): Promise<PurchaseOutcome> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch("/api/purchases", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ slug, payment }),
        credentials: "same-origin",
      });
    } catch {
      return { kind: "failed", failure: NETWORK_FAILURE };
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // Not JSON (a proxy's error page): handled below by status.
    }
    if (res.ok && isResult(body)) return { kind: "ok", result: body };
    if (res.status === 409 && codeOf(body) === "settlement_pending" && attempt < PENDING_RETRIES) {
      await sleep(Math.min(500 * (attempt + 1), 3000));
      continue;
    }
    return classifyResponse(res.status, body, res.headers, ctx);
  }
}

function codeOf(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === "string" ? error.code : undefined;
}

function isResult(body: unknown): body is PurchaseResult {
  return !!body && typeof body === "object" && typeof (body as PurchaseResult).downloadUrl === "string";
}

/** Facts the failure messages mention. */
export type FailureContext = { price: string; networkName: string };

/** Maps a non-2xx answer of `POST /api/purchases` to an outcome. Exported for tests. */
export function classifyResponse(status: number, body: unknown, headers: Headers, ctx: FailureContext): PurchaseOutcome {
  const b = (body ?? {}) as { error?: unknown; message?: unknown; code?: unknown };
  const apiError = typeof b.error === "object" && b.error ? (b.error as { code?: string; message?: string }) : undefined;
  const code = apiError?.code ?? (typeof b.code === "string" ? b.code : undefined);
  const message = apiError?.message ?? (typeof b.message === "string" ? b.message : undefined);
  if (status === 410 && code && GONE[code]) return { kind: "closed", state: GONE[code]! };
  if (status === 409 && code === "settlement_pending") {
    return {
      kind: "failed",
      failure: {
        kind: "pending",
        title: "Your payment is being confirmed",
        message:
          "Your payment was sent and is waiting for the chain to confirm it. This page keeps it: check again in a moment, even after a reload — the same authorization never settles twice, so you cannot pay twice.",
        action: "resubmit",
        reason: code,
      },
    };
  }
  if (status === 409) {
    return {
      kind: "failed",
      failure: {
        kind: "authorization_used",
        title: "This signed payment was already used",
        message: `${message ?? "That authorization already paid."} Nothing new was charged; sign a fresh one to buy again.`,
        action: "resign",
        reason: code,
      },
    };
  }
  if (status === 403 && code === "access_expired") {
    return {
      kind: "failed",
      failure: {
        kind: "authorization_expired",
        title: "Your access has ended",
        message: `${message ?? "The access window of this purchase has ended."}`,
        action: "resign",
        reason: code,
      },
    };
  }
  if (status === 429 || status === 503) {
    return {
      kind: "failed",
      failure: {
        kind: "network",
        title: status === 429 ? "Too many attempts" : "Vend cannot reach the chain right now",
        message: `${message ?? "Try again in a moment."} Your signed payment is kept on this page; retrying is safe.`,
        action: "resubmit",
        reason: code,
      },
    };
  }
  if (status === 402) {
    const reason = typeof b.error === "string" ? b.error : "payment_required";
    const settleFailed = headers.has("payment-response") || /^Settlement failed/i.test(message ?? "");
    return { kind: "failed", failure: paymentRejected(reason, message, settleFailed, ctx) };
  }
  if (status === 404) {
    return {
      kind: "failed",
      failure: {
        kind: "terms_changed",
        title: "This link no longer exists",
        message: "The link was removed while this page was open. Nothing was charged.",
        action: "reload",
        reason: code,
      },
    };
  }
  if (status === 400) {
    return {
      kind: "failed",
      failure: {
        kind: "invalid",
        title: "The payment could not be read",
        message: `${message ?? "The signed payment was malformed."} Nothing was charged; sign again.`,
        action: "resign",
        reason: code,
      },
    };
  }
  return {
    kind: "failed",
    failure: {
      kind: "server",
      title: "Something went wrong on our side",
      message: `${message ?? `The server answered ${status}.`} Retrying is safe — the same authorization never settles twice.`,
      action: "resubmit",
      reason: code ?? String(status),
    },
  };
}

/** Words for a 402 (the facilitator's or our reason string). */
function paymentRejected(reason: string, message: string | undefined, settleFailed: boolean, ctx: FailureContext): Failure {
  const r = reason.toLowerCase();
  if (r.includes("insufficient")) {
    return {
      kind: "insufficient_balance",
      title: "Not enough USDC",
      message: `The paying account does not hold ${ctx.price} USDC on ${ctx.networkName}. Nothing was charged. Add USDC to it, or connect another account, then try again.`,
      action: "resign",
      reason,
    };
  }
  if (r.includes("valid_before") || r.includes("expired")) {
    return {
      kind: "authorization_expired",
      title: "The signature expired",
      message: "Your signed authorization expired before it reached the chain. Nothing was charged; sign again.",
      action: "resign",
      reason,
    };
  }
  if (r.includes("nonce_already_used") || r.includes("already_used")) {
    return {
      kind: "authorization_used",
      title: "This authorization was already used",
      message: "That signed authorization cannot be used again. Nothing new was charged; sign a fresh one.",
      action: "resign",
      reason,
    };
  }
  if (r.includes("no matching payment requirements") || r === "invalid_network") {
    return {
      kind: "terms_changed",
      title: "The link changed",
      message: "The price, payee or network of this link changed while the page was open. Nothing was charged; reload to see the current terms.",
      action: "reload",
      reason,
    };
  }
  if (settleFailed) {
    return {
      kind: "settlement_failed",
      title: "The payment did not go through",
      message: "The transfer failed on chain, so nothing was charged. You can try again.",
      action: "resign",
      reason,
    };
  }
  if (r.includes("signature")) {
    return {
      kind: "bad_signature",
      title: "The signature was not accepted",
      message:
        "The token contract would not accept your wallet's signature (some smart-contract wallets are not supported). Nothing was charged; try again or use a regular account.",
      action: "resign",
      reason,
    };
  }
  return {
    kind: "settlement_failed",
    title: "The payment was declined",
    message: `${message ?? "The payment was rejected."} Nothing was charged.`,
    action: "resign",
    reason,
  };
}
