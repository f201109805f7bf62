import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** One SQL statement of a use case with its measured plan. */
export type QueryPlan = {
  sql: string;
  params: unknown[];
  /** How many times the use case ran it (the export runs one per batch). */
  calls: number;
  /** Median duration of one call as the use case ran it (Prisma's query event, queueing included). */
  asRunMs: number;
  /** `EXPLAIN (ANALYZE, TIMING OFF)` execution time (ms) of one call, inside the database. */
  executionMs: number;
  /** The plan tree, one node a line: type, relation, index, actual rows. */
  plan: string[];
};

/** The in-process cost of each list use case and the plans of its statements. */
export type ExplainReport = {
  cases: {
    name: string;
    /** Median wall time of the use case in process (no HTTP, no auth). */
    inProcessMs: number;
    /** Median time with a statement in flight during one run (waiting on the database). */
    dbMs: number;
    /** Statements of one run (including transaction control). */
    statements: number;
    plans: QueryPlan[];
  }[];
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Runs explain-child.ts in a child process (`tsx --conditions=react-server`, so that the app's own
 * `server-only` use cases can be imported) on the bench database — which the app must no longer
 * hold (PGlite has one owner) — with `env` as the app's environment.
 * @throws Error with the child's output when it fails.
 */
export async function explainListQueries(opts: {
  env: Record<string, string>;
  databaseUrl: string;
  ownerId: string;
  from: string;
  linkId: string;
  /** Slug of a link for the gate's 402 case. */
  slug: string;
  runs: number;
}): Promise<ExplainReport> {
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.join(root, "bench/lib/explain-child.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        ...opts.env,
        BENCH_EXPLAIN: JSON.stringify({
          databaseUrl: opts.databaseUrl,
          ownerId: opts.ownerId,
          from: opts.from,
          linkId: opts.linkId,
          slug: opts.slug,
          runs: opts.runs,
        }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = out.split("\n").find((l) => l.startsWith("@@explain@@"));
  if (code !== 0 || !line) throw new Error(`explain child failed (exit ${code}):\n${out.slice(-4000)}`);
  return JSON.parse(line.slice("@@explain@@".length)) as ExplainReport;
}
