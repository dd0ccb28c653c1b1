// `npm run bench`: issue 5's workloads, float32, on nabla (its cpu reference, wasm and wasm-threads backends)
// and, side by side, TensorFlow.js (its pure-JavaScript cpu backend and its WASM backend). Each
// library/backend runs in a process of its own (`--only <peer>`), one after the other, so none
// can distort another (JIT state, heap, threads, peak RSS); this process only collects their
// JSON lines and prints one table, also written to bench/last-run.txt. Not a test: timings vary
// with the machine, so they are printed, never asserted.
//
//   npm run bench                          all peers
//   npm run bench -- --peers nabla-wasm,tfjs-wasm
//   npm run bench -- --quick               the cpu peers time 150 MLP batches and extrapolate
//   node .bench-dist/bench/run.js --only tfjs-wasm   one peer's raw JSON lines (after npm run bench
//                                                     has compiled it; --cat-memory: that run)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeProbe, probeHost } from './probe.js';
import { CAT_MEMORY_ITERATIONS, drive, driveCatMemory, GEMM, MARK, MLP, MLP_WARMUP_BATCHES, SKINNY, WORKLOADS, type Message, type Peer, type WorkloadId } from './common.js';

const PEERS = ['nabla-cpu', 'nabla-wasm', 'nabla-wasm-threads', 'tfjs-cpu', 'tfjs-wasm'] as const;
type PeerName = (typeof PEERS)[number];
/** The speed-ups shown: [ours, theirs] — nabla's one-thread and two-thread WASM against tfjs. */
const RATIOS: readonly (readonly [PeerName, PeerName])[] = [
  ['nabla-wasm', 'tfjs-cpu'],
  ['nabla-wasm', 'tfjs-wasm'],
  ['nabla-wasm-threads', 'tfjs-wasm'],
];
/** With --quick, the plain-JavaScript peers time part of the MLP epoch and extrapolate. */
const SLOW: readonly PeerName[] = ['nabla-cpu', 'tfjs-cpu'];
/** A peer's process is stopped after this long (its missing results show as such). */
const PEER_TIMEOUT_MS = 200_000;

function isPeer(name: string): name is PeerName {
  return (PEERS as readonly string[]).includes(name);
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function load(name: PeerName): Promise<Peer> {
  const dash = name.indexOf('-');
  const library = name.slice(0, dash), backend = name.slice(dash + 1);
  if (library === 'nabla') return (await import('./peer-nabla.js')).nablaPeer(backend);
  if (backend !== 'cpu' && backend !== 'wasm') throw new Error(`tfjs has no benchmarked backend '${backend}'`);
  return (await import('./peer-tfjs.js')).tfjsPeer(backend);
}

/** Child mode: run every workload on one peer, reporting JSON lines on stdout. */
async function child(name: string, quick: boolean, catMemory: boolean): Promise<void> {
  if (!isPeer(name)) throw new Error(`unknown peer '${name}': expected one of ${PEERS.join(', ')}`);
  const peer = await load(name);
  if (catMemory) driveCatMemory(peer);
  else drive(peer, { partialEpoch: quick && SLOW.includes(name) });
}

interface PeerRun {
  messages: Message[];
  seconds: number;
  failure?: string;
}

function runPeer(name: PeerName, quick: boolean, catMemory = false): Promise<PeerRun> {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--only', name, ...(quick ? ['--quick'] : []), ...(catMemory ? ['--cat-memory'] : [])];
  const t = performance.now();
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    proc.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    proc.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const timer = setTimeout(() => proc.kill('SIGKILL'), PEER_TIMEOUT_MS);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const messages = out
        .split('\n')
        .filter((line) => line.startsWith(MARK))
        .map((line) => JSON.parse(line.slice(MARK.length)) as Message);
      const seconds = (performance.now() - t) / 1000;
      const lastError = err.trim().split('\n').filter((l) => /error/i.test(l)).pop() ?? err.trim().split('\n').pop() ?? '';
      const failure =
        signal === 'SIGKILL' ? `stopped after ${PEER_TIMEOUT_MS / 1000} s` : code !== 0 ? `exited with ${signal ?? code}: ${lastError.slice(0, 200)}` : undefined;
      resolve({ messages, seconds, ...(failure ? { failure } : {}) });
    });
  });
}

/** A peer's column heading. */
function columnName(p: PeerName): string {
  return p === 'nabla-wasm-threads' ? 'nabla wasm 2 threads' : p.replace('-', ' ');
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));

function flops(id: WorkloadId): number | undefined {
  if (id === 'gemm' || id === 'gemm64') return 2 * GEMM.M * GEMM.K * GEMM.N;
  if (id === 'skinny') return 2 * SKINNY.M * SKINNY.K * SKINNY.N;
  return undefined;
}

/** A result as printed: GFLOP/s for the GEMMs, ms per iteration, seconds per epoch. */
function cell(r: Extract<Message, { kind: 'result' }>, mark: string): string {
  const f = flops(r.id);
  if (f !== undefined) return `${fmt(f / (r.ms * 1e6))}`;
  if (r.id === 'mlp') return `${fmt(r.ms / 1000)}${r.note ? ` ${mark}` : ''}`;
  return fmt(r.ms);
}

async function parent(args: readonly string[]): Promise<void> {
  const quick = args.includes('--quick');
  const chosen = option(args, '--peers')?.split(',') ?? [...PEERS];
  const unknown = chosen.filter((p) => !isPeer(p));
  if (unknown.length) throw new Error(`unknown peer(s) ${unknown.join(', ')}: expected some of ${PEERS.join(', ')}`);
  const peers = PEERS.filter((p) => chosen.includes(p));

  const loadAverage = os.loadavg()[0]!;
  process.stderr.write('bench: host probe … ');
  const before = await probeHost();
  process.stderr.write(`${describeProbe(before)}\n`);
  const start = performance.now();
  const runs = new Map<PeerName, PeerRun>();
  for (const p of peers) {
    process.stderr.write(`bench: ${p} … `);
    const r = await runPeer(p, quick);
    // Then the cat network alone, in a fresh process, for its memory.
    const m = await runPeer(p, quick, true);
    r.messages.push(...m.messages);
    runs.set(p, r);
    process.stderr.write(`${r.seconds.toFixed(0)} s + ${m.seconds.toFixed(0)} s${r.failure ? ` (${r.failure})` : ''}${m.failure ? ` (cat memory: ${m.failure})` : ''}\n`);
  }
  const total = (performance.now() - start) / 1000;
  const after = await probeHost();

  const result = (p: PeerName, id: WorkloadId) =>
    runs.get(p)?.messages.find((m): m is Extract<Message, { kind: 'result' }> => m.kind === 'result' && m.id === id);
  const error = (p: PeerName, id: WorkloadId) => runs.get(p)?.messages.find((m): m is Extract<Message, { kind: 'error' }> => m.kind === 'error' && m.id === id);
  const rss = (p: PeerName, at: 'loaded' | 'workloads' | 'end') =>
    runs.get(p)?.messages.find((m): m is Extract<Message, { kind: 'rss' }> => m.kind === 'rss' && m.at === at)?.mib;

  const rivals = RATIOS.filter(([ours, theirs]) => peers.includes(ours) && peers.includes(theirs));
  const header = ['workload (float32)', ...peers.map(columnName), ...rivals.map(([ours, theirs]) => `${columnName(ours)} vs ${columnName(theirs)}`)];
  const rows: string[][] = [];
  const notes: string[] = [];
  const extrapolated = '†';
  for (const w of WORKLOADS) {
    const cells = peers.map((p) => {
      const r = result(p, w.id);
      if (r) return cell(r, extrapolated);
      const e = error(p, w.id);
      if (e) notes.push(`${p}, ${w.id}: failed — ${e.message}`);
      return e ? 'error' : w.id === 'gemm64' ? '–' : 'n/a';
    });
    const ratios = rivals.map(([o, t]) => {
      const ours = result(o, w.id), theirs = result(t, w.id);
      return ours && theirs ? `${fmt(theirs.ms / ours.ms)}×` : '–';
    });
    rows.push([w.label, ...cells, ...ratios]);
  }
  const rssRow = (label: string, at: 'loaded' | 'workloads' | 'end') => [
    label,
    ...peers.map((p) => {
      const v = rss(p, at);
      return v === undefined ? 'n/a' : v.toFixed(0);
    }),
    ...rivals.map(() => ''),
  ];
  rows.push(rssRow('peak RSS after loading, MiB', 'loaded'));
  rows.push(rssRow('peak RSS through the GEMMs, cat and flower, MiB', 'workloads'));
  rows.push(rssRow('peak RSS at the end (with the MLP data), MiB', 'end'));
  const memory = (p: PeerName) => runs.get(p)?.messages.find((m): m is Extract<Message, { kind: 'memory' }> => m.kind === 'memory');
  const memoryRow = (label: string, value: (m: Extract<Message, { kind: 'memory' }>) => string) => [
    label,
    ...peers.map((p) => {
      const m = memory(p);
      return m ? value(m) : 'n/a';
    }),
    ...rivals.map(() => ''),
  ];
  rows.push(memoryRow('cat training alone: peak RSS, MiB', (m) => m.peakMiB.toFixed(0)));
  rows.push(memoryRow('cat training alone: RSS at iteration 100 → at the end, MiB', (m) => `${m.rssAt100MiB.toFixed(0)} → ${m.rssEndMiB.toFixed(0)}`));
  rows.push(memoryRow('cat training alone: iterations', (m) => m.iterations.toLocaleString('en')));

  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => `| ${r.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join(' | ')} |`;
  const cpus = os.cpus();
  const out: string[] = [
    `nabla bench — ${new Date().toISOString()}`,
    `machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}; load average ${loadAverage.toFixed(1)} at the start`,
    `host probe (the float32 GEMM's register tile on operands in cache, GFLOP/s, median of 1.5 s; the best is about what a core left alone gives): before the peers ${describeProbe(before)}; after them ${describeProbe(after)}`,
    ...peers.map((p) => {
      const r = runs.get(p)!;
      const d = r.messages.find((m): m is Extract<Message, { kind: 'peer' }> => m.kind === 'peer')?.description ?? p;
      return `  ${d} — own process, ${r.seconds.toFixed(0)} s${r.failure ? `; FAILED: ${r.failure}` : ''}`;
    }),
    '',
    line(header),
    `|${widths.map((w, c) => (c === 0 ? ':' : '-').padEnd(w + 1, '-') + (c === 0 ? '-' : ':')).join('|')}|`,
    ...rows.map(line),
    '',
    `Medians of timed runs after warm-up (GEMM ≥ 3 runs, cat ≥ 5, flower ≥ 51, each within a time budget); × = how many times faster nabla is than the peer named.`,
    `Each iteration: forward pass, cost (binary / categorical cross-entropy from the logits), gradients, SGD update; tfjs in tf.tidy with tf.variableGrads, nabla makeGradientDescentStep (on its WASM backends a compiled step: X loaded once, buffers reused); both with samples as columns (the same matrix products).`,
    `Cat training alone: a fresh process per peer (plain Node on the compiled benchmark, no TypeScript loader) builds the cat network's step and runs it ${CAT_MEMORY_ITERATIONS.toLocaleString('en')} times or for 25 s, whichever ends first; peak RSS is the process's maxRSS.`,
    `MLP: ${MLP.batchSize}-sample batches in order, plain SGD, one timed run after a ${MLP_WARMUP_BATCHES}-batch warm-up; nabla through fit (batchSize ${MLP.batchSize}, epochs 1, shuffle false, GradientDescent), tfjs a manual loop of steps.`,
  ];
  const slow = peers.filter((p) => result(p, 'mlp')?.note);
  if (slow.length) {
    out.push(`${extrapolated} ${slow.join(', ')}: ${result(slow[0]!, 'mlp')!.note} and scaled to ${MLP.samples.toLocaleString('en')} (--quick; without it every peer runs the whole epoch).`);
  }
  const fitEpochs = peers
    .filter((p) => p.startsWith('nabla'))
    .map((p) => {
      const r = result(p, 'mlp');
      if (r?.epochMs === undefined) return undefined;
      return `${p} ${fmt(r.epochMs / 1000)} s${r.runningMs === undefined ? '' : ` (${fmt(r.runningMs / 1000)} s with trainAccuracy 'running')`}`;
    })
    .filter((s): s is string => s !== undefined);
  if (fitEpochs.length) {
    out.push(`nabla's MLP figure is fit's batch loop, the same work as tfjs's loop of steps; the whole fit call, which also measures the training accuracy over all ${MLP.samples.toLocaleString('en')} samples at the end of the epoch, took ${fitEpochs.join(', ')}; in brackets, a second epoch whose accuracy is each batch's from its own step, as Keras reports it.`);
  }
  const paired = (p: PeerName) => runs.get(p)?.messages.find((m): m is Extract<Message, { kind: 'share64' }> => m.kind === 'share64');
  const f64Share = peers
    .map((p) => {
      const single = result(p, 'gemm'), double = result(p, 'gemm64'), pair = paired(p);
      if (!single || !double) return undefined;
      const fromMedians = `${((100 * single.ms) / double.ms).toFixed(0)} %`;
      return `${columnName(p)} ${pair ? `${(100 * pair.share).toFixed(0)} % (${fromMedians} from the medians above)` : fromMedians}`;
    })
    .filter((s): s is string => s !== undefined);
  if (f64Share.length) {
    const pairs = peers.map(paired).find((m) => m)?.pairs;
    out.push(`Float64 GEMM 1024² as a share of float32's speed${pairs ? `, the median of ${pairs} pairs of products timed back to back` : ''}: ${f64Share.join(', ')} (TensorFlow.js has no float64).`);
  }
  out.push(...notes, `Total bench time ${total.toFixed(0)} s.`);

  const text = out.join('\n');
  console.log(text);
  // Next to this file's source: bench/, also when run compiled from .bench-dist/bench/.
  const here = fileURLToPath(new URL('.', import.meta.url));
  writeFileSync(join(here.includes('.bench-dist') ? join(here, '..', '..', 'bench') : here, 'last-run.txt'), text + '\n');
}

const argv = process.argv.slice(2);
const USAGE = `usage: npm run bench [-- --peers ${PEERS.join(',')}] [--quick]
       node .bench-dist/bench/run.js --only <peer> [--quick] [--cat-memory]`;
// An unknown flag (a typo, --help) prints the usage instead of starting minutes of runs.
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--peers' || a === '--only') i++;
  else if (a !== '--quick' && a !== '--cat-memory') {
    console.error(a === '--help' || a === '-h' ? USAGE : `bench: unknown argument '${a}'\n${USAGE}`);
    process.exit(a === '--help' || a === '-h' ? 0 : 2);
  }
}
const only = option(argv, '--only');
if (only !== undefined) await child(only, argv.includes('--quick'), argv.includes('--cat-memory'));
else await parent(argv);
