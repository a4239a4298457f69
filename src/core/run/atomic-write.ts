// Every file the library writes goes through here: a reader (or a crash) never sees half a file.
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Writes `data` to `path` atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
