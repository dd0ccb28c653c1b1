/**
 * Writing a run's files: the run folder and text files, with file-system failures turned
 * into FileFormatErrors naming the path (printed as one `error:` line, exit 1), and an --out
 * that names a file into a UsageError (exit 2).
 */
import type { Stats } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FileFormatError } from '../index.js';
import { UsageError } from './args.js';
import { allocationMessage } from './network.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** A file-system failure as a FileFormatError naming the path. */
export function fsError(path: string, action: string, e: unknown): FileFormatError {
  const code = errnoCode(e);
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ENOTDIR' ? 'a part of the path is a file, not a folder'
    : code === 'ENOSPC' ? 'no space left on the device'
    : code === 'EROFS' ? 'the file system is read-only'
    : code ?? String(e);
  return new FileFormatError(path, `cannot ${action}: ${why}`);
}

/**
 * Makes the folder `out` (the value of --out) and its missing parents, one level at a time.
 * Not `mkdir(out, { recursive: true })`: that never returns under /proc (mkdir there fails
 * with ENOENT although the parent exists, and Node's recursive mkdir retries the parent
 * forever), and it reports a file in the way as a bare EEXIST or ENOTDIR.
 *
 * @throws UsageError when a file stands where a folder must be (the value of --out is wrong).
 * @throws FileFormatError naming the flag and the folder when the system refuses to make it.
 */
async function makeOutFolder(out: string): Promise<void> {
  const flagged = `--out ${out}`;
  // The deepest existing folder on the way to `out`, and the ones to make below it.
  const missing: string[] = [];
  let at = resolve(out);
  for (;;) {
    let info: Stats | undefined;
    try {
      info = await stat(at);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOTDIR') {
        // A part of the path above `at` is a file: found on the next level up.
      } else if (code !== 'ENOENT') {
        throw fsError(flagged, `look at ${at}`, e);
      }
    }
    if (info !== undefined) {
      if (info.isDirectory()) break;
      throw new UsageError(
        at === resolve(out) ? `${flagged}: a file with that name exists; give a folder` : `${flagged}: ${at} is a file, not a folder; give a folder`,
        'train',
      );
    }
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) throw new FileFormatError(flagged, 'cannot create the folder: the file system root is missing');
    at = parent;
  }
  for (const dir of missing) {
    try {
      await mkdir(dir);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'EEXIST') {
        // Made by someone else meanwhile (fine), or a dangling link or a file (not fine).
        const info = await stat(dir).catch(() => undefined);
        if (info?.isDirectory() === true) continue;
        throw new UsageError(`${flagged}: ${dir} exists and is not a folder (a file or a broken link); give a folder`, 'train');
      }
      const folder = dir === resolve(out) ? 'the folder' : `the folder ${dir}`;
      // ENOENT with the parent there: a file system that takes no new folders (/proc).
      if (code === 'ENOENT') throw new FileFormatError(flagged, `cannot create ${folder}: ${dirname(dir)} does not take new folders`);
      throw fsError(flagged, `create ${folder}`, e);
    }
  }
}

/**
 * Makes `<out>/<UTC time>-<kind>/`, with `-2`, `-3`, … appended when two runs start within
 * the same second. Made before training, so a folder that cannot be written is reported at
 * once rather than after minutes of training.
 */
export async function makeRunFolder(out: string, kind: string, now: Date): Promise<string> {
  await makeOutFolder(out);
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  // The kind comes from a file name: keep it to characters every file system takes.
  const safe = kind.replace(/[^A-Za-z0-9._-]+/g, '_') || 'run';
  for (let n = 1; ; n++) {
    const dir = join(out, `${stamp}-${safe}${n === 1 ? '' : `-${n}`}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOENT') throw new FileFormatError(`--out ${out}`, 'cannot create the run folder in it: it does not take new folders');
      if (code !== 'EEXIST') throw fsError(dir, 'create the run folder', e);
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

/**
 * Writes one optional file of a run folder (a plot, a report) made by `make`: a failure to make
 * it is a one-line warning (`verb`: "drawn", "written"), not a lost run. Whether it was written.
 */
export async function writeOptional(path: string, make: () => string, warn: (line: string) => void, verb: 'written' | 'drawn' = 'written'): Promise<boolean> {
  let text: string;
  try {
    text = make();
  } catch (e) {
    const tooLarge = allocationMessage(e);
    const action = verb === 'drawn' ? 'draw' : 'write';
    const why = tooLarge !== undefined ? `${tooLarge}; smaller --layers ${action} it` : e instanceof Error ? e.message : String(e);
    warn(`warning: ${path.split(/[/\\]/).pop()} not ${verb}: ${why.replace(/\s*\n\s*/g, ' ')}`);
    return false;
  }
  await writeText(path, text);
  return true;
}
