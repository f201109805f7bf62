import type { ApiKeySummary } from "@/lib/keys/list-keys";
import type { getLink } from "@/lib/links/get-link";
import type { LinkJson } from "@/lib/links/link-json";
import type { ObjectJson } from "@/lib/objects/object-json";
import type { SaleJson } from "@/lib/sales/sale-json";
import type { SalesSummary } from "@/lib/sales/sales-summary";
import type { Settings } from "@/lib/settings/get-settings";

/**
 * The JSON APIs' response shapes, derived from the server's own view functions (type-only imports:
 * nothing server-side reaches the browser bundle). `Jsonify` turns Dates and BigInts into the
 * strings they become on the wire.
 */
export type Jsonify<T> = T extends Date | bigint
  ? string
  : T extends (infer U)[]
    ? Jsonify<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonify<T[K]> }
      : T;

export type ObjectItem = Jsonify<ObjectJson>;
export type LinkItem = Jsonify<LinkJson>;
export type LinkDetail = Jsonify<Awaited<ReturnType<typeof getLink>>>;
export type SaleItem = Jsonify<SaleJson>;
export type ApiKeyItem = Jsonify<ApiKeySummary>;
export type SettingsData = Jsonify<Settings>;
export type SalesResponse = Jsonify<SalesSummary> & { sales: SaleItem[]; nextCursor: string | null };
export type LinkStatus = LinkItem["status"];
export type CreatedKey = { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; secret: string };
