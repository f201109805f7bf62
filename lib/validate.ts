import { z } from "zod";

/**
 * One validator for the ids and strings every route receives (route params, query strings, JSON
 * bodies, headers such as `X-Filename`): PostgreSQL `text` cannot hold U+0000, and no field of ours
 * means anything with other C0 control characters (tab, line feed and carriage return aside) or with
 * unpaired UTF-16 surrogates. lib/http.ts applies it to every request before a handler runs.
 */

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** True when `value` is a string we can store and show: well-formed, no NUL or stray controls. */
export function isSafeString(value: string): boolean {
  return value.isWellFormed() && !FORBIDDEN.test(value);
}

/**
 * The path (`title`, `tags.0.value`, …) of the first string in a parsed JSON value (keys included)
 * that {@link isSafeString} refuses, or null when every string is safe.
 */
export function unsafeStringPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return isSafeString(value) ? null : path.join(".") || "_";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeStringPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (!isSafeString(key)) return [...path, "(key)"].join(".");
      const found = unsafeStringPath(child, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Prefixes of our ids (ARCHITECTURE §2): `usr_`, `obj_`, `lnk_`, `pay_`, `key_`, … */
export type IdKind = "usr" | "obj" | "lnk" | "pay" | "key";

/** zod schema of an id of one kind: the prefix, `_`, then 20 base62 characters (lib/ids.ts). */
export function idSchema(kind: IdKind) {
  return z.string().regex(new RegExp(`^${kind}_[0-9A-Za-z]{20}$`), `Not a valid ${kind}_ id.`);
}

/** A route parameter we can look up at all: a short, safe string (else the resource is not found). */
export function isLookupParam(value: string): boolean {
  return value.length > 0 && value.length <= 128 && isSafeString(value);
}
