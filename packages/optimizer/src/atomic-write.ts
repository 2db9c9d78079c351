import { close, fsync, open, rename, unlink, write } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";

const openP = promisify(open);
const writeP = promisify(write);
const fsyncP = promisify(fsync);
const closeP = promisify(close);
const renameP = promisify(rename);

/**
 * Replaces `path` with `text` so that a crash leaves either the old or the new file, never a torn one: a temporary
 * file in the same directory, written and fsynced, renamed over the target, then the directory fsynced.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = await openP(tmp, "w");
  try {
    await writeP(fd, text);
    await fsyncP(fd);
  } catch (e) {
    await closeP(fd);
    await promisify(unlink)(tmp).catch(() => undefined);
    throw e;
  }
  await closeP(fd);
  await renameP(tmp, path);
  const dir = await openP(dirname(path), "r");
  try {
    await fsyncP(dir);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is already atomic.
  } finally {
    await closeP(dir);
  }
}
