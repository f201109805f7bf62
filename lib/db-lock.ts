import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

const held = new Set<string>();
let exitHook = false;

function releaseAll(): void {
  for (const lockPath of [...held]) releaseDirectoryLock(lockPath.slice(0, -".lock".length));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `<dir>.lock` for this process (O_EXCL create, holding our pid) so that no second process
 * opens the same PGlite directory: PGlite does not lock it, and two owners silently lose writes.
 * A lock left by a dead process is taken over. Released on exit.
 * @throws Error naming the pid that holds the directory.
 */
export function acquireDirectoryLock(dir: string): void {
  const lockPath = `${dir}.lock`;
  if (held.has(lockPath)) return;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(lockPath);
      if (held.size === 1 && !exitHook) {
        exitHook = true;
        process.once("exit", releaseAll);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(lockPath, "utf8").trim());
      if (pid === process.pid) {
        held.add(lockPath);
        return;
      }
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new Error(
          `The embedded database ${dir} is in use by process ${pid}. ` +
            `Only one process may open it: stop that process (or point DATABASE_URL elsewhere).`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}.`);
}

/** Releases the lock taken by {@link acquireDirectoryLock}, if this process holds it. */
export function releaseDirectoryLock(dir: string): void {
  const lockPath = `${dir}.lock`;
  if (!held.delete(lockPath)) return;
  try {
    if (Number(readFileSync(lockPath, "utf8").trim()) === process.pid) rmSync(lockPath, { force: true });
  } catch {
    // Already gone: nothing to release.
  }
}
