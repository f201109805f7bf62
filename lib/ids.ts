import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Random base62 string of `length` characters with rejection sampling (no modulo bias).
 * 22 characters carry 130.9 bits of entropy.
 */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export type IdPrefix = "usr" | "obj" | "lnk" | "pay" | "key" | "upl";

/** Prefixed id (dub style): `obj_4kT…`, 20 base62 characters (≈119 bits). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(20)}`;
}

/** Public link slug: 22 base62 characters, ≥128 bits of entropy (ARCHITECTURE §2). */
export function newSlug(): string {
  return randomBase62(22);
}
