import type { TypedArray } from '../../tensor/dtype.js';
import type { Backend } from '../backend.js';
import { cpuBackend, referenceElementwise } from '../cpu/index.js';
import { Arena, copyIn, copyOut } from './arena.js';
import type { DenseProgram, DenseProgramSpec } from '../backend.js';
import { createDenseProgram, type ProgramKernels } from './dense-program.js';
import { multiplySlices, type SliceKernels } from './slices.js';
import { decode, wasmFeatures } from './index.js';
import { RELAXED_SIMD_SHARED_WASM_BASE64, SIMD_SHARED_WASM_BASE64 } from './kernels.generated.js';

/*
 * The 'wasm-threads' backend: the WASM backend's GEMM kernels, built over an imported shared
 * WebAssembly.Memory, with products of at least THRESHOLD multiply-adds split in two: a helper
 * worker (instantiating the same module on the same memory) computes one half of C's rows (or
 * columns, when C is short and wide) while the calling thread computes the other. Backend.matmul
 * is synchronous, so the calling thread hands the helper its half through Atomics.notify on a
 * shared control block and blocks in Atomics.wait until it is done.
 *
 * Splitting C's rows or columns leaves every element's summation order as it is, so a product
 * is the same, bit for bit, on one thread or two. Small products (the flower net's) never
 * touch the helper, which is only started by the first large product, and never keeps a Node
 * process alive.
 *
 * The helper is a Node worker_threads Worker in Node and a Web Worker in browsers. Two threads
 * need SharedArrayBuffer (browsers: a cross-origin isolated page, served with COOP/COEP
 * headers), a calling thread allowed to block in Atomics.wait (browsers: a Web Worker, never a
 * page's main thread) and a way to start the helper; where any is missing every product runs on
 * the calling thread, and the backend's description says why.
 */

/**
 * Products of at least this many multiply-adds (M·N·K) are split across the two threads. Below
 * it, handing half over costs about what the second core saves.
 */
export const THREAD_THRESHOLD = 2 ** 22;

/**
 * How long, in milliseconds, each side watches a shared slot before blocking in Atomics.wait: the
 * helper for the next job after one, the caller for the helper's half. Waking from Atomics.wait
 * takes tens of microseconds, as long as a whole half of the MLP's 128×784·784×64 products,
 * which with blocking hand-offs trained 15 % slower on two threads than on one.
 */
const SPIN_MS = 0.5;

/**
 * Polls of a shared slot between two looks at the clock while spinning. performance.now()
 * returns a new heap number at every call: read at every poll, it made the helper allocate
 * about 80 KB per cat training step (82 scavenges in 2,000 steps, now 5; the engines' heaps
 * kept large, 10 MiB more RSS once training settled). 256 polls take a microsecond or two.
 */
const POLLS = 256;

// The fewest rows gemmShared hands out at a time (float32; float64 in register tiles, 40 or 48
// rows): a block streams all of the packed op(B) through the cache once, so blocks much smaller
// than this cost more than the balance they buy.
const LEAST32 = 48, LEAST64_TILES = 8;

// The most bytes of packed op(B) that a block of rows re-reads from the core's L2 cache rather
// than from L3 or memory: half of a 512 KiB L2 (this machine's Zen 3 cores; most current cores
// have at least that), the rest for A's panels and C.
const L2_RESIDENT = 256 * 1024;

interface SharedKernels extends SliceKernels {
  heapBase(): number;
  scratchBytes(N: number, double: number): number;
  gemmF32Packed(a: number, packed: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, scratch: number): void;
  gemmF64Packed(a: number, packed: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, scratch: number): void;
  gemmF32PackedT(a: number, packed: number, c: number, M: number, N: number, K: number, ldc: number, c0: number, c1: number, scratch: number, buf: number): void;
  gemmF64PackedT(a: number, packed: number, c: number, M: number, N: number, K: number, ldc: number, c0: number, c1: number, scratch: number, buf: number): void;
  packedBytes(N: number, K: number, double: number): number;
  packBF32(b: number, dst: number, N: number, K: number, transB: number): void;
  packBF64(b: number, dst: number, N: number, K: number, transB: number): void;
  packBPieceF32(b: number, dst: number, N: number, K: number, transB: number, piece: number): void;
  packBPieceF64(b: number, dst: number, N: number, K: number, transB: number, piece: number): void;
}

// Control block (Int32 slots): 0 job sequence number (caller bumps it), 1 last job done (helper
// sets it), 2 the helper's last job failed, 3 last job claimed. Whoever of the helper
// and the caller claims a job first (compare-and-exchange) computes it: a helper still starting,
// or slow to wake, is never waited for, so the caller can never deadlock on it. Job parameters
// are float64s from byte PARAMS on. A job whose rows (or columns) are shared out as the threads
// come free (SplitGemm.gemmShared, #shareBlocks) also uses 4 the next one not yet taken, 5 the
// next piece of op(B) to pack not yet taken, 6 how many pieces are packed, 7 how many rows of
// op(A) are in place and 8 how many rows of B (as stored) are (the caller sets all five before
// publishing it, then raises 7 and 8 as it copies A and B in).
// The helper lists the blocks of rows it has computed, as (row, rows) pairs from Int32 slot
// LISTED on, the first LIST_LENGTH of them, and counts them in 9 (the caller copies them out
// meanwhile).
// A job on B copied in slices (SplitGemm.gemmSliced) uses 7: how many rows of B are in place.
const SEQ = 0, DONE = 1, FAILED = 2, CLAIM = 3, NEXT = 4, PACK = 5, PACKED = 6, READY = 7, B_READY = 8, HELPER_BLOCKS = 9;
const PARAMS = 64;
// More pieces than any op(B)'s packing is cut into (asm/gemm.ts, packPieces).
const ALL_PIECES = 2 ** 30;
const PARAM_COUNT = 14; // the kind of job, then up to 13 arguments
const LISTED = (PARAMS + PARAM_COUNT * 8) / 4, LIST_LENGTH = 64;

/**
 * Takes blocks of C's rows from the shared counter s[4] (NEXT) until none are left, calling
 * `run(row, rows)` for each: a quarter of what is left, in multiples of `unit` (whole register
 * tiles), at least `least` rows (each block streams all of the packed op(B) once). Big blocks
 * first, small ones at the end: a thread slowed down (the other core busy, a page fault, a
 * hypervisor's steal) simply takes fewer, and the two finish within a small block of each
 * other. Both threads run this very function: the helper's copy is its source text (hence the
 * literal slot number, and nothing used from outside it).
 */
function takeRows(s: Int32Array, M: number, unit: number, least: number, run: (row: number, rows: number) => void): void {
  for (;;) {
    const row = Atomics.load(s, 4);
    if (row >= M) return;
    let rows = Math.min(M - row, Math.max(least, Math.ceil((M - row) / (4 * unit)) * unit));
    // Less than a tile would be left: it goes with this block (a block of it alone pays a whole tile).
    if (M - row - rows < unit) rows = M - row;
    if (Atomics.compareExchange(s, 4, row, row + rows) === row) run(row, rows);
  }
}

/**
 * Packs pieces of op(B) (asm/gemm.ts, packBPieceF32) taken from the shared counter s[5] (PACK)
 * until none are left, counting each one done in s[6] (PACKED), also when packing it threw, so
 * that nobody waits forever for a piece; the threads compute once s[6] reaches `pieces`. A piece
 * is the NC-wide block of columns `block` and the KC-deep slice `slice` of op(B), and needs the
 * rows of B (as stored) it reads in place: s[8] (B_READY) counts those, raised by the caller as
 * it copies B in, in order. So the pieces go out in the order B arrives: slice by slice when op(B)
 * is B (a slice is KC rows of B), block by block when it is Bᵀ (a block is NC rows of B). Both
 * threads run it, the helper its source text, as with takeRows.
 */
function takePieces(s: Int32Array, N: number, K: number, transB: number, NC: number, KC: number, pack: (piece: number) => void): number {
  const blocks = Math.ceil(N / NC), slices = Math.ceil(K / KC), pieces = blocks * slices;
  for (;;) {
    const taken = Atomics.add(s, 5, 1);
    if (taken >= pieces) return pieces;
    const block = transB ? Math.floor(taken / slices) : taken % blocks;
    const slice = transB ? taken % slices : Math.floor(taken / blocks);
    const rows = transB ? Math.min(N, (block + 1) * NC) : Math.min(K, (slice + 1) * KC);
    while (Atomics.load(s, 8) < rows);
    try {
      pack(block * slices + slice);
    } finally {
      Atomics.add(s, 6, 1);
    }
  }
}

/**
 * Computes C's rows `row` … `row + rows` with `run`, as their rows of op(A) come in place (s[7],
 * READY, raised by the caller as it copies A in): whatever is there, at least `least` rows at a
 * time (a call streams all of the packed op(B) once) and whole tiles of `unit` rows but at the
 * end. The helper thus starts on its first rows while the caller is still copying A; rows are
 * computed alike whichever call computes them. Both threads run it, as with takeRows.
 */
function computeRows(s: Int32Array, row: number, rows: number, unit: number, least: number, run: (row: number, rows: number) => void): void {
  const end = row + rows;
  while (row < end) {
    const wanted = Math.min(end, row + least);
    let ready = Atomics.load(s, 7);
    while (ready < wanted) ready = Atomics.load(s, 7);
    const upto = ready >= end ? end : row + Math.floor((ready - row) / unit) * unit;
    run(row, upto - row);
    row = upto;
  }
}

// The helper's loop, shared by both kinds of worker: `k` the kernels' exports, `s` and `p` the
// control block's Int32 and Float64 views, `n` a counter of jobs all helpers have computed
// (helperJobs: proof that a second thread really works). After a job it watches for the next
// one for SPIN_MS (a training step's products come a fraction of a millisecond apart, and
// waking from Atomics.wait takes tens of microseconds), then blocks in Atomics.wait.
// takeRows and takePieces come in as their source text under names of our own: a bundler may
// have renamed them.
const HELPER_LOOP = `
const takeRows = ${takeRows.toString()};
const takePieces = ${takePieces.toString()};
const computeRows = ${computeRows.toString()};
let seen = 0;
for (;;) {
  const idle = performance.now();
  for (let polls = 1; Atomics.load(s, ${SEQ}) === seen; polls++) {
    if (polls % ${POLLS} === 0 && performance.now() - idle >= ${SPIN_MS}) break;
  }
  Atomics.wait(s, ${SEQ}, seen);
  seen = Atomics.load(s, ${SEQ});
  if (Atomics.compareExchange(s, ${CLAIM}, (seen - 1) | 0, seen) !== ((seen - 1) | 0)) continue;
  let failed = 0;
  try {
    // p[0]: 0 float32, 1 float64 (gemmF*Strided, 12 arguments); 2, 3 the same with op(B)
    // pre-packed (gemmF*Packed, 10 arguments); 4, 5 from a transposed packing (gemmF*PackedT, 11);
    // 6, 7 rows shared out (SplitGemm.gemmShared: b, transB, a, packed, c, M, N, K, ai, ap,
    // scratch, unit, least); 8, 9 columns over B copied in slices; 10, 11 columns of a product
    // from a transposed packing shared out (both below).
    const kind = p[0];
    if (kind < 2) (kind ? k.gemmF64Strided : k.gemmF32Strided)(p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12]);
    else if (kind < 4) (kind === 3 ? k.gemmF64Packed : k.gemmF32Packed)(p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10]);
    else if (kind < 6) (kind === 5 ? k.gemmF64PackedT : k.gemmF32PackedT)(p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]);
    else if (kind >= 10) {
      // 10, 11: columns of a product from a transposed packing shared out (SplitGemm.gemmPackedT:
      // a, packed, c, M, N, K, ldc, scratch, buf, unit, least).
      const T = kind === 11 ? k.gemmF64PackedT : k.gemmF32PackedT;
      const a = p[1], packed = p[2], c = p[3], M = p[4], N = p[5], K = p[6], ldc = p[7], scratch = p[8], buf = p[9];
      takeRows(s, N, p[10], p[11], (c0, columns) => T(a, packed, c, M, N, K, ldc, c0, c0 + columns, scratch, buf));
    } else if (kind >= 8) {
      // 8, 9: columns of C over B copied in slices of p[11] rows (SplitGemm.gemmSliced: a, b, c,
      // M, N, K, ai, ap, ld, scratch, slice), each slice as soon as the caller says it is there.
      const size = kind === 9 ? 8 : 4;
      const first = kind === 9 ? k.gemmF64Strided : k.gemmF32Strided, add = kind === 9 ? k.gemmF64Add : k.gemmF32Add;
      const a = p[1], b = p[2], c = p[3], M = p[4], N = p[5], K = p[6], ai = p[7], ap = p[8], ld = p[9], scratch = p[10], slice = p[11];
      for (let p0 = 0; p0 < K; p0 += slice) {
        const kc = Math.min(slice, K - p0);
        while (Atomics.load(s, ${READY}) < p0 + kc) {}
        (p0 === 0 ? first : add)(a + p0 * ap * size, b + p0 * ld * size, c, M, N, kc, ai, ap, ld, 1, ld, scratch);
      }
    } else {
      const double = kind === 7 ? 1 : 0, size = double ? 8 : 4, gemm = double ? k.gemmF64Packed : k.gemmF32Packed;
      const a = p[3], packed = p[4], c = p[5], M = p[6], N = p[7], K = p[8], ai = p[9], ap = p[10], scratch = p[11], unit = p[12], least = p[13];
      const pack = double ? k.packBPieceF64 : k.packBPieceF32;
      const pieces = takePieces(s, N, K, p[2], k.packBlocking(double, 0), k.packBlocking(double, 1), (piece) => pack(p[1], packed, N, K, p[2], piece));
      while (Atomics.load(s, ${PACKED}) < pieces) {}
      const run = (row, rows) => gemm(a + row * ai * size, packed, c + row * N * size, rows, N, K, ai, ap, N, scratch);
      takeRows(s, M, unit, least, (row, rows) => {
        computeRows(s, row, rows, unit, least, run);
        const listed = Atomics.load(s, ${HELPER_BLOCKS});
        if (listed < ${LIST_LENGTH}) {
          s[${LISTED} + 2 * listed] = row;
          s[${LISTED} + 2 * listed + 1] = rows;
          Atomics.store(s, ${HELPER_BLOCKS}, listed + 1);
        }
      });
    }
    Atomics.add(n, 0, 1);
  } catch {
    failed = 1;
  }
  Atomics.store(s, ${FAILED}, failed);
  Atomics.store(s, ${DONE}, seen);
  Atomics.notify(s, ${DONE});
}
`;

// Node: an eval worker (CommonJS or ES module depending on the flags it inherits, so it uses
// neither require nor import), started with what it needs as workerData.
const NODE_HELPER_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { module, memory, control, jobs } = workerData;
const n = new Int32Array(jobs);
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const s = new Int32Array(control);
const p = new Float64Array(control, ${PARAMS}, ${PARAM_COUNT});
${HELPER_LOOP}`;

// Browsers: a classic Web Worker from a Blob URL (no file for bundlers to find and copy), sent
// what it needs in its first message; the loop never returns to the event loop after that.
const WEB_HELPER_SOURCE = `
self.onmessage = (event) => {
  self.onmessage = null;
  const { module, memory, control, jobs } = event.data;
  const n = new Int32Array(jobs);
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const s = new Int32Array(control);
  const p = new Float64Array(control, ${PARAMS}, ${PARAM_COUNT});
  ${HELPER_LOOP}
};
`;

interface NodeWorker {
  unref(): void;
  terminate(): unknown;
  on(event: 'error' | 'exit', listener: (arg: unknown) => void): void;
}
type NodeWorkerConstructor = new (source: string, options: { eval: true; workerData: unknown; execArgv: string[] }) => NodeWorker;

interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
}
type WebWorkerConstructor = new (url: string, options?: { name?: string }) => WebWorker;

interface Env {
  process?: { getBuiltinModule?: (id: string) => unknown };
  Worker?: WebWorkerConstructor;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL?: (blob: unknown) => string };
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}
const env = globalThis as Env;

/** Node's Worker, without importing node: modules (this file also loads in browsers). */
function nodeWorker(): NodeWorkerConstructor | null {
  const proc = env.process;
  if (typeof proc?.getBuiltinModule !== 'function') return null;
  try {
    const wt = proc.getBuiltinModule('node:worker_threads') as { Worker?: NodeWorkerConstructor } | undefined;
    return typeof wt?.Worker === 'function' ? wt.Worker : null;
  } catch {
    return null;
  }
}

/** Whether this thread may block in Atomics.wait (a browser page's main thread may not). */
function canBlock(): boolean {
  try {
    // The value differs, so this returns at once where waiting is allowed, and throws where not.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether the threaded backend really gets a second thread here. */
export function threadsAvailable(): boolean {
  return threadsUnavailable() === null;
}

/**
 * How many cores this process may run on (Node's availableParallelism, a browser's
 * hardwareConcurrency), or null where nothing says.
 */
function coreCount(): number | null {
  try {
    const os = env.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined;
    if (os) return typeof os.availableParallelism === 'function' ? os.availableParallelism() : (os.cpus?.().length ?? null);
  } catch {
    // Not Node, or no os module: ask the browser.
  }
  const n = env.navigator?.hardwareConcurrency;
  return typeof n === 'number' && n > 0 ? n : null;
}

/**
 * Why `cores` cores are too few for a second thread, or null. With one, the helper and the
 * calling thread would take turns on it, and each spins while it waits for the other (a
 * product's threads wait for each other for microseconds, too briefly to block): a time slice
 * lost at every hand-over. @internal
 */
export function tooFewCores(cores: number | null): string | null {
  return cores !== null && cores < 2 ? 'one CPU core here: a second thread would only take turns with this one' : null;
}

/** Why two threads are impossible here, or null where they are possible. */
function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return 'SharedArrayBuffer is unavailable (in a browser the page must be cross-origin isolated: COOP and COEP headers)';
  }
  const few = tooFewCores(coreCount());
  if (few) return few;
  if (nodeWorker()) return null;
  if (typeof env.Worker !== 'function' || typeof env.Blob !== 'function' || typeof env.URL?.createObjectURL !== 'function') {
    return 'neither Node worker_threads nor Web Workers are available';
  }
  if (env.crossOriginIsolated === false) return 'the page is not cross-origin isolated (COOP and COEP headers)';
  if (!canBlock()) return 'this thread may not block in Atomics.wait (a page\'s main thread): run nabla in a Web Worker';
  return null;
}

let warned = false;
/** One line, once per process or page: the second thread is lost, training goes on. */
function warnFallback(reason: string): void {
  if (warned) return;
  warned = true;
  console.warn(`nabla: wasm-threads could not use its worker thread (${reason}); running on one thread`);
}

/** What the helper is started with: the kernels' module, their shared memory, its control block. */
interface HelperData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  jobs: SharedArrayBuffer;
}

/**
 * Starts a helper worker on `data`; `lost` is called if it fails to start or dies. Throws where
 * no worker can be started at all.
 */
function startWorker(data: HelperData, lost: (reason: string) => void): { terminate(): unknown } {
  const NodeWorker = nodeWorker();
  if (NodeWorker) {
    const worker = new NodeWorker(NODE_HELPER_SOURCE, { eval: true, workerData: data, execArgv: [] });
    // Never keeps the process alive: it only ever waits for jobs.
    worker.unref();
    worker.on('error', (e) => lost(e instanceof Error ? e.message : String(e)));
    worker.on('exit', () => lost(''));
    return worker;
  }
  const { Worker, Blob, URL } = env;
  if (!Worker || !Blob || !URL?.createObjectURL) throw new Error('no Web Workers');
  const url = URL.createObjectURL(new Blob([WEB_HELPER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'nabla wasm-threads helper' });
  // A page whose Content-Security-Policy forbids blob: workers gets here.
  worker.addEventListener('error', (e) => lost(e.message ?? 'the Web Worker failed'));
  worker.postMessage(data);
  return worker;
}

// A helper holds its SplitGemm's memory (a compiled program's: the training data's copies
// included) for as long as it runs, and a running worker is never collected; so when the
// SplitGemm becomes unreachable (its network was dropped) its helper is stopped.
const reaper = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<{ terminate(): unknown }>((w) => void w.terminate()) : null;

interface Helper {
  control: Int32Array;
  params: Float64Array;
  seq: number;
  broken: boolean;
}

/** Jobs computed by the helper threads of all SplitGemms so far (tests use it). @internal */
export function helperJobs(): number {
  return jobs ? Atomics.load(jobs, 0) : 0;
}
let jobs: Int32Array | null = null;

type Args = [a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, scratch: number];
type PackedArgs = [a: number, packed: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, scratch: number];
/** What the caller of SplitGemm.gemmShared does, on its own thread, at each stage of a product. */
export interface SharedWork {
  copyA(r0: number, r1: number): void;
  copyB(r0: number, r1: number): void;
  meanwhile(): void;
  done(row: number, rows: number): void;
}
type TransposedArgs = [a: number, packed: number, c: number, M: number, N: number, K: number, ldc: number, c0: number, c1: number, scratch: number, buf: number];

/**
 * GEMM over one shared memory, split between the calling thread and a helper worker (started at
 * the first product of THREAD_THRESHOLD multiply-adds, on the same module and memory). Used by
 * the threaded backend's matmul and by each compiled dense program of that backend (each with
 * its own memory and helper). All operands are byte addresses in `memory`; each thread needs
 * its own scratch area of scratchBytes(N) bytes.
 */
export class SplitGemm {
  readonly #module: WebAssembly.Module;
  readonly #memory: WebAssembly.Memory;
  readonly #kernels: SharedKernels;
  /** Whether the module is the relaxed-SIMD build, whose float32 blocks need no 12-row cuts. */
  readonly #exactRows: boolean;
  /** The float64 register tile's height: 6 with relaxed SIMD, 5 without (asm/gemm.ts, MR64). */
  readonly #rows64: number;
  #helper: Helper | null = null;
  #helperFailed: boolean;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: SharedKernels, exactRows: boolean) {
    this.#exactRows = exactRows;
    this.#rows64 = exactRows ? 6 : 5;
    this.#module = module;
    this.#memory = memory;
    this.#kernels = kernels;
    this.#helperFailed = threadsUnavailable() !== null;
  }

  #getHelper(): Helper | null {
    const existing = this.#helper;
    if (existing && !existing.broken) return existing;
    if (existing || this.#helperFailed) {
      this.#helperFailed = true;
      return null;
    }
    const control = new SharedArrayBuffer((LISTED + 2 * LIST_LENGTH) * 4);
    const h: Helper = { control: new Int32Array(control), params: new Float64Array(control, PARAMS, PARAM_COUNT), seq: 0, broken: false };
    // A helper that dies is never waited on again (the caller would block forever). A failure
    // says so once; an exit without one is a process or page going away. The listener holds
    // only `h`, never this SplitGemm, so that the running worker does not keep it reachable.
    const lost = (reason: string): void => {
      h.broken = true;
      if (reason) warnFallback(reason);
    };
    try {
      jobs ??= new Int32Array(new SharedArrayBuffer(4));
      const worker = startWorker({ module: this.#module, memory: this.#memory, control, jobs: jobs.buffer as SharedArrayBuffer }, lost);
      reaper?.register(this, worker);
    } catch (e) {
      this.#helperFailed = true;
      warnFallback(e instanceof Error ? e.message : String(e));
      return null;
    }
    this.#helper = h;
    return h;
  }

  /**
   * Where C's M rows are cut between this thread (the first M0) and the helper (the rest, the
   * smaller part where they differ: it reads operands this thread has just written, from the
   * other core's cache). The relaxed-SIMD kernels cut any block of 4, 5, 6 or 8 or more rows
   * into whole tiles (asm/gemm.ts, panelEnds32 and panelEnds64), so there the halves are as
   * equal as can be: 20 rows as 10 + 10, two 5-row tiles each, not 8 + 12. Without relaxed SIMD
   * every tile is of one height (float32 4, float64 5), and a tile cut short by C's last row
   * costs a whole one: so the tiles are shared out, this thread taking the odd one (a cut at
   * half the rows rounded to whole tiles gave float64's 20 rows in 6-row tiles as 14 + 6, three
   * tiles against one).
   */
  #firstRows(double: boolean, M: number): number {
    if (this.#exactRows && M >= 16) return Math.ceil(M / 2);
    const tile = double ? this.#rows64 : 4;
    return Math.min(M - 1, Math.ceil(Math.ceil(M / tile) / 2) * tile);
  }

  #run(double: boolean, args: Args): void {
    if (double) this.#kernels.gemmF64Strided(...args);
    else this.#kernels.gemmF32Strided(...args);
  }

  /**
   * C (M×N, at cAt) = op(A)·op(B); `scratch1` is used only when the product is split.
   * `whileWaiting(rows)`: called, when C's rows are split and the helper is computing the last
   * M − rows of them, once this thread has computed the first `rows` (matmul copies them out
   * meanwhile).
   */
  gemm(double: boolean, aAt: number, bAt: number, cAt: number, M: number, N: number, K: number, transA: boolean, transB: boolean, scratch0: number, scratch1: number, whileWaiting?: (rows: number) => void): void {
    const size = double ? 8 : 4;
    const ai = transA ? 1 : K, ap = transA ? M : 1;
    const bp = transB ? 1 : N, bj = transB ? K : 1;
    const h = M * N * K >= THREAD_THRESHOLD ? this.#getHelper() : null;
    if (!h) {
      this.#run(double, [aAt, bAt, cAt, M, N, K, ai, ap, bp, bj, N, scratch0]);
      return;
    }
    // Split C's rows where it is at least as tall as wide (#firstRows says where), else its
    // columns, at a multiple of the panel width (8 float32, 4 float64).
    let mine: Args, theirs: Args;
    const unit = double ? this.#rows64 : 12;
    if (M >= N && M >= 2 * unit) {
      const M0 = this.#firstRows(double, M);
      mine = [aAt, bAt, cAt, M0, N, K, ai, ap, bp, bj, N, scratch0];
      theirs = [aAt + M0 * ai * size, bAt, cAt + M0 * N * size, M - M0, N, K, ai, ap, bp, bj, N, scratch1];
      this.#share(h, double ? 1 : 0, theirs, () => this.#run(double, mine), () => this.#run(double, theirs), whileWaiting && (() => whileWaiting(M0)));
      return;
    } else if (N >= 16) {
      const N0 = N - Math.max(8, Math.floor(N / 16) * 8);
      mine = [aAt, bAt, cAt, M, N0, K, ai, ap, bp, bj, N, scratch0];
      theirs = [aAt, bAt + N0 * bj * size, cAt + N0 * size, M, N - N0, K, ai, ap, bp, bj, N, scratch1];
    } else {
      // Too small both ways to halve along whole tiles (a long thin product): one thread.
      this.#run(double, [aAt, bAt, cAt, M, N, K, ai, ap, bp, bj, N, scratch0]);
      return;
    }
    this.#share(h, double ? 1 : 0, theirs, () => this.#run(double, mine), () => this.#run(double, theirs));
  }

  /**
   * C (M×N) = op(A)·op(B) with op(B) packed by packBF* (N columns, K deep): C's rows are taken
   * in blocks by both threads where there are enough (at least two of `least`), else split
   * where #firstRows says, when there are at least 16.
   */
  gemmPacked(double: boolean, aAt: number, packed: number, cAt: number, M: number, N: number, K: number, transA: boolean, scratch0: number, scratch1: number): void {
    const size = double ? 8 : 4;
    const ai = transA ? 1 : K, ap = transA ? M : 1;
    const k = this.#kernels;
    const run = (args: PackedArgs): void => (double ? k.gemmF64Packed(...args) : k.gemmF32Packed(...args));
    const M0 = this.#firstRows(double, M);
    const h = M >= 16 && M0 > 0 && M * N * K >= THREAD_THRESHOLD ? this.#getHelper() : null;
    if (!h) {
      run([aAt, packed, cAt, M, N, K, ai, ap, N, scratch0]);
      return;
    }
    // Enough rows for blocks: taken from a shared counter (the helper's kinds 6, 7 with op(B)
    // already packed), so that a thread the host slows down takes fewer.
    // A block streams all of the packed op(B). Where that stays in the core's L2 (the MNIST
    // step's X: 784×64), a block of one tile's rows re-reads it cheaply, and small blocks keep
    // the threads' finishing times close: the step's products last a few hundred microseconds,
    // and blocks of four tiles (50 µs each there) kept one thread waiting for the other.
    const unit = double ? this.#rows64 : this.#exactRows ? 6 : 12;
    const least = k.packedBytes(N, K, double ? 1 : 0) <= L2_RESIDENT ? unit : 4 * (double ? this.#rows64 : 6);
    if (M >= 2 * least) {
      this.#shareBlocks(h, [double ? 7 : 6, 0, 0, aAt, packed, cAt, M, N, K, ai, ap, scratch1, unit, least], M, unit, least, (row, rows) => run([aAt + row * ai * size, packed, cAt + row * N * size, rows, N, K, ai, ap, N, scratch0]));
      return;
    }
    const mine: PackedArgs = [aAt, packed, cAt, M0, N, K, ai, ap, N, scratch0];
    const theirs: PackedArgs = [aAt + M0 * ai * size, packed, cAt + M0 * N * size, M - M0, N, K, ai, ap, N, scratch1];
    this.#share(h, double ? 3 : 2, theirs, () => run(mine), () => run(theirs));
  }

  /**
   * C (M×N) = A·Bᵀ with B (N×K) packed by packBF* as op(B) of a product N deep (gemmF*PackedT):
   * C's columns are taken in blocks by both threads (multiples of the packing's panel width,
   * float32 8, float64 4; at least 8 panels) or, when there are fewer than 16 panels, split in
   * two, the helper taking the smaller part; buf0 and buf1 are the threads' transposition areas.
   */
  gemmPackedT(double: boolean, aAt: number, packed: number, cAt: number, M: number, N: number, K: number, scratch0: number, scratch1: number, buf0: number, buf1: number): void {
    const k = this.#kernels;
    const run = (args: TransposedArgs): void => (double ? k.gemmF64PackedT(...args) : k.gemmF32PackedT(...args));
    const unit = double ? 4 : 8; // asm/gemm.ts's NR64, NR32
    const N0 = Math.min(N, Math.ceil(N / (2 * unit)) * unit); // this thread's columns
    const h = N0 < N && M * N * K >= THREAD_THRESHOLD ? this.#getHelper() : null;
    if (!h) {
      run([aAt, packed, cAt, M, N, K, N, 0, N, scratch0, buf0]);
      return;
    }
    // Enough columns for blocks: taken from a shared counter (the helper's kinds 10, 11).
    const least = 8 * unit;
    if (N >= 2 * least) {
      this.#shareBlocks(h, [double ? 11 : 10, aAt, packed, cAt, M, N, K, N, scratch1, buf1, unit, least], N, unit, least, (c0, columns) => run([aAt, packed, cAt, M, N, K, N, c0, c0 + columns, scratch0, buf0]));
      return;
    }
    const mine: TransposedArgs = [aAt, packed, cAt, M, N, K, N, 0, N0, scratch0, buf0];
    const theirs: TransposedArgs = [aAt, packed, cAt, M, N, K, N, N0, N, scratch1, buf1];
    this.#share(h, double ? 5 : 4, theirs, () => run(mine), () => run(theirs));
  }

  /**
   * Hands the helper a job whose `total` rows or columns both threads take in blocks from the
   * shared counter (takeRows), takes blocks here too, then waits for the helper. A helper that
   * never picks the job up finds every block taken; one that fails partway may have left its
   * blocks half written, and this thread computes the whole product again.
   */
  #shareBlocks(h: Helper, params: readonly number[], total: number, unit: number, least: number, run: (at: number, count: number) => void): void {
    const s = h.control;
    Atomics.store(s, NEXT, 0);
    // Kinds 6 and 7 pack op(B) first unless told every piece is taken and packed, and wait for
    // rows of A unless told they are all in place.
    Atomics.store(s, PACK, ALL_PIECES);
    Atomics.store(s, PACKED, ALL_PIECES);
    Atomics.store(s, READY, ALL_PIECES);
    for (let i = 0; i < params.length; i++) h.params[i] = params[i]!;
    const seq = (h.seq = (h.seq + 1) | 0);
    Atomics.store(s, SEQ, seq);
    Atomics.notify(s, SEQ);
    takeRows(s, total, unit, least, run);
    const previous = (seq - 1) | 0;
    if (Atomics.compareExchange(s, CLAIM, previous, seq) === previous) return;
    if (!this.#waitFor(h, seq)) run(0, total);
  }

  /**
   * Whether gemmSliced would take this product: few rows (C's columns are split), op(B) = B
   * (its slices of KC rows are contiguous), several slices, and enough work for two threads.
   */
  slices(double: boolean, M: number, N: number, K: number, transB: boolean): boolean {
    const KC = this.#kernels.packBlocking(double ? 1 : 0, 1);
    return !transB && M <= 48 && N >= 16 && K >= 2 * KC && M * N * K >= THREAD_THRESHOLD && this.#getHelper() !== null;
  }

  /**
   * C (M×N) = op(A)·B with B (K×N, at bAt) not yet in memory: `copy(p0, p1)` puts rows p0 … p1
   * of B in place, and this copies them KC at a time. Few rows of C and a long B
   * ((20×12288)·(12288×209)): copying B was a serial pass as long as a third of the product.
   * Here the helper computes its columns of each slice as soon as it is copied, while this
   * thread copies the next and computes its own columns of the slice it just copied (still in
   * its cache). It copies too, so it takes about 40 % of the columns. Slices are 256-deep
   * K-blocks added in order (gemmF*Add): every element's bits are the whole product's.
   */
  gemmSliced(double: boolean, aAt: number, bAt: number, cAt: number, M: number, N: number, K: number, transA: boolean, scratch0: number, scratch1: number, copy: (p0: number, p1: number) => void): void {
    const k = this.#kernels;
    const size = double ? 8 : 4, ai = transA ? 1 : K, ap = transA ? M : 1;
    const sliceAt = (p0: number): number => bAt + p0 * N * size;
    const unit = double ? 4 : 8; // the packing's panel width: whole panels for each side
    const N0 = Math.max(unit, Math.round((0.4 * N) / unit) * unit); // this thread's columns
    const h = this.#getHelper();
    if (!h || N0 >= N) {
      multiplySlices(k, double, aAt, sliceAt, cAt, M, N, N, K, transA, scratch0, copy);
      return;
    }
    const s = h.control;
    Atomics.store(s, READY, 0);
    const theirs = [bAt + N0 * size, cAt + N0 * size] as const;
    const params = [double ? 9 : 8, aAt, theirs[0], theirs[1], M, N - N0, K, ai, ap, N, scratch1, k.packBlocking(double ? 1 : 0, 1)];
    for (let i = 0; i < params.length; i++) h.params[i] = params[i]!;
    const seq = (h.seq = (h.seq + 1) | 0);
    Atomics.store(s, SEQ, seq);
    Atomics.notify(s, SEQ);
    try {
      multiplySlices(k, double, aAt, sliceAt, cAt, M, N, N0, K, transA, scratch0, copy, (p1) => Atomics.store(s, READY, p1));
    } finally {
      // Even if a copy threw: a helper waiting for a slice never spins forever.
      Atomics.store(s, READY, K);
    }
    const runTheirs = (): void => (double ? k.gemmF64Strided : k.gemmF32Strided)(aAt, theirs[0], theirs[1], M, N - N0, K, ai, ap, N, 1, N, scratch0);
    const previous = (seq - 1) | 0;
    // The helper never picked the job up, or failed or died partway: its columns are computed
    // here, over all of B (in place by now), K-block by K-block as the slices were.
    if (Atomics.compareExchange(s, CLAIM, previous, seq) === previous) runTheirs();
    else if (!this.#waitFor(h, seq)) runTheirs();
  }

  /**
   * Whether gemmShared would take this product: at least THREAD_THRESHOLD multiply-adds, a
   * helper, at least two blocks of rows, a C wide enough for whole tiles (a C of a few columns
   * is streamed unpacked by gemmF*Strided instead), and an op(B) under 1 GiB packed (packedBytes
   * counts in int32, and linear memory holds 4 GiB in all).
   */
  sharesRows(double: boolean, M: number, N: number, K: number): boolean {
    const packed = K * (N + 8 * Math.ceil(N / 1024)) * (double ? 8 : 4); // at least packedBytes(N, K)
    return M >= 2 * (double ? LEAST64_TILES * this.#rows64 : LEAST32) && N >= 8 && M * N * K >= THREAD_THRESHOLD && packed < 2 ** 30 && this.#getHelper() !== null;
  }

  /**
   * C (M×N, at cAt) = op(A)·op(B), where sharesRows says so, with A and B not yet in memory:
   * `copyB(r0, r1)` puts rows r0 … r1 of B (as stored: K×N, or N×K when transB) at bAt, and
   * `copyA(r0, r1)` rows of A (M×K; when transA, K×M, all at once) at aAt. The helper gets the
   * job first; then this thread copies B in, a slice at a time, while the helper packs op(B)
   * (into `packedAt`, packedBytes(N, K) bytes) behind it, piece by piece (takePieces); then A, in
   * blocks of rows, while the helper starts computing its rows from the first ones
   * (computeRows). Both threads then take blocks of C's rows (takeRows) until none are left.
   * `meanwhile` runs here before this thread's first rows (serial work of the caller's, which
   * the rows then balance). `done(row, rows)` is called here for every block of C's rows once
   * computed (the caller copies them out): this thread's own as it goes, between them the
   * helper's it has listed as done by then, and its others at the end. A helper slow to wake (it sleeps between products far apart) finds the packing done,
   * or part of it; nothing waits for it. Which thread packs a piece or computes a row changes
   * no bit of the result.
   */
  gemmShared(double: boolean, aAt: number, bAt: number, packedAt: number, cAt: number, M: number, N: number, K: number, transA: boolean, transB: boolean, scratch0: number, scratch1: number, work: SharedWork): void {
    const h = this.#getHelper();
    const size = double ? 8 : 4, ai = transA ? 1 : K, ap = transA ? M : 1;
    const k = this.#kernels;
    const unit = double ? this.#rows64 : 12, least = double ? LEAST64_TILES * this.#rows64 : LEAST32;
    const NC = k.packBlocking(double ? 1 : 0, 0), KC = k.packBlocking(double ? 1 : 0, 1);
    const packPiece = (piece: number): void => (double ? k.packBPieceF64 : k.packBPieceF32)(bAt, packedAt, N, K, transB ? 1 : 0, piece);
    const pack = (): void => (double ? k.packBF64 : k.packBF32)(bAt, packedAt, N, K, transB ? 1 : 0);
    const gemm = double ? k.gemmF64Packed : k.gemmF32Packed;
    const run = (row: number, rows: number): void => gemm(aAt + row * ai * size, packedAt, cAt + row * N * size, rows, N, K, ai, ap, N, scratch0);
    // B's rows as stored, and how many go in at a time: a slice (op(B) = B) or a block of columns
    // (op(B) = Bᵀ) is what a piece of the packing reads.
    const bRows = transB ? N : K, bStep = transB ? NC : KC;
    if (!h) {
      work.copyB(0, bRows);
      work.copyA(0, M);
      work.meanwhile();
      pack();
      run(0, M);
      work.done(0, M);
      return;
    }
    const s = h.control;
    Atomics.store(s, NEXT, 0);
    Atomics.store(s, PACK, 0);
    Atomics.store(s, PACKED, 0);
    Atomics.store(s, READY, 0);
    Atomics.store(s, B_READY, 0);
    Atomics.store(s, HELPER_BLOCKS, 0);
    const params = [double ? 7 : 6, bAt, transB ? 1 : 0, aAt, packedAt, cAt, M, N, K, ai, ap, scratch1, unit, least];
    for (let i = 0; i < params.length; i++) h.params[i] = params[i]!;
    const seq = (h.seq = (h.seq + 1) | 0);
    Atomics.store(s, SEQ, seq);
    Atomics.notify(s, SEQ);
    try {
      for (let r0 = 0; r0 < bRows; r0 += bStep) {
        const r1 = Math.min(bRows, r0 + bStep);
        work.copyB(r0, r1);
        Atomics.store(s, B_READY, r1);
      }
      // At least `least` rows (what the helper waits for) and 64 Ki values at a time: a long,
      // narrow A in blocks of a few rows would pay more for the blocks than for the copying.
      const aStep = transA ? M : Math.max(least, Math.ceil(65536 / K));
      for (let r0 = 0; r0 < M; r0 += aStep) {
        const r1 = Math.min(M, r0 + aStep);
        work.copyA(r0, r1);
        Atomics.store(s, READY, r1);
      }
    } catch (e) {
      // Published even so, that a helper waiting for a row never spins forever; and waited for,
      // that it is not still writing here when the next product is copied in.
      Atomics.store(s, B_READY, ALL_PIECES);
      Atomics.store(s, READY, ALL_PIECES);
      if (Atomics.compareExchange(s, CLAIM, (seq - 1) | 0, seq) !== ((seq - 1) | 0)) this.#waitFor(h, seq);
      throw e;
    }
    const pieces = takePieces(s, N, K, transB ? 1 : 0, NC, KC, packPiece);
    work.meanwhile();
    // The helper's last pieces: WASM code that cannot block, so they finish (counted even if they fail).
    while (Atomics.load(s, PACKED) < pieces);
    // The blocks of rows already handed to work.done (row, rows, row, rows, …): this thread's,
    // each as soon as computed, and the helper's it has listed by then.
    const out: number[] = [];
    let listed = 0;
    const done = (row: number, rows: number): void => {
      work.done(row, rows);
      out.push(row, rows);
    };
    takeRows(s, M, unit, least, (row, rows) => {
      run(row, rows);
      done(row, rows);
      for (const count = Atomics.load(s, HELPER_BLOCKS); listed < count; listed++) done(s[LISTED + 2 * listed]!, s[LISTED + 2 * listed + 1]!);
    });
    const previous = (seq - 1) | 0;
    // The helper never picked the job up: it will find it claimed, and this thread did it all.
    if (Atomics.compareExchange(s, CLAIM, previous, seq) === previous) return;
    if (!this.#waitFor(h, seq)) {
      // The helper failed or died partway (its rows, or its pieces, may be half written).
      pack();
      run(0, M);
      work.done(0, M);
      return;
    }
    // The helper's other rows: those between the blocks done.
    const blocks: Array<[number, number]> = [];
    for (let i = 0; i < out.length; i += 2) blocks.push([out[i]!, out[i]! + out[i + 1]!]);
    blocks.sort((x, y) => x[0] - y[0]);
    let row = 0;
    for (const [from, to] of blocks) {
      if (from > row) work.done(row, from - row);
      row = to;
    }
    if (row < M) work.done(row, M - row);
  }

  // Waits for the helper to finish job `seq`, watching before blocking; false if it failed or died.
  #waitFor(h: Helper, seq: number): boolean {
    const since = performance.now();
    for (let polls = 1; Atomics.load(h.control, DONE) !== seq && !h.broken; polls++) {
      if (polls % POLLS === 0 && performance.now() - since >= SPIN_MS) break;
    }
    for (;;) {
      const done = Atomics.load(h.control, DONE);
      if (done === seq || h.broken) break;
      Atomics.wait(h.control, DONE, done, 1000);
    }
    return Atomics.load(h.control, DONE) === seq && Atomics.load(h.control, FAILED) === 0;
  }

  // Hands `theirs` to the helper, runs `mine` here, then waits for the helper — or runs
  // `theirs` here too if the helper had not claimed it, failed, or died.
  #share(h: Helper, kind: number, theirs: readonly number[], runMine: () => void, runTheirs: () => void, whileWaiting?: () => void): void {
    h.params[0] = kind;
    for (let i = 0; i < theirs.length; i++) h.params[i + 1] = theirs[i]!;
    const seq = (h.seq = (h.seq + 1) | 0);
    Atomics.store(h.control, SEQ, seq);
    Atomics.notify(h.control, SEQ);
    runMine();
    const previous = (seq - 1) | 0;
    if (Atomics.compareExchange(h.control, CLAIM, previous, seq) === previous) {
      // The helper had not picked the job up (still starting, or busy waking): do it here.
      runTheirs();
    } else {
      // The helper is computing it: WASM code that cannot block, so it finishes. Its half is
      // as long as this thread's, so it is usually done or nearly: watch before blocking.
      whileWaiting?.();
      if (!this.#waitFor(h, seq)) runTheirs();
    }
  }
}

function makeThreadedBackend(module: WebAssembly.Module, variant: 'relaxed' | 'simd'): Backend {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SharedKernels;
  const arena = new Arena(memory, kernels.heapBase());
  const unavailable = threadsUnavailable();
  const split = new SplitGemm(module, memory, kernels, variant === 'relaxed');

  function matmul(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number, transA: boolean, transB: boolean): void {
    const double = out instanceof Float64Array;
    const scratch = kernels.scratchBytes(N, double ? 1 : 0);
    if (split.slices(double, M, N, K, transB)) {
      const staged = arena.stageA(a, M, N, K, K, double, [scratch, scratch]);
      if (staged) {
        const { view, size, bAt, cAt } = staged;
        const [scratch0, scratch1] = staged.scratchAt as [number, number];
        split.gemmSliced(double, staged.aAt, bAt, cAt, M, N, K, transA, scratch0, scratch1, (p0, p1) => view.set(b.subarray(p0 * N, p1 * N), bAt / size + p0 * N));
        copyOut(view, cAt / size, out, M * N);
        return;
      }
    }
    // One scratch area per thread, and where the rows are shared out, room for op(B) packed;
    // where linear memory cannot hold that too, the halves of gemm(), which pack as they go.
    let shared = split.sharesRows(double, M, N, K);
    let staged = shared ? arena.place(M, N, K, double, [scratch, scratch, kernels.packedBytes(N, K, double ? 1 : 0)]) : null;
    if (!staged) {
      shared = false;
      staged = arena.stage(a, b, M, N, K, double, [scratch, scratch]);
    }
    if (!staged) {
      cpuBackend.matmul(a, b, out, M, N, K, transA, transB);
      return;
    }
    const { view, size, aAt, bAt, cAt } = staged;
    const [scratch0, scratch1, packedAt] = staged.scratchAt as [number, number, number];
    if (shared) {
      // A and B are copied in while the helper packs op(B) and starts on its rows. Then, before
      // its own rows, this thread writes to each page of the output: a fresh array's pages are
      // mapped at their first write, about 0.6 ms per MiB here (a tenth of a 1024² product),
      // which would otherwise come after the product; the rows balance it. Each block of C's
      // rows then goes out as soon as it is done here, the helper's at the end.
      const bWidth = transB ? K : N, step = 4096 / out.BYTES_PER_ELEMENT;
      split.gemmShared(double, aAt, bAt, packedAt, cAt, M, N, K, transA, transB, scratch0, scratch1, {
        copyA: (r0, r1) => (transA ? copyIn(view, aAt / size, a, M * K) : view.set(a.subarray(r0 * K, r1 * K), aAt / size + r0 * K)),
        copyB: (r0, r1) => view.set(b.subarray(r0 * bWidth, r1 * bWidth), bAt / size + r0 * bWidth),
        meanwhile: () => {
          for (let i = 0; i < M * N; i += step) out[i] = 0;
        },
        done: (row, rows) => out.set(view.subarray(cAt / size + row * N, cAt / size + (row + rows) * N), row * N),
      });
      return;
    }
    // This thread's rows go out while the helper finishes its own: writing a fresh output array
    // first touches its pages, about 1 ms per MiB here, as long as a tenth of a 1024² product.
    let copied = 0;
    split.gemm(double, aAt, bAt, cAt, M, N, K, transA, transB, scratch0, scratch1, (rows) => {
      copyOut(view, cAt / size, out, rows * N);
      copied = rows * N;
    });
    if (copied === 0) copyOut(view, cAt / size, out, M * N);
    else out.set(view.subarray(cAt / size + copied, cAt / size + M * N), copied);
  }

  // A compiled dense program: its own shared memory (sized once, as the one-thread program's),
  // its own helper, and both threads on its large products.
  function compileDense(spec: DenseProgramSpec): DenseProgram | null {
    try {
      const programMemory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
      const programKernels = new WebAssembly.Instance(module, { env: { memory: programMemory } }).exports as unknown as ProgramKernels;
      const programSplit = new SplitGemm(module, programMemory, programKernels as unknown as SharedKernels, variant === 'relaxed');
      return createDenseProgram({ ...programKernels, memory: programMemory }, spec, programSplit);
    } catch (e) {
      if (e instanceof RangeError) return null;
      throw e;
    }
  }

  const splitText = unavailable === null
    ? 'products of ≥ 2^22 multiply-adds split across 2 threads (the calling thread and a worker over shared WASM memory), smaller ones on the calling thread'
    : `one thread: ${unavailable}`;
  return {
    name: 'wasm-threads',
    description:
      `WebAssembly 128-bit SIMD GEMM (f32x4${variant === 'relaxed' ? ' with relaxed-SIMD FMA' : ''}, f64x2), ${splitText}; ` +
      'compiled dense training steps with SIMD activations; other element-wise ops and reductions run the cpu reference kernels',
    matmul,
    ...referenceElementwise,
    compileDense,
  };
}

let created: Backend | null = null;

/**
 * The threaded WASM backend, compiled synchronously, or null where WebAssembly SIMD, shared
 * WebAssembly memory or synchronous compilation is unavailable.
 */
export function tryCreateWasmThreadsBackend(): Backend | null {
  if (created) return created;
  const variant = wasmFeatures();
  if (!variant || typeof SharedArrayBuffer !== 'function') return null;
  try {
    const module = new WebAssembly.Module(decode(variant === 'relaxed' ? RELAXED_SIMD_SHARED_WASM_BASE64 : SIMD_SHARED_WASM_BASE64));
    created = makeThreadedBackend(module, variant);
    return created;
  } catch {
    return null;
  }
}
