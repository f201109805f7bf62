import "server-only";
import type { StoredObject } from "@/lib/generated/prisma/client";

/**
 * The API view of a stored object. `size` and `dataOffset` are byte counts as decimal strings
 * (BigInt); `dataItemId`, `owner` (public key), `signatureType` and `tags` are the ANS-104 fields.
 */
export function objectJson(o: StoredObject) {
  return {
    id: o.id,
    name: o.name,
    contentType: o.contentType,
    size: o.size.toString(),
    dataItemId: o.dataItemId,
    signatureType: o.signatureType,
    owner: o.dataItemOwner,
    signer: o.signer,
    dataOffset: o.dataOffset.toString(),
    tags: o.tags as { name: string; value: string }[],
    sha256: o.sha256,
    createdAt: o.createdAt.toISOString(),
    deletedAt: o.deletedAt?.toISOString() ?? null,
  };
}
export type ObjectJson = ReturnType<typeof objectJson>;
