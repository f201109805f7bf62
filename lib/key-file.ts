import "server-only";
import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Reads a generated key file, or creates it: `create()`'s text is written in full to a private
 * (mode 0600) temp file that is then hard-linked to its final name, which fails if another process
 * got there first (then its file is read). Readers therefore never see a half-written file, and two
 * processes never end up with two keys. `parse` turns the file's text into the key and throws an
 * Error naming the file when it is malformed. Used for the deployment's generated keys in
 * `VEND_DATA_DIR` (ANS-104 signer, offer-receipt signer).
 */
export async function readOrCreateKeyFile<T>(file: string, create: () => string, parse: (text: string) => T): Promise<T> {
  try {
    return parse(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const text = create();
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600, flag: "wx" });
    await link(tmp, file);
    return parse(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return parse(await readFile(file, "utf8"));
  } finally {
    await rm(tmp, { force: true });
  }
}
