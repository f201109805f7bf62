import "server-only";
import type { Address, Hex } from "viem";
import { db } from "@/lib/db";
import type { SettlementTransaction } from "@/lib/generated/prisma/client";
import type { LedgerTx, SettlementLedger } from "@/lib/settlement/ledger-types";

/**
 * The settlement ledger in PostgreSQL (PGlite or a server), shared by every app instance using
 * the same database and key: nonces come from one atomic `UPDATE … RETURNING` on the key's
 * `SettlementNonce` row, and every signed transaction is a `SettlementTransaction` row written
 * before its first broadcast. The compare-and-sets (`abandon` vs `claim`) are single conditional
 * UPDATEs, so two instances can never both decide a transaction's fate.
 */
export const postgresLedger: SettlementLedger = {
  async syncNonce(key, nonce) {
    const prisma = await db();
    await prisma.$executeRaw`
      INSERT INTO "SettlementNonce" ("chainId", "address", "next", "updatedAt")
      VALUES (${key.chainId}, ${key.address}, ${nonce}, now())
      ON CONFLICT ("chainId", "address")
      DO UPDATE SET "next" = GREATEST("SettlementNonce"."next", EXCLUDED."next"), "updatedAt" = now()`;
  },
  async takeNonce(key) {
    const prisma = await db();
    const rows = await prisma.$queryRaw<{ nonce: bigint }[]>`
      UPDATE "SettlementNonce" SET "next" = "next" + 1, "updatedAt" = now()
      WHERE "chainId" = ${key.chainId} AND "address" = ${key.address}
      RETURNING "next" - 1 AS "nonce"`;
    return rows[0]?.nonce;
  },
  async giveBackNonce(key, nonce) {
    const prisma = await db();
    const n = await prisma.$executeRaw`
      UPDATE "SettlementNonce" SET "next" = ${nonce}, "updatedAt" = now()
      WHERE "chainId" = ${key.chainId} AND "address" = ${key.address} AND "next" = ${nonce + 1n}`;
    return n === 1;
  },
  async record(tx) {
    const prisma = await db();
    // The same call signed again with the same nonce and fees is the same transaction (same hash):
    // one that was abandoned is live again; one that is live already stays as it is.
    await prisma.$executeRaw`
      INSERT INTO "SettlementTransaction" ("hash", "chainId", "address", "nonce", "kind", "paymentId", "raw", "fromBlock", "updatedAt")
      VALUES (${tx.hash}, ${tx.chainId}, ${tx.address}, ${tx.nonce}, ${tx.kind}::"SettlementTxKind", ${tx.paymentId}, ${tx.raw}, ${tx.fromBlock}, now())
      ON CONFLICT ("hash") DO UPDATE SET "status" = 'pending'::"SettlementTxStatus", "updatedAt" = now()
      WHERE "SettlementTransaction"."status" = 'abandoned'::"SettlementTxStatus"`;
  },
  async markBroadcast(hash) {
    const prisma = await db();
    await prisma.settlementTransaction.updateMany({ where: { hash, broadcastAt: null }, data: { broadcastAt: new Date() } });
  },
  async abandon(hash) {
    const prisma = await db();
    const { count } = await prisma.settlementTransaction.updateMany({
      where: { hash, status: "pending", broadcastAt: null },
      data: { status: "abandoned" },
    });
    return count === 1;
  },
  async claim(hash) {
    const prisma = await db();
    const n = await prisma.$executeRaw`
      UPDATE "SettlementTransaction" SET "broadcastAt" = COALESCE("broadcastAt", now()), "updatedAt" = now()
      WHERE "hash" = ${hash} AND "status" = 'pending'::"SettlementTxStatus"`;
    return n === 1;
  },
  async mined(hash, success, blockNumber) {
    const prisma = await db();
    await prisma.settlementTransaction.updateMany({ where: { hash }, data: { status: "mined", success, blockNumber } });
  },
  async dropped(hash) {
    const prisma = await db();
    await prisma.settlementTransaction.updateMany({ where: { hash, status: "pending" }, data: { status: "dropped" } });
  },
  async between(key, from, to) {
    const prisma = await db();
    const rows = await prisma.settlementTransaction.findMany({
      where: { chainId: key.chainId, address: key.address, nonce: { gte: from, lt: to } },
      orderBy: { nonce: "asc" },
    });
    return rows.map(toLedgerTx);
  },
  async live(key, before, limit) {
    const prisma = await db();
    const rows = await prisma.settlementTransaction.findMany({
      where: { status: "pending", chainId: key.chainId, address: key.address, createdAt: { lt: before } },
      orderBy: { nonce: "asc" },
      take: limit,
    });
    return rows.map(toLedgerTx);
  },
  async ofPayment(paymentId) {
    const prisma = await db();
    const rows = await prisma.settlementTransaction.findMany({ where: { paymentId }, orderBy: { createdAt: "asc" } });
    return rows.map(toLedgerTx);
  },
};

function toLedgerTx(row: SettlementTransaction): LedgerTx {
  return { ...row, hash: row.hash as Hex, address: row.address as Address, raw: row.raw as Hex };
}

