/**
 * A one-line progress bar for a terminal, redrawn in place: iteration/total (or epoch/total),
 * cost, optional metrics, iterations per second and the time left. Formatting is a pure function; the bar only
 * decides when to redraw (at most every `intervalMs`, and always at the end) so a fast loop
 * is not slowed down by writing to the terminal.
 */

export interface ProgressState {
  /** Iterations done so far. */
  readonly done: number;
  readonly total: number;
  /** The latest cost, if any. */
  readonly cost?: number;
  /** Milliseconds since the start. */
  readonly elapsedMs: number;
  /** A short label in front of the bar. */
  readonly label?: string;
  /** What is counted, for the rate: `it` (default) or `ep` for epochs. */
  readonly unit?: string;
  /** Metrics shown after the cost, e.g. `acc 93.50%  val 0.2811`. */
  readonly detail?: string;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The line to draw, fitted to `columns` characters (the bar shrinks first, then goes). */
export function formatProgress(state: ProgressState, columns = 80): string {
  const { done, total, cost, elapsedMs } = state;
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  const left = rate > 0 ? (total - done) / rate : NaN;
  const width = String(total).length;
  // `done` may be fractional (an epoch part-way through its batches): the count shows whole
  // units, while the bar and the time left use the exact fraction.
  const parts = [
    `${String(Math.floor(done)).padStart(width)}/${total}`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    cost === undefined ? 'cost -' : `cost ${cost.toFixed(6)}`,
    ...(state.detail !== undefined && state.detail !== '' ? [state.detail] : []),
    `${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} ${state.unit ?? 'it'}/s`,
    done >= total ? `${formatDuration(seconds)} total` : `${formatDuration(left)} left`,
  ];
  const text = parts.join('  ');
  const label = state.label !== undefined ? `${state.label} ` : '';
  // Room for the bar: the line minus the label, the text, the brackets and two spaces.
  const room = columns - 1 - label.length - text.length - 4;
  if (room < 10) return `${label}${text}`.slice(0, Math.max(0, columns - 1));
  const barWidth = Math.min(40, room);
  const filled = Math.round(fraction * barWidth);
  return `${label}[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]  ${text}`;
}

/** Where the bar draws: a terminal stream (process.stdout when it is a TTY). */
export interface ProgressTarget {
  write(text: string): unknown;
  /** Read at every redraw, so a resized terminal gets a fitting line. */
  readonly columns?: number | undefined;
}

export class ProgressBar {
  readonly #target: ProgressTarget;
  readonly #total: number;
  readonly #label: string | undefined;
  readonly #unit: string | undefined;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #start: number;
  #lastDraw = -Infinity;
  #done = 0;
  #cost: number | undefined;
  #detail: string | undefined;
  #finished = false;

  constructor(target: ProgressTarget, total: number, options: { label?: string; unit?: string; intervalMs?: number; now?: () => number } = {}) {
    this.#target = target;
    this.#total = total;
    this.#label = options.label;
    this.#unit = options.unit;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
  }

  /** Records progress; redraws if enough time has passed or the work is complete. */
  update(done: number, cost?: number, detail?: string): void {
    this.#done = done;
    if (cost !== undefined) this.#cost = cost;
    if (detail !== undefined) this.#detail = detail;
    const t = this.#now();
    if (done >= this.#total || t - this.#lastDraw >= this.#intervalMs) {
      this.#lastDraw = t;
      this.#draw(t);
    }
  }

  /** Draws the final state and moves to a new line, so what is printed next starts clean. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#draw(this.#now());
    this.#target.write('\n');
  }

  #draw(t: number): void {
    const state: ProgressState = {
      done: this.#done,
      total: this.#total,
      elapsedMs: t - this.#start,
      ...(this.#cost !== undefined ? { cost: this.#cost } : {}),
      ...(this.#label !== undefined ? { label: this.#label } : {}),
      ...(this.#unit !== undefined ? { unit: this.#unit } : {}),
      ...(this.#detail !== undefined ? { detail: this.#detail } : {}),
    };
    // \r back to the start of the line, ESC[2K erases it: the bar redraws in place.
    this.#target.write(`\r\x1b[2K${formatProgress(state, this.#target.columns ?? 80)}`);
  }
}

/** Where a command prints: stdout lines, stderr lines, and whether stdout is a terminal. */
export interface Output {
  /** Writes to stdout as is (add the newline yourself). */
  write(text: string): void;
  /** Writes to stderr as is. */
  error(text: string): void;
  /** True when stdout is a terminal: progress bars instead of plain lines. */
  readonly isTTY: boolean;
  /** Terminal width, when known (read when needed: the terminal may be resized). */
  readonly columns: number | undefined;
}

/** The real process's stdout and stderr. */
export function processOutput(): Output {
  const stdout = process.stdout;
  return {
    write: (text) => void stdout.write(text),
    error: (text) => void process.stderr.write(text),
    isTTY: stdout.isTTY === true,
    get columns() {
      return stdout.isTTY === true && stdout.columns > 0 ? stdout.columns : undefined;
    },
  };
}

/** A progress bar on `out` when it is a terminal, else nothing. */
export function progressBarFor(out: Output, total: number, label?: string, unit?: string): ProgressBar | undefined {
  if (!out.isTTY) return undefined;
  const target: ProgressTarget = {
    write: (t: string) => out.write(t),
    get columns() {
      return out.columns;
    },
  };
  return new ProgressBar(target, total, { ...(label !== undefined ? { label } : {}), ...(unit !== undefined ? { unit } : {}) });
}
