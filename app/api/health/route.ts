import { db } from "@/lib/db";
import { json, withPublic } from "@/lib/http";
import { configuredNetworks } from "@/lib/networks";

export const dynamic = "force-dynamic";

/** `GET /api/health` → `{ok: true, database: "up", networks: [CAIP-2…]}`; 500 when the database is down. */
export const GET = withPublic(async () => {
  const prisma = await db();
  await prisma.$queryRaw`SELECT 1`;
  return json({ ok: true, database: "up", networks: configuredNetworks().map((n) => n.id) });
});
