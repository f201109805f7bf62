import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError, type ZodType } from "zod";
import { AppError } from "@/lib/errors";
import { resolveCreator, type Creator } from "@/lib/auth/creator";

/**
 * Route wrappers (dub's withSession, slimmed): they await Next 16's `params`, authenticate,
 * run the handler and turn every thrown error into the one JSON error shape of `lib/errors.ts`.
 * A client's mistake is always a 4xx with a `code`; anything unexpected is a 500 whose message
 * does not leak internals (the error is logged server-side).
 */

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export type PublicHandler<P> = (args: { req: NextRequest; params: P }) => Promise<Response>;
export type CreatorHandler<P> = (args: { req: NextRequest; params: P; creator: Creator }) => Promise<Response>;

/** Wraps a public route handler: no authentication, uniform errors. */
export function withPublic<P = Record<string, string>>(handler: PublicHandler<P>) {
  return async (req: NextRequest, ctx: RouteContext): Promise<Response> => {
    try {
      const params = (await ctx.params) as P;
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
      const params = (await ctx.params) as P;
      return await handler({ req, params, creator });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Maps any thrown value to the JSON error response. */
export function errorResponse(error: unknown, headers?: HeadersInit): Response {
  if (error instanceof AppError) return NextResponse.json(error.toJSON(), { status: error.status, headers });
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

/** Parses a JSON body with a zod schema. Bad JSON or a schema failure → 400 `invalid_request`. */
export async function parseJson<T extends ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError("invalid_request", "The body must be valid JSON.");
  }
  return schema.parse(body);
}

/** Parses the query string with a zod schema (all values are strings). */
export function parseQuery<T extends ZodType>(req: NextRequest, schema: T): z.infer<T> {
  return schema.parse(Object.fromEntries(req.nextUrl.searchParams));
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
