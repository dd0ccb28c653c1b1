#!/usr/bin/env node
/**
 * The `nabla` command (the package's bin). Thin on purpose: parse the arguments, run one
 * command (each in its own module), and turn failures into exit codes — 2 for a usage mistake (one `error:`
 * line naming the flag and one hint line on stderr), 1 for a NablaError (one `error:` line, no stack
 * trace) or a figure not reproduced.
 */
import { readFileSync } from 'node:fs';
import { NablaError, getBackend, listBackends, setBackend } from '../index.js';
import { COMMAND_USAGE, USAGE, UsageError, parseCommandLine, type CommandName, type ParsedCommandLine } from './args.js';
import { evaluate } from './eval.js';
import { explain } from './explain.js';
import { exportModel } from './export.js';
import { gradcheck } from './gradcheck.js';
import { predict } from './predict.js';
import { processOutput, type Output } from './progress.js';
import { reproduce } from './reproduce.js';
import { trainData } from './train-data.js';
import { train } from './train.js';

/** The package's version, read from package.json two levels up (from src/cli or dist/cli alike). */
function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // Fall through: a missing package.json should not stop the tool.
  }
  return 'unknown';
}

/**
 * The NABLA_BACKEND setting (cpu, wasm or wasm-threads; unset: the fastest available):
 * undefined when it names a backend or is unset, else why it cannot be used.
 */
function backendProblem(): string | undefined {
  const backend = process.env['NABLA_BACKEND'];
  if (!backend || listBackends().includes(backend)) return undefined;
  return `NABLA_BACKEND: unknown backend '${backend}': available are ${listBackends().join(', ')} (or unset it for the default, ${getBackend().name})`;
}

/** The one line after a usage mistake: the synopsis, and where the options are listed. */
function usageHint(command: CommandName | undefined): string {
  if (command === undefined) return "Usage: nabla <command> [options]. Run 'nabla --help' for the commands.\n";
  const synopsis = COMMAND_USAGE[command].split('\n', 1)[0]!;
  return `${synopsis}. Run 'nabla ${command} --help' for the options.\n`;
}

/**
 * csv-parse counts label columns from 0, as the library's `label` option does; `--label`
 * counts them from 1 (see parseLabel in args.ts). Says "label column index 4 is outside the
 * file's 3 columns (0..2, …)" for `--label 5` in the flag's own terms, as a usage mistake.
 */
function labelOutOfRange(e: NablaError, args: ParsedCommandLine | undefined): UsageError | undefined {
  if (args === undefined || !('data' in args) || typeof args.data.label !== 'number' || e.where !== 'label') return undefined;
  const match = /^label: (.*): label column index (-?\d+) is outside the file's (\d+) columns/s.exec(e.message);
  if (match === null) return undefined;
  const [, file, index, width] = match;
  if (Number(index) !== args.data.label) return undefined;
  const given = args.data.label >= 0 ? args.data.label + 1 : args.data.label;
  // With --layout columns each sample is a column of the file, and --label picks a line.
  const what = args.data.layout === 'columns' ? 'lines (--layout columns: --label counts lines)' : 'columns';
  return new UsageError(`--label ${given}: ${file} has ${width} ${what}; give 1..${width}, or -1..-${width} from the end`, args.command);
}

/** Runs `nabla` with `argv` (without node and the script); resolves to the exit code. */
async function main(argv: readonly string[], out: Output = processOutput()): Promise<number> {
  let args: ParsedCommandLine | undefined;
  try {
    args = parseCommandLine(argv);
    // Help and version compute nothing: they work whatever NABLA_BACKEND says.
    if (args.command === 'help') {
      out.write(args.topic === undefined ? USAGE : COMMAND_USAGE[args.topic]);
      return 0;
    }
    const problem = backendProblem();
    const backend = process.env['NABLA_BACKEND'];
    if (problem === undefined && backend) setBackend(backend);
    if (args.command === 'version') {
      out.write(`nabla ${packageVersion()}\nbackend: ${getBackend().name} — ${getBackend().description}\n`);
      if (problem !== undefined) out.error(`warning: ${problem}; commands that compute refuse to run\n`);
      return 0;
    }
    // A bad setting of the environment is the caller's mistake, as a bad flag is: exit 2.
    if (problem !== undefined) {
      out.error(`error: ${problem}\n`);
      return 2;
    }
    switch (args.command) {
      case 'train':
        // With no <data>, the course's cat job, exactly as before.
        return 'data' in args ? await trainData(args, out, packageVersion()) : await train(args, out, packageVersion());
      case 'eval':
        return await evaluate(args, out);
      case 'predict':
        return await predict(args, out);
      case 'gradcheck':
        return await gradcheck(args, out);
      case 'explain':
        return await explain(args, out);
      case 'export':
        return await exportModel(args, out, packageVersion());
      case 'reproduce':
        return await reproduce(args, out);
    }
  } catch (caught) {
    const e = caught instanceof NablaError ? labelOutOfRange(caught, args) ?? caught : caught;
    if (e instanceof UsageError) {
      out.error(`error: ${e.message}\n`);
      out.error(e.showUsage ? `\n${e.command === undefined ? USAGE : COMMAND_USAGE[e.command]}` : usageHint(e.command));
      return 2;
    }
    if (e instanceof NablaError) {
      out.error(`error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 1;
    }
    throw e;
  }
}

// `nabla --help | head -1` closes the pipe early: that is the reader's choice, not an error,
// so leave at once and quietly (even in the middle of training: nobody reads the output).
const leave = process.exit.bind(process);
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') leave(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
