/**
 * Writing a run's files: the run folder and text files, with file-system failures turned
 * into FileFormatErrors naming the path (printed as one `error:` line, exit 1).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '../index.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** A file-system failure as a FileFormatError naming the path. */
export function fsError(path: string, action: string, e: unknown): FileFormatError {
  const code = errnoCode(e);
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ENOTDIR' ? 'a part of the path is a file, not a folder'
    : code === 'ENOSPC' ? 'no space left on the device'
    : code ?? String(e);
  return new FileFormatError(path, `cannot ${action}: ${why}`);
}

/**
 * Makes `<out>/<UTC time>-<kind>/`, with `-2`, `-3`, … appended when two runs start within
 * the same second. Made before training, so a folder that cannot be written is reported at
 * once rather than after minutes of training.
 */
export async function makeRunFolder(out: string, kind: string, now: Date): Promise<string> {
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    throw fsError(out, 'create the output folder', e);
  }
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  // The kind comes from a file name: keep it to characters every file system takes.
  const safe = kind.replace(/[^A-Za-z0-9._-]+/g, '_') || 'run';
  for (let n = 1; ; n++) {
    const dir = join(out, `${stamp}-${safe}${n === 1 ? '' : `-${n}`}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw fsError(dir, 'create the run folder', e);
    }
  }
}

export async function writeText(path: string, content: string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (e) {
    throw fsError(path, 'write', e);
  }
}
