import type { SqlSession } from "./database";

/** How much data the scale figures are measured on. */
export type ScaleSize = { objects: number; links: number; payments: number };

/** The issue's scale: 10,000 objects, 1,000 links, 100,000 payments. */
export const ISSUE_SCALE: ScaleSize = { objects: 10_000, links: 1_000, payments: 100_000 };

/** Id of the `n`-th seeded link (1-based), as {@link seedScale} writes it: `lnk_S` + 19 digits. */
export function seededLinkId(n: number): string {
  return `lnk_S${String(n).padStart(19, "0")}`;
}

/** What {@link seedScale} created. */
export type Seeded = { userId: string; ms: number; settled: number };

/**
 * Seeds one creator (`address`, checksummed: the account the bench later signs in with, so SIWE
 * finds this user) with `size.objects` stored objects, `size.links` active links (one per tenth
 * object) and `size.payments` payments spread over those links and over the last ~180 days
 * (every 33rd `failed`, the rest `settled` with a transaction), in a few `INSERT … SELECT
 * generate_series` statements, then `ANALYZE`s the tables as a live database would have.
 * The object rows point at no stored file: they are listed, never downloaded.
 */
export async function seedScale(
  sql: SqlSession,
  opts: { address: string; network: string; asset: string; amount: bigint; size: ScaleSize },
): Promise<Seeded> {
  const t0 = performance.now();
  const userId = "usr_BenchCreator000000";
  const { objects, links, payments } = opts.size;
  const perLink = Math.max(1, Math.floor(objects / links));
  const utcNow = `(now() AT TIME ZONE 'UTC')`;
  await sql.query(`INSERT INTO "User" ("id", "address") VALUES ($1, $2)`, [userId, opts.address]);
  await sql.query(
    `INSERT INTO "StoredObject" ("id", "ownerId", "name", "contentType", "size", "dataOffset", "dataItemId",
       "signatureType", "dataItemOwner", "signer", "tags", "storageKey", "headerKey", "sha256", "createdAt")
     SELECT 'obj_S' || lpad(i::text, 19, '0'), $1, 'seeded file ' || i || '.pdf', 'application/pdf', 1024 + i, 1100,
       substr(md5('d' || i) || md5('e' || i), 1, 43), 3, 'seeded-owner', $2, '[]'::jsonb,
       'seed/' || i, 'seed/' || i || '.header', md5('s' || i), ${utcNow} - make_interval(mins => i)
     FROM generate_series(1, $3::int) AS i`,
    [userId, opts.address, objects],
  );
  await sql.query(
    `INSERT INTO "PaymentLink" ("id", "slug", "objectId", "ownerId", "payTo", "amount", "network", "asset", "title",
       "expiresAt", "accessSeconds", "createdAt")
     SELECT 'lnk_S' || lpad(i::text, 19, '0'), substr(md5('slug' || i) || md5('slug2' || i), 1, 22),
       'obj_S' || lpad((i * $6::int)::text, 19, '0'), $1, $2, $3::bigint, $4, $5, 'Seeded link ' || i,
       ${utcNow} + interval '30 days', 86400, ${utcNow} - make_interval(mins => i * 10)
     FROM generate_series(1, $7::int) AS i`,
    [userId, opts.address, opts.amount.toString(), opts.network, opts.asset, perLink, links],
  );
  await sql.query(
    `INSERT INTO "Payment" ("id", "linkId", "payer", "amount", "network", "asset", "nonce", "validBefore", "signature",
       "x402Version", "status", "transaction", "createdAt", "updatedAt", "settledAt")
     SELECT 'pay_S' || lpad(i::text, 19, '0'), 'lnk_S' || lpad((1 + (i - 1) % $5::int)::text, 19, '0'),
       '0x' || substr(md5('payer' || (i % 5000)) || md5('payer2' || (i % 5000)), 1, 40), $1::bigint, $2, $3,
       '0x' || md5('n' || i) || md5('m' || i), 2000000000, '0x' || repeat('ab', 65), 2,
       (CASE WHEN i % 33 = 0 THEN 'failed' ELSE 'settled' END)::"PaymentStatus",
       CASE WHEN i % 33 = 0 THEN NULL ELSE '0x' || md5('t' || i) || md5('u' || i) END,
       ${utcNow} - make_interval(secs => i * 155 + 5), ${utcNow} - make_interval(secs => i * 155),
       CASE WHEN i % 33 = 0 THEN NULL ELSE ${utcNow} - make_interval(secs => i * 155) END
     FROM generate_series(1, $4::int) AS i`,
    [opts.amount.toString(), opts.network, opts.asset, payments, links],
  );
  await sql.query(
    `UPDATE "PaymentLink" l SET "purchaseCount" = c.n
     FROM (SELECT "linkId", count(*)::int AS n FROM "Payment" WHERE "status" = 'settled' GROUP BY 1) c
     WHERE c."linkId" = l."id"`,
  );
  await sql.exec(`ANALYZE "User"; ANALYZE "StoredObject"; ANALYZE "PaymentLink"; ANALYZE "Payment";`);
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Payment" WHERE "status" = 'settled'`);
  return { userId, ms: performance.now() - t0, settled: row?.n ?? 0 };
}
