import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * Runs `next build` unless VEND_SKIP_BUILD=1 (set by `npm test`, which builds once up front).
 * @throws Error with the build output when the build fails.
 */
export function ensureBuild(): void {
  if (process.env.VEND_SKIP_BUILD === "1") return;
  const root = path.resolve(import.meta.dirname, "../..");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
}
