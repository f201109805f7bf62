import { defineConfig } from "prisma/config";

// The Prisma CLI is only used for `generate` here (see scripts/db.ts for migrations).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
