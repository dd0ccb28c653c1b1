import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileFormatError } from '../errors.js';

/**
 * Writes `bytes` to `path` so that a reader — or a crash, or a kill -9 — never sees a
 * half-written file: a temporary file in the same folder (so the rename stays on one file
 * system and is atomic), flushed to disk, then renamed over `path`. A failed write leaves
 * any previous file at `path` intact. `what` names the file in errors ("the model").
 *
 * @throws FileFormatError (where = the path) when the file cannot be written.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, what = 'the file'): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'w');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    // Flush before the rename, or a power cut could leave the new name on empty blocks.
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
    if (code === 'ENOENT') throw new FileFormatError(path, `cannot write ${what}: the folder does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new FileFormatError(path, `cannot write ${what}: permission denied`);
    if (code === 'EISDIR') throw new FileFormatError(path, `cannot write ${what}: the path is a folder`);
    throw new FileFormatError(path, `cannot write ${what}${code ? ` (${code})` : ''}`);
  }
}
