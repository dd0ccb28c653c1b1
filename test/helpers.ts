import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Tensor } from '../src/index.js';

/** Every element of `actual` within `tol` of `expected` (nested arrays compared flat). */
export function expectClose(actual: Tensor | number[], expected: number[] | number[][], tol: number): void {
  const a = Array.isArray(actual) ? actual : actual.toFlatArray();
  const e = (expected as unknown[]).flat(Infinity) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (Math.abs(v - e[i]!) > tol) throw new Error(`element ${i}: ${v} vs expected ${e[i]} (tolerance ${tol})`);
  });
}

/** Whatever `promise` rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error('expected the promise to reject');
}

/** What a run of the `nabla` command gave. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from its TypeScript source through tsx (the same code `npm run build` compiles
 * to dist/cli/main.js), with stdout a pipe, i.e. not a terminal.
 */
export function nabla(...args: string[]): Promise<Run> {
  return nablaWith({}, ...args);
}

/** The same with extra environment variables. */
export function nablaWith(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A safetensors-style file from its JSON header and data (the 8-byte little-endian header length first), to forge model files. */
export function join8(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
