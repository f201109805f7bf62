import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

/** A running `next start` (or `next dev`) child process. */
export type AppServer = {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** `kill -9`: the process dies at once, mid-request, with no cleanup. */
  kill(): Promise<void>;
  output(): string;
};

/**
 * Starts the built app with `next start` on `port` and the given environment, and waits until
 * `GET /api/health/live` answers 200 (or fails with the server's output after `timeoutMs`).
 * `dir` runs another checkout's build (its own `next` and `.next`; default: this checkout), and
 * `healthPath` is the URL it is polled on (default `/api/health/live`).
 */
export async function startApp(opts: {
  port: number;
  env: Record<string, string>;
  mode?: "start" | "dev";
  timeoutMs?: number;
  dir?: string;
  healthPath?: string;
}): Promise<AppServer> {
  const root = opts.dir ? path.resolve(opts.dir) : path.resolve(import.meta.dirname, "../..");
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const child: ChildProcess = spawn(
    process.execPath,
    [nextBin, opts.mode ?? "start", "-p", String(opts.port), "-H", "127.0.0.1"],
    {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next ${opts.mode ?? "start"} exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}${opts.healthPath ?? "/api/health/live"}`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next did not become healthy in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port: opts.port,
    output: () => log,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await once(child, "exit");
      clearTimeout(timer);
    },
  };
}
