import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The code block that follows `<!-- snippet: name -->` in the README, as written there (the README's
 * "Buying from code" examples are tested by running exactly this text).
 */
export function readmeSnippet(name: string): { lang: string; code: string } {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const match = new RegExp(`<!-- snippet: ${name} -->\\n\`\`\`(\\w+)\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no snippet named ${name}`);
  return { lang: match[1]!, code: `${match[2]}\n` };
}

/**
 * Runs a README snippet with `env` added to the environment: `ts` blocks as ES modules with tsx
 * (written under node_modules/.cache so that they import this project's packages), `bash` blocks
 * with bash. Resolves with the exit code and the output; never rejects on a non-zero exit.
 */
export async function runReadmeSnippet(name: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { lang, code } = readmeSnippet(name);
  let command: string[];
  if (lang === "ts") {
    const dir = path.join(root, "node_modules/.cache/vend-readme-snippets");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.mts`);
    writeFileSync(file, code);
    command = [process.execPath, path.join(root, "node_modules/tsx/dist/cli.mjs"), file];
  } else if (lang === "bash") {
    command = ["bash", "-euo", "pipefail", "-c", code];
  } else {
    throw new Error(`snippet ${name}: cannot run a ${lang} block`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ code: exitCode, stdout, stderr }));
  });
}
