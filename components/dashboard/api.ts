"use client";

/** A failed API call, with the server's `{error: {code, message, details}}` unpacked. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Per-field messages of a 400 `invalid_request` (`details.fields`). */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Where to go to sign in again, coming back to the current page. */
export function signInHref(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return `/sign-in?callbackUrl=${encodeURIComponent(here)}`;
}

/** Turns a non-2xx response into an {@link ApiError} with a human message. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: { fields?: Record<string, string> } } } = {};
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page).
  }
  const fallback =
    res.status === 413
      ? "The file is larger than this server accepts."
      : res.status >= 500
        ? "The server had a problem. Try again in a moment."
        : `Request failed (${res.status}).`;
  return new ApiError(res.status, body.error?.code ?? "http_error", body.error?.message ?? fallback, body.error?.details?.fields ?? {});
}

/**
 * Calls a JSON API of this app with the session cookie. A 401 (session expired) sends the creator
 * to sign in and back; other failures throw an {@link ApiError}. Network failures throw one too.
 */
export async function api<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...rest.headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network_error", "Could not reach the server. Check your connection and try again.");
  }
  if (res.status === 401) {
    window.location.assign(signInHref());
    throw new ApiError(401, "unauthorized", "Your session ended. Sign in again.");
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

/** The message to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

/** A query string from defined, non-empty values. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : "";
}
