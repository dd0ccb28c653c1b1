#!/usr/bin/env node
/**
 * The `nabla` command (the package's bin). Thin on purpose: parse the arguments, run one
 * command (each in its own module), and turn failures into exit codes — 2 for a usage mistake (with the usage on
 * stderr), 1 for a NablaError (one `error:` line, no stack trace) or a figure not reproduced.
 */
import { readFileSync } from 'node:fs';
import { ArgumentError, NablaError, getBackend, listBackends, setBackend } from '../index.js';
import { COMMAND_USAGE, USAGE, UsageError, parseCommandLine } from './args.js';
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

/** Runs `nabla` with `argv` (without node and the script); resolves to the exit code. */
async function main(argv: readonly string[], out: Output = processOutput()): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    // NABLA_BACKEND=cpu|wasm|wasm-threads overrides the default (the fastest available);
    // an unknown name is an error that lists the available ones.
    const backend = process.env['NABLA_BACKEND'];
    if (backend) {
      if (!listBackends().includes(backend)) {
        throw new ArgumentError('NABLA_BACKEND', `unknown backend '${backend}': available are ${listBackends().join(', ')}`);
      }
      setBackend(backend);
    }
    switch (args.command) {
      case 'help':
        out.write(args.topic === undefined ? USAGE : COMMAND_USAGE[args.topic]);
        return 0;
      case 'version':
        out.write(`nabla ${packageVersion()}\nbackend: ${getBackend().name} — ${getBackend().description}\n`);
        return 0;
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
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`error: ${e.message}\n`);
      if (e.showUsage) out.error(`\n${e.command === undefined ? USAGE : COMMAND_USAGE[e.command]}`);
      else out.error(`Run 'nabla ${e.command === undefined ? '' : `${e.command} `}--help' for usage.\n`);
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
