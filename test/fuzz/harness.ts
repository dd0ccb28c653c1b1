// A small mutation fuzzer for nabla's parsers. Each case feeds a parser random, truncated
// or mutated bytes; the only acceptable outcomes are a result or a NablaError — any other
// exception, or a case that runs past its time budget, is a failure.
import { NablaError } from '../../src/index.js';
import { FastRandom } from '../../src/tensor/random/fast.js';

export interface FuzzTarget {
  name: string;
  /** Valid inputs to mutate. */
  seeds: Uint8Array[];
  /** Parses; may return a promise. */
  parse: (bytes: Uint8Array) => unknown;
}

export interface FuzzCounts {
  name: string;
  cases: number;
  accepted: number;
  rejected: number;
  crashes: Array<{ case: number; error: string }>;
  hangs: number;
  slowestMs: number;
}

function mutate(rng: FastRandom, seed: Uint8Array): Uint8Array {
  const kind = rng.randint(0, 6);
  const out = Uint8Array.from(seed);
  switch (kind) {
    case 0: { // random bytes of a random length
      const r = new Uint8Array(rng.randint(0, 512));
      for (let i = 0; i < r.length; i++) r[i] = rng.randint(0, 256);
      return r;
    }
    case 1: return out.subarray(0, rng.randint(0, Math.max(1, out.length))); // truncation
    case 2: { // bit flips
      const flips = rng.randint(1, 9);
      for (let k = 0; k < flips && out.length > 0; k++) out[rng.randint(0, out.length)]! ^= 1 << rng.randint(0, 8);
      return out;
    }
    case 3: { // overwrite a run with an interesting value
      if (out.length === 0) return out;
      const at = rng.randint(0, out.length), v = [0, 0xff, 0x7f, 0x80][rng.randint(0, 4)]!;
      for (let i = at; i < Math.min(out.length, at + rng.randint(1, 9)); i++) out[i] = v;
      return out;
    }
    case 4: { // insert random bytes
      const at = rng.randint(0, out.length + 1), n = rng.randint(1, 17);
      const r = new Uint8Array(out.length + n);
      r.set(out.subarray(0, at));
      for (let i = 0; i < n; i++) r[at + i] = rng.randint(0, 256);
      r.set(out.subarray(at), at + n);
      return r;
    }
    default: { // delete a run
      if (out.length < 2) return out;
      const at = rng.randint(0, out.length - 1), n = rng.randint(1, Math.min(64, out.length - at) + 1);
      const r = new Uint8Array(out.length - n);
      r.set(out.subarray(0, at));
      r.set(out.subarray(at + n), at);
      return r;
    }
  }
}

export async function fuzz(target: FuzzTarget, cases: number, seed = 1, budgetMs = 2000, onCase?: (index: number, input: Uint8Array) => void): Promise<FuzzCounts> {
  const rng = new FastRandom(seed);
  const counts: FuzzCounts = { name: target.name, cases, accepted: 0, rejected: 0, crashes: [], hangs: 0, slowestMs: 0 };
  for (let c = 0; c < cases; c++) {
    const base = target.seeds[rng.randint(0, target.seeds.length)]!;
    const input = rng.random() < 0.05 ? base : mutate(rng, base);
    onCase?.(c, input);
    const start = performance.now();
    try {
      await target.parse(input);
      counts.accepted++;
    } catch (e) {
      if (e instanceof NablaError) counts.rejected++;
      else counts.crashes.push({ case: c, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
    const ms = performance.now() - start;
    counts.slowestMs = Math.max(counts.slowestMs, ms);
    if (ms > budgetMs) counts.hangs++;
  }
  return counts;
}

/** The input of case `index` of a run with `seed`, without parsing anything (to replay a finding). */
export function generateCase(target: FuzzTarget, seed: number, index: number): Uint8Array {
  const rng = new FastRandom(seed);
  let input: Uint8Array = new Uint8Array();
  for (let c = 0; c <= index; c++) {
    const base = target.seeds[rng.randint(0, target.seeds.length)]!;
    input = rng.random() < 0.05 ? base : mutate(rng, base);
  }
  return input;
}
