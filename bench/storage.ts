/**
 * Storage benchmark (a script, not a test): uploads a large file through `POST /api/objects` and
 * downloads it back through the gate after paying, against the production build under
 * `next start`, and prints throughput and the server's peak RSS growth next to baselines measured
 * in the same run on the same file:
 * - upload baseline: `sha384sum` of the file (an upload is at least a SHA-384 deep hash of it),
 *   and, for context, a copy of the file to disk with fsync (what a durable store must at least do);
 * - download baseline: a plain Node file stream read of the file.
 *
 * Usage: `npx tsx bench/storage.ts` (or `npm run bench:storage`). Environment:
 * - `BENCH_BYTES`: file size in bytes (default 1 GiB);
 * - `BENCH_ROUNDS`: rounds (default 3); each round measures the baselines, an upload, a paid gate
 *   download, a receipted gate download (the resume path, no settlement) and an owner download,
 *   and the table keeps each one's best time and worst RSS growth;
 * - `BENCH_STORAGE`: `fs` (default) or `s3` (an s3rver started by this script in a worker thread,
 *   and the app with `STORAGE_DRIVER=s3` on it; a receipted or owner download then follows the
 *   redirect to the presigned GET), or `direct`: the direct upload of issue 11 instead (see
 *   {@link directBench}): presigned parts PUT from Node straight to s3rver, then the server's
 *   completion, against `@aws-sdk/lib-storage`'s multipart `Upload` of the same file to the same
 *   s3rver, and the server's RSS growth meanwhile;
 * - `BENCH_APP_PORT`, `BENCH_CHAIN_PORT`: ports of the app and the chain (default: free ports);
 * - `BENCH_KEEP=1` keeps the temp folder (database, objects, the file).
 * Runs `next build` only when `.next/BUILD_ID` is missing.
 */
import { spawnSync } from "node:child_process";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { mkdtemp, open, readFile, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { finished, pipeline } from "node:stream/promises";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { startDevnet } from "../scripts/lib/devnet";
import { applyMigrations } from "../scripts/lib/migrations";
import { startApp } from "../tests/support/app-server";
import { createApiKey, creatorApi, hardhat, paymentRequiredOf, signIn, signPayment } from "../tests/support/client";

const MiB = 1024 * 1024;
const root = fileURLToPath(new URL("../", import.meta.url));
const bytes = Number(process.env.BENCH_BYTES ?? 1024 * MiB);
const driver = (process.env.BENCH_STORAGE ?? "fs") as "fs" | "s3" | "direct";
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/** Goals from issue 5. */
const GOALS = { uploadRssMiB: 128, downloadRssMiB: 64, uploadVsSha384: 0.5, downloadVsStream: 0.8 };

interface Measure {
  seconds: number;
  mibPerSecond: number;
  /** CPU seconds spent (user + system, all threads) by the process doing the work. */
  cpu: number;
}

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/**
 * CPU seconds from `/proc/<pid>/stat`: utime + stime of the process (all its threads), or, with
 * `children`, cutime + cstime (the children it has waited for).
 */
function procCpu(pid: number | "self", children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const [a, b] = children ? [fields[13], fields[14]] : [fields[11], fields[12]];
  return (Number(a) + Number(b)) / CLOCK_TICKS;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function measure(seconds: number, cpu = Number.NaN): Measure {
  return { seconds, mibPerSecond: bytes / MiB / seconds, cpu };
}

/** Writes `size` pseudo-random bytes (AES-128-CTR keystream) to `file`; returns their sha256. */
async function generateFile(file: string, size: number): Promise<string> {
  const cipher = createCipheriv("aes-128-ctr", randomBytes(16), randomBytes(16));
  const zeros = Buffer.alloc(MiB);
  const hash = createHash("sha256");
  const out = createWriteStream(file);
  for (let written = 0; written < size; written += MiB) {
    const chunk = cipher.update(zeros.subarray(0, Math.min(MiB, size - written)));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  out.end();
  await finished(out);
  return hash.digest("hex");
}

function sha384sum(file: string): Measure {
  const cpu = procCpu("self", true);
  const start = process.hrtime.bigint();
  const result = spawnSync("sha384sum", [file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`sha384sum failed: ${result.stderr}`);
  return measure(Number(process.hrtime.bigint() - start) / 1e9, procCpu("self", true) - cpu);
}

/** Reads the file with a plain Node stream; with `sha256`, hashes it too (what the download client does). */
async function plainRead(file: string, sha256 = false): Promise<Measure> {
  const cpu = process.cpuUsage();
  const { seconds } = await timed(async () => {
    const hash = sha256 ? createHash("sha256") : undefined;
    let n = 0;
    for await (const chunk of createReadStream(file)) {
      hash?.update(chunk as Buffer);
      n += (chunk as Buffer).byteLength;
    }
    if (n !== bytes) throw new Error(`read ${n} bytes, expected ${bytes}`);
  });
  const used = process.cpuUsage(cpu);
  return measure(seconds, (used.user + used.system) / 1e6);
}

/**
 * Copies the file with a Node stream and fsyncs the copy: what any durable store on this disk must
 * at least do with an upload (the fs driver writes a temp file, fsyncs it, renames it).
 */
async function writeAndSync(file: string): Promise<Measure> {
  const copy = `${file}.copy`;
  const cpu = process.cpuUsage();
  const { seconds } = await timed(async () => {
    await pipeline(createReadStream(file), createWriteStream(copy));
    const handle = await open(copy, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
  const used = process.cpuUsage(cpu);
  await rm(copy, { force: true });
  return measure(seconds, (used.user + used.system) / 1e6);
}

/**
 * The pid of the process listening on 127.0.0.1:`port` (the real Next.js server, whichever
 * process `next start` ended up serving from): the socket's inode from /proc/net/tcp, then the
 * process holding a descriptor to it.
 */
async function listeningPid(port: number): Promise<number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1]!.endsWith(`:${hexPort}`) && cols[3] === "0A") inodes.add(cols[9]!);
    }
  }
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return Number(entry);
    }
  }
  throw new Error(`no process listens on port ${port}`);
}

/** CPU seconds per thread group of `pid`: the main thread as "main", the others by thread name. */
async function threadCpu(pid: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const name = Number(tid) === pid ? "main" : (await readFile(`/proc/${pid}/task/${tid}/comm`, "utf8").catch(() => "?")).trim();
    const cpu = (() => {
      try {
        return procCpu(`${pid}/task/${tid}` as unknown as number);
      } catch {
        return 0;
      }
    })();
    out.set(name, (out.get(name) ?? 0) + cpu);
  }
  return out;
}

async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/**
 * Runs `fn` and returns the server's CPU seconds and peak RSS growth over it, in bytes: VmHWM after minus VmRSS
 * before, with the high-water mark reset first (`/proc/<pid>/clear_refs` ← 5). Where the reset is
 * not allowed, the peak of VmRSS sampled every 50 ms is used instead.
 */
async function peakGrowth<T>(
  pid: number,
  fn: () => Promise<T>,
): Promise<{ value: T; growth: number; method: string; cpu: number; threads: Map<string, number> }> {
  const canReset = await writeFile(`/proc/${pid}/clear_refs`, "5").then(
    () => true,
    () => false,
  );
  const before = await memoryOf(pid);
  const cpuBefore = procCpu(pid);
  const threadsBefore = await threadCpu(pid);
  let sampled = before.rss;
  const timer = setInterval(() => {
    memoryOf(pid).then(
      (m) => (sampled = Math.max(sampled, m.rss)),
      () => undefined,
    );
  }, 50);
  try {
    const value = await fn();
    const after = await memoryOf(pid);
    const peak = canReset ? Math.max(after.hwm, sampled) : Math.max(after.rss, sampled);
    const threads = new Map<string, number>();
    for (const [name, cpu] of await threadCpu(pid)) threads.set(name, cpu - (threadsBefore.get(name) ?? 0));
    return { value, growth: peak - before.rss, method: canReset ? "VmHWM" : "sampled VmRSS", cpu: procCpu(pid) - cpuBefore, threads };
  } finally {
    clearInterval(timer);
  }
}

/**
 * GET `url` with node:http (a leaner client than fetch, so the client takes less of the CPU the
 * server needs) and reads the body to the end, hashing it. Resolves with status, byte count, sha256.
 */
function download(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; size: number; sha256: string; receipt?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const location = res.headers.location;
        if (res.statusCode === 302 && location) {
          res.resume();
          download(location, {}).then(resolve, reject);
          return;
        }
        const hash = createHash("sha256");
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          size += chunk.byteLength;
        });
        const receipt = res.headers["x-vend-receipt"];
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, size, sha256: hash.digest("hex"), receipt: typeof receipt === "string" ? receipt : undefined }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/**
 * POSTs `file` as a raw streamed body with node:http (piped, so with backpressure); resolves with
 * status, JSON body and `tail`: seconds between the last byte sent and the response (the server's
 * work after receiving everything: finishing the hashes, fsync, signing, the header, the row).
 */
function uploadFile(url: string, file: string, headers: Record<string, string>): Promise<{ status: number; body: string; tail: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0n;
    const req = http.request(url, { method: "POST", headers }, (res) => {
      const answered = process.hrtime.bigint();
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, tail: sent ? Number(answered - sent) / 1e9 : 0 }));
      res.on("error", reject);
    });
    req.on("finish", () => (sent = process.hrtime.bigint()));
    req.on("error", reject);
    createReadStream(file).on("error", reject).pipe(req);
  });
}

/** s3rver in a worker thread of this process (its own event loop, so it does not slow the client). */
async function startS3rverWorker(directory: string): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const s3rverPath = createRequire(import.meta.url).resolve("s3rver");
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const S3rver = require(workerData.s3rverPath);
     const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: workerData.directory,
                                 configureBuckets: [{ name: "bench" }] });
     server.run().then(({ port }) => parentPort.postMessage({ port }), (error) => parentPort.postMessage({ error: String(error) }));
     parentPort.on("message", () => server.close().finally(() => parentPort.close()));`,
    { eval: true, workerData: { s3rverPath, directory } },
  );
  const message = await new Promise<{ port?: number; error?: string }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  if (!message.port) throw new Error(`s3rver did not start: ${message.error}`);
  const endpoint = `http://127.0.0.1:${message.port}`;
  return {
    env: {
      STORAGE_DRIVER: "s3",
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_BUCKET: "bench",
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "true",
      S3_KEY_PREFIX: "bench",
    },
    async stop() {
      worker.postMessage("stop");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}

/** A TCP port of 127.0.0.1 that nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The production build under `next start` on `port`, with the bench's data folder, database and storage. */
function startBenchApp(port: number, dir: string, databaseUrl: string, storageEnv: Record<string, string>) {
  const url = `http://127.0.0.1:${port}`;
  return startApp({
    port,
    env: {
      NODE_ENV: "production",
      VEND_DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret",
      MAX_UPLOAD_BYTES: String(Math.max(bytes, 2 * 1024 * MiB)),
      ...storageEnv,
    },
  });
}

function ensureBuild(): void {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  console.log("No .next build found: running next build …");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

async function main(): Promise<void> {
  if (!Number.isSafeInteger(bytes) || bytes < MiB) throw new Error("BENCH_BYTES must be an integer ≥ 1 MiB");
  ensureBuild();
  if (driver === "direct") return directBench();
  const dir = await mkdtemp(path.join(tmpdir(), "vend-bench-storage-"));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const file = path.join(dir, "bench.bin");
    console.log(`Generating ${mib(bytes)} at ${file} …`);
    const fileSha256 = await generateFile(file, bytes);
    await plainRead(file);

    const appPort = Number(process.env.BENCH_APP_PORT ?? (await freePort()));
    const chainPort = Number(process.env.BENCH_CHAIN_PORT ?? (await freePort()));
    const chain = await startDevnet({ dataDir: dir, port: chainPort, quiet: true });
    cleanups.push(() => chain.stop());
    const databaseUrl = `pglite:${path.join(dir, "db")}`;
    await applyMigrations(databaseUrl);
    let storageEnv: Record<string, string> = { STORAGE_DRIVER: "fs" };
    if (driver !== "fs") {
      const s3 = await startS3rverWorker(path.join(dir, "s3rver"));
      cleanups.push(() => s3.stop());
      storageEnv = s3.env;
    }
    const url = `http://127.0.0.1:${appPort}`;
    const app = await startBenchApp(appPort, dir, databaseUrl, storageEnv);
    cleanups.push(() => app.stop());
    const pid = await listeningPid(appPort);

    const creator = hardhat(0);
    const buyer = hardhat(1);
    const key = await createApiKey(url, await signIn(url, creator), "bench");
    const api = creatorApi(url, key);
    // Warm-up: the first request to each route loads its code; keep that out of the figures.
    const network = `eip155:${chain.chainId}`;
    const warm = await api.upload(new Uint8Array(randomBytes(1024)), "warm.bin");
    await (await api.call("GET", `/api/objects/${warm.id}/content`)).arrayBuffer();
    const warmLink = await api.createLink({ objectId: warm.id, payTo: creator.address, price: "0.01", network, expiresIn: "1h" });
    const warmPayment = await signPayment(buyer, paymentRequiredOf(await fetch(warmLink.url)));
    await (await fetch(warmLink.url, { headers: { "PAYMENT-SIGNATURE": warmPayment.header } })).arrayBuffer();

    // Rounds interleave the baselines with the operations and keep the best time of each, so that
    // a burst of load from other processes on the machine does not decide a ratio; RSS growth
    // keeps the worst round.
    const samples = new Map<string, { seconds: number; growth: number; cpu: number }[]>();
    const record = (name: string, m: { seconds: number; cpu: number }, growth = 0) =>
      samples.set(name, [...(samples.get(name) ?? []), { seconds: m.seconds, cpu: m.cpu, growth }]);
    let rssMethod = "";
    let fastestUpload: { seconds: number; threads: Map<string, number>; tail: number } | undefined;
    for (let round = 0; round < rounds; round++) {
      record("sha384sum", sha384sum(file));
      record("writeSync", await writeAndSync(file));
      const upload = await peakGrowth(pid, () =>
        timed(async () => {
          const res = await uploadFile(`${url}/api/objects`, file, {
            authorization: `Bearer ${key}`,
            "content-type": "application/octet-stream",
            "content-length": String(bytes),
            "x-filename": "bench.bin",
          });
          if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${res.body}`);
          return { ...(JSON.parse(res.body) as { id: string; sha256: string; size: string }), tail: res.tail };
        }),
      );
      const object = upload.value.value;
      if (object.sha256 !== fileSha256 || object.size !== String(bytes)) throw new Error("the server stored different bytes");
      record("upload", { seconds: upload.value.seconds, cpu: upload.cpu }, upload.growth);
      if (!fastestUpload || upload.value.seconds < fastestUpload.seconds) {
        fastestUpload = { seconds: upload.value.seconds, threads: upload.threads, tail: object.tail };
      }
      rssMethod = upload.method;

      record("read", await plainRead(file));
      record("readSha256", await plainRead(file, true));
      const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.01", network, expiresIn: "1h" });
      const { header } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
      const gate = await peakGrowth(pid, () => timed(() => download(link.url, { "PAYMENT-SIGNATURE": header })));
      const receipt = gate.value.value.receipt;
      if (!receipt) throw new Error("the paid download carried no receipt");
      const again = await peakGrowth(pid, () => timed(() => download(link.url, { "x-vend-receipt": receipt })));
      const content = await peakGrowth(pid, () =>
        timed(() => download(`${url}/api/objects/${object.id}/content`, { authorization: `Bearer ${key}` })),
      );
      for (const [name, got] of [
        ["gate", gate.value.value],
        ["receipt", again.value.value],
        ["content", content.value.value],
      ] as const) {
        if (got.status !== 200) throw new Error(`${name} download answered ${got.status}`);
        if (got.size !== bytes || got.sha256 !== fileSha256) throw new Error(`${name} download returned different bytes`);
      }
      record("gate", { seconds: gate.value.seconds, cpu: gate.cpu }, gate.growth);
      record("receipt", { seconds: again.value.seconds, cpu: again.cpu }, again.growth);
      record("content", { seconds: content.value.seconds, cpu: content.cpu }, content.growth);
      const removed = await api.call("DELETE", `/api/objects/${object.id}`);
      if (removed.status !== 200) throw new Error(`delete failed: ${removed.status}`);
    }
    const best = (name: string) => ({
      ...measure(
        Math.min(...samples.get(name)!.map((x) => x.seconds)),
        Math.min(...samples.get(name)!.map((x) => x.cpu)),
      ),
      growth: Math.max(...samples.get(name)!.map((x) => x.growth)),
    });
    const base = { sha384sum: best("sha384sum"), writeSync: best("writeSync"), stream: best("read"), streamSha256: best("readSha256") };
    const up = best("upload");
    const down = best("gate");
    const down2 = best("content");
    const row = (label: string, m: Measure, ratio = "", growth = "", goal = "") => [
      label,
      `${m.seconds.toFixed(2)} s`,
      m.mibPerSecond.toFixed(0),
      `${m.cpu.toFixed(2)} s`,
      ratio,
      growth,
      goal,
    ];
    const downloadRow = (label: string, m: typeof down) => {
      const vsRead = m.mibPerSecond / base.stream.mibPerSecond;
      const vsReadSha = m.mibPerSecond / base.streamSha256.mibPerSecond;
      return row(
        label,
        m,
        `${vsRead.toFixed(2)}× read, ${vsReadSha.toFixed(2)}× read+sha256`,
        `+${mib(m.growth)}`,
        verdict(vsRead >= GOALS.downloadVsStream && m.growth <= GOALS.downloadRssMiB * MiB, `≥ ${GOALS.downloadVsStream}× read, ≤ ${GOALS.downloadRssMiB} MiB`),
      );
    };
    const uploadRatio = up.mibPerSecond / base.sha384sum.mibPerSecond;
    const rows: string[][] = [
      row("baseline: sha384sum of the file", base.sha384sum),
      row("baseline: copy to disk + fsync (disk floor)", base.writeSync),
      row("baseline: Node file stream read", base.stream),
      row("baseline: Node file stream read + sha256", base.streamSha256),
      row(
        "upload: POST /api/objects (raw body)",
        up,
        `${uploadRatio.toFixed(2)}× sha384sum`,
        `+${mib(up.growth)}`,
        verdict(uploadRatio >= GOALS.uploadVsSha384 && up.growth <= GOALS.uploadRssMiB * MiB, `≥ ${GOALS.uploadVsSha384}× sha384sum, ≤ ${GOALS.uploadRssMiB} MiB`),
      ),
      downloadRow("download: GET /l/{slug} paid (settles)", down),
      downloadRow("download: GET /l/{slug} with the receipt", best("receipt")),
      downloadRow("download: GET /api/objects/{id}/content", down2),
    ];
    const widths = [42, 9, 7, 8, 30, 13, 36];
    console.log(
      `\nVend storage benchmark — ${mib(bytes)}, STORAGE_DRIVER=${driver}${driver === "s3" ? " (s3rver in a worker thread)" : ""}, ` +
        `best of ${rounds} interleaved rounds (RSS growth: worst round, from ${rssMethod}), Node ${process.version}, server pid ${pid}, ` +
        `load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`,
    );
    const header2 = ["", "time", "MiB/s", "CPU", "ratio", "RSS growth", "goal"];
    const line = (cols: string[]) =>
      cols.map((c, i) => (i >= 1 && i <= 3 ? lpad(c, widths[i]!) : pad(c, widths[i]!))).join("  ").trimEnd();
    console.log(line(header2));
    for (const row of rows) console.log(line(row));
    console.log(
      "\nCPU: CPU seconds (user + system, all threads) of the process doing the work: the hashing or reading" +
        "\nprocess for baselines, the Next.js server for uploads and downloads (best round).",
    );
    const breakdown = [...(fastestUpload?.threads ?? [])]
      .filter(([, cpu]) => cpu >= 0.01)
      .sort((a, b) => b[1] - a[1])
      .map(([name, cpu]) => `${name} ${cpu.toFixed(2)} s`)
      .join(", ");
    console.log(
      `Fastest upload: server CPU by thread ${breakdown}; ${fastestUpload?.tail.toFixed(2)} s from the last byte sent to the answer.`,
    );
    console.log(`sha256 ${fileSha256} verified on the upload and every download of every round.`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (process.env.BENCH_KEEP !== "1") await rm(dir, { recursive: true, force: true });
    else console.log(`Kept ${dir}`);
  }
}

/** Parts PUT at once by both sides of the direct-upload comparison (lib-storage's `queueSize`). */
const DIRECT_CONCURRENCY = 4;

/** PUTs `file[start, start + size)` to a presigned `url` with node:http; resolves with the ETag. */
function putPart(url: string, file: string, start: number, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "PUT", headers: { "content-length": String(size) } }, (res) => {
      res.resume();
      res.on("end", () => {
        const etag = res.headers.etag;
        if (res.statusCode !== 200 || !etag) reject(new Error(`part PUT answered ${res.statusCode}`));
        else resolve(etag);
      });
    });
    req.on("error", reject);
    createReadStream(file, { start, end: start + size - 1, highWaterMark: MiB }).on("error", reject).pipe(req);
  });
}

/**
 * `BENCH_STORAGE=direct`: the upload of issue 11 on s3rver (in a worker thread), best of
 * `BENCH_ROUNDS` interleaved rounds:
 * - Vend, presigned parts: `POST /api/uploads`, `POST /api/uploads/{id}/parts` (100 URLs a call),
 *   4 parts PUT at a time from this process straight to s3rver, then `POST …/complete` with the ETags
 *   (the server completes the multipart upload, streams the object back, hashes and signs it); timed
 *   to the PUTs' end and to the object's creation, with the server's CPU and peak RSS growth;
 * - baseline: `@aws-sdk/lib-storage`'s `Upload` of the same file to the same s3rver from this
 *   process, 8 MiB parts, 4 at a time (`queueSize`).
 */
async function directBench(): Promise<void> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  const { Upload } = await import("@aws-sdk/lib-storage");
  const dir = await mkdtemp(path.join(tmpdir(), "vend-bench-direct-"));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const file = path.join(dir, "bench.bin");
    console.log(`Generating ${mib(bytes)} at ${file} …`);
    const fileSha256 = await generateFile(file, bytes);
    const chain = await startDevnet({ dataDir: dir, port: await freePort(), quiet: true });
    cleanups.push(() => chain.stop());
    const databaseUrl = `pglite:${path.join(dir, "db")}`;
    await applyMigrations(databaseUrl);
    const s3 = await startS3rverWorker(path.join(dir, "s3rver"));
    cleanups.push(() => s3.stop());
    const appPort = await freePort();
    const url = `http://127.0.0.1:${appPort}`;
    const app = await startBenchApp(appPort, dir, databaseUrl, s3.env);
    cleanups.push(() => app.stop());
    const pid = await listeningPid(appPort);
    const key = await createApiKey(url, await signIn(url, hardhat(0)), "bench");
    const api = creatorApi(url, key);
    const client = new S3Client({
      endpoint: s3.env.S3_ENDPOINT,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });

    const direct = async () => {
      const put = { seconds: 0 };
      const started = process.hrtime.bigint();
      const created = await api.call("POST", "/api/uploads", { name: "bench.bin", size: String(bytes) });
      const plan = (await created.json()) as { id: string; partSize: string; partCount: number };
      if (created.status !== 201) throw new Error(`POST /api/uploads answered ${created.status}`);
      const urls = new Map<number, string>();
      for (let from = 1; from <= plan.partCount; from += 100) {
        const partNumbers = Array.from({ length: Math.min(100, plan.partCount - from + 1) }, (_, i) => from + i);
        const signed = (await (await api.call("POST", `/api/uploads/${plan.id}/parts`, { partNumbers })).json()) as {
          parts: { partNumber: number; url: string }[];
        };
        for (const part of signed.parts) urls.set(part.partNumber, part.url);
      }
      const partSize = Number(plan.partSize);
      const etags: { partNumber: number; etag: string }[] = [];
      let nextPart = 1;
      await Promise.all(
        Array.from({ length: DIRECT_CONCURRENCY }, async () => {
          for (let n = nextPart++; n <= plan.partCount; n = nextPart++) {
            const start = (n - 1) * partSize;
            etags.push({ partNumber: n, etag: await putPart(urls.get(n)!, file, start, Math.min(partSize, bytes - start)) });
          }
        }),
      );
      put.seconds = Number(process.hrtime.bigint() - started) / 1e9;
      etags.sort((a, b) => a.partNumber - b.partNumber);
      const done = await api.call("POST", `/api/uploads/${plan.id}/complete`, { parts: etags });
      const object = (await done.json()) as { id: string; sha256: string };
      if (done.status !== 201 || object.sha256 !== fileSha256) throw new Error(`completion answered ${done.status}`);
      await api.call("DELETE", `/api/objects/${object.id}`);
      return put;
    };
    const baseline = async (round: number) => {
      const upload = new Upload({
        client,
        params: { Bucket: "bench", Key: `baseline/${round}`, Body: createReadStream(file, { highWaterMark: MiB }) },
        partSize: 8 * MiB,
        queueSize: DIRECT_CONCURRENCY,
      });
      await upload.done();
    };
    const results = { direct: [] as { put: number; total: number; growth: number; cpu: number }[], baseline: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      results.baseline.push((await timed(() => baseline(round))).seconds);
      const run = await peakGrowth(pid, () => timed(direct));
      results.direct.push({ put: run.value.value.seconds, total: run.value.seconds, growth: run.growth, cpu: run.cpu });
    }
    const best = (xs: number[]) => Math.min(...xs);
    const rate = (seconds: number) => bytes / MiB / seconds;
    const base = best(results.baseline);
    const put = best(results.direct.map((r) => r.put));
    const total = best(results.direct.map((r) => r.total));
    console.log(
      `\nVend direct upload benchmark — ${mib(bytes)} to s3rver (worker thread), ${DIRECT_CONCURRENCY} parts in flight, ` +
        `best of ${rounds} interleaved rounds, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`,
    );
    const rows = [
      ["baseline: @aws-sdk/lib-storage Upload from Node", base, ""],
      ["Vend: presigned parts PUT from Node (to the last part)", put, `${(rate(put) / rate(base)).toFixed(2)}× lib-storage`],
      ["Vend: … + POST complete (stream back, deep hash, sign)", total, `${(rate(total) / rate(base)).toFixed(2)}× lib-storage`],
    ] as const;
    for (const [label, seconds, ratio] of rows) {
      console.log(`${pad(label, 58)}  ${lpad(`${seconds.toFixed(2)} s`, 9)}  ${lpad(`${rate(seconds).toFixed(0)} MiB/s`, 11)}  ${ratio}`);
    }
    console.log(
      `\nServer (Next.js) during the direct upload: peak RSS growth +${mib(Math.max(...results.direct.map((r) => r.growth)))} (worst round), ` +
        `CPU ${Math.min(...results.direct.map((r) => r.cpu)).toFixed(2)} s (best round; the completion reads the object back once).`,
    );
    console.log(`sha256 ${fileSha256} verified by the server's completion in every round.`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (process.env.BENCH_KEEP !== "1") await rm(dir, { recursive: true, force: true });
  }
}

function verdict(ok: boolean, goal: string): string {
  return `${ok ? "met" : "MISSED"} (${goal})`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
