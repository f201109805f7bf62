import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError, type ZodType } from "zod";
import { AppError } from "@/lib/errors";
import { resolveCreator, type Creator } from "@/lib/auth/creator";
import { isLookupParam, isSafeString, unsafeStringPath } from "@/lib/validate";

/**
 * Route wrappers (dub's withSession, slimmed): they await Next 16's `params`, authenticate,
 * run the handler and turn every thrown error into the one JSON error shape of `lib/errors.ts`.
 * A client's mistake is always a 4xx with a `code`; anything unexpected is a 500 whose message
 * does not leak internals (the error is logged server-side).
 */

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export type PublicHandler<P> = (args: { req: NextRequest; params: P }) => Promise<Response>;
export type CreatorHandler<P> = (args: { req: NextRequest; params: P; creator: Creator }) => Promise<Response>;

/**
 * Route params, checked once for every route (lib/validate.ts): a param that cannot name anything of
 * ours (too long, NUL or control characters) is a 404, before any database work.
 */
async function checkedParams<P>(ctx: RouteContext): Promise<P> {
  const params = await ctx.params;
  for (const value of Object.values(params ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (!isLookupParam(v)) throw new AppError("not_found", "Not found.");
    }
  }
  return params as P;
}

/** Wraps a public route handler: no authentication, uniform errors. */
export function withPublic<P = Record<string, string>>(handler: PublicHandler<P>) {
  return async (req: NextRequest, ctx: RouteContext): Promise<Response> => {
    try {
      const params = await checkedParams<P>(ctx);
      return await handler({ req, params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * Wraps a creator route handler: requires a next-auth session cookie or an
 * `Authorization: Bearer <api key>` header, else 401 `unauthorized`.
 */
export function withCreator<P = Record<string, string>>(handler: CreatorHandler<P>) {
  return async (req: NextRequest, ctx: RouteContext): Promise<Response> => {
    try {
      const creator = await resolveCreator(req);
      if (!creator) throw new AppError("unauthorized", "Sign in, or send an API key as `Authorization: Bearer <key>`.");
      const params = await checkedParams<P>(ctx);
      return await handler({ req, params, creator });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Seconds a client should wait before retrying, by code (RFC 9110 §10.2.3 `Retry-After`). */
function retryAfter(error: AppError): string | null {
  if (error.code === "rate_limited") return String((error.details as { retryAfter?: number } | undefined)?.retryAfter ?? 60);
  if (error.code === "settlement_pending") return "2";
  if (error.code === "unavailable") return "5";
  return null;
}

/** Maps any thrown value to the JSON error response. */
export function errorResponse(error: unknown, headers?: HeadersInit): Response {
  if (error instanceof AppError) {
    const response = NextResponse.json(error.toJSON(), { status: error.status, headers });
    const wait = retryAfter(error);
    if (wait) response.headers.set("Retry-After", wait);
    return response;
  }
  if (error instanceof ZodError) {
    const invalid = fromZod(error);
    return NextResponse.json(invalid.toJSON(), { status: invalid.status, headers });
  }
  console.error("[vend] unexpected error", error);
  const internal = new AppError("internal_error", "Something went wrong on our side; it was logged. Try again in a moment.");
  return NextResponse.json(internal.toJSON(), { status: 500, headers });
}

/** A ZodError as a 400 `invalid_request`, with `details.fields` = first message per field. */
export function fromZod(error: ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fields[key] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([k, m]) => (k === "_" ? m : `${k}: ${m}`))
    .join("; ");
  return new AppError("invalid_request", summary || "Invalid request.", { fields });
}

/** A 400 naming the field whose string lib/validate.ts refuses. */
function unsafeField(path: string): AppError {
  const message = "Text may not contain NUL or control characters, or unpaired surrogates.";
  return new AppError("invalid_request", path === "_" ? message : `${path}: ${message}`, { fields: { [path]: message } });
}

/**
 * Parses a JSON body with a zod schema. Bad JSON, a string no field may hold (lib/validate.ts) or a
 * schema failure → 400 `invalid_request`.
 */
export async function parseJson<T extends ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError("invalid_request", "The body must be valid JSON.");
  }
  const unsafe = unsafeStringPath(body);
  if (unsafe) throw unsafeField(unsafe);
  return schema.parse(body);
}

/**
 * Parses the query string with a zod schema (all values are strings). A value no field may hold
 * (lib/validate.ts) or a schema failure → 400 `invalid_request`.
 */
export function parseQuery<T extends ZodType>(req: NextRequest, schema: T): z.infer<T> {
  const query = Object.fromEntries(req.nextUrl.searchParams);
  for (const [key, value] of Object.entries(query)) {
    if (!isSafeString(key) || !isSafeString(value)) throw unsafeField(isSafeString(key) ? key : "_");
  }
  return schema.parse(query);
}

/**
 * JSON response that serializes BigInt as decimal strings (atomic units stay exact) and Dates
 * as ISO strings.
 */
export function json(data: unknown, init?: ResponseInit): Response {
  const body = JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  const headers = new Headers(init?.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(body, { ...init, headers });
}
