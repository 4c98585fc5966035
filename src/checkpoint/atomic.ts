// Atomic file writes: write a temporary file in the target's directory, fsync it, rename it over
// the target, fsync the directory. A crash (or a thrown error) at any point leaves either the old
// file or the new one, never a half-written file; on an error the temporary file is removed.
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Appends bytes to the file being written. */
export type WriteChunk = (bytes: Uint8Array) => Promise<void>;

/** Name of the temporary file used for `path` (same directory so rename stays atomic). */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** True for the temporary files this module creates (tests and cleanup tools use it). */
export function isTempFileName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}

/** fsync a directory so a rename inside it is durable. Some filesystems refuse: that is not an error. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on platforms that cannot fsync directories: nothing more we can do.
  } finally {
    await fh?.close().catch(() => {});
  }
}

/**
 * Write `path` atomically. `produce` receives a function that appends bytes; when it resolves, the
 * file is fsynced and renamed into place. If `produce` throws, the target is left untouched.
 */
export async function writeFileAtomic(path: string, produce: (write: WriteChunk) => Promise<void>): Promise<void> {
  const tmp = tempName(path);
  const fh = await open(tmp, 'wx', 0o644);
  let ok = false;
  try {
    let pos = 0;
    await produce(async (bytes) => {
      let off = 0;
      while (off < bytes.length) {
        // At most 1 GiB per call (fs writes are limited to 2 GiB - 1).
        const { bytesWritten } = await fh.write(bytes, off, Math.min(bytes.length - off, 2 ** 30), pos);
        off += bytesWritten;
        pos += bytesWritten;
      }
    });
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
    ok = true;
  } finally {
    if (!ok) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
    }
  }
  await fsyncDir(dirname(path));
}

/** Atomically write a whole buffer or string. */
export async function writeBytesAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  await writeFileAtomic(path, (write) => write(bytes));
}

/** Atomically write JSON (2-space indented, trailing newline). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeBytesAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
