/**
 * What the bench started (chain, proxy, app server, database), stopped in reverse order at the end,
 * on an error, and on Ctrl-C / SIGTERM.
 */
export class Resources {
  private readonly stack: { name: string; stop: () => Promise<void> }[] = [];
  private stopping: Promise<void> | undefined;

  /** Registers `stop` to run (once) when everything is torn down. */
  add(name: string, stop: () => Promise<void>): void {
    this.stack.push({ name, stop });
  }

  /** Stops one registered resource now (if still registered), e.g. the app before reading its database. */
  async stopOne(name: string): Promise<void> {
    const i = this.stack.findIndex((r) => r.name === name);
    if (i < 0) return;
    const [r] = this.stack.splice(i, 1);
    await r!.stop();
  }

  /** Stops everything, newest first; a failure is reported and does not keep the rest running. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      while (this.stack.length) {
        const r = this.stack.pop()!;
        try {
          await r.stop();
        } catch (error) {
          console.error(`bench: could not stop ${r.name}: ${(error as Error).message}`);
        }
      }
    })();
    return this.stopping;
  }

  /** On SIGINT / SIGTERM: stop everything, then exit with 130 / 143. */
  stopOnSignals(): void {
    const handler = (signal: NodeJS.Signals) => {
      console.error(`\nbench: ${signal}, stopping…`);
      void this.stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", handler);
    process.once("SIGTERM", handler);
  }
}
