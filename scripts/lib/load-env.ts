import { existsSync } from "node:fs";

/**
 * Loads `.env` then `.env.local` into process.env (existing variables win), as Next.js does for
 * its own process, so that the scripts around it see the same configuration.
 */
export function loadDotenv(): void {
  for (const file of [".env.local", ".env"]) {
    if (existsSync(file)) process.loadEnvFile(file);
  }
}
