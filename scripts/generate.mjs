// Generates the Prisma client (postinstall). `prisma generate` does not use the schema engine, but
// the CLI looks for one first and tries to download it; pointing it at any existing file skips
// that, so this works offline. Migrations never go through the CLI here (see scripts/db.ts).
import { spawnSync } from "node:child_process";

const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
