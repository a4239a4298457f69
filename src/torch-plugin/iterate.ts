// iterate(iterable): a progress bar over a loop (the seeds-era API's tqdm wrapper). On the
// master's terminal it redraws one line with rate and ETA; when output is not a terminal (a log
// file, CI) it prints a plain line now and then; on other ranks it adds nothing.
import { getRankProvider } from "../core/providers.js";

/** Where the progress goes: process.stderr by default (as tqdm). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface IterateOptions {
  /** The number of items, when the iterable has no `length` or `size`. */
  total?: number;
  /** A label before the bar. */
  desc?: string;
  /** Default: process.stderr. */
  stream?: ProgressStream;
  /** Seconds between plain lines when the stream is not a terminal. Default 10. */
  interval?: number;
}

/** Redraws on a terminal at most this often. */
const TTY_REDRAW_MS = 100;

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function rateText(rate: number): string {
  if (!Number.isFinite(rate) || rate === 0) return "?it/s";
  return rate >= 1 ? `${rate.toFixed(2)}it/s` : `${(1 / rate).toFixed(2)}s/it`;
}

/** One progress line: tqdm's layout (`desc: 45%|████▌     | 450/1000 [00:12<00:15, 37.50it/s]`). */
export function formatProgress(n: number, total: number | undefined, elapsedS: number, desc: string | undefined, barWidth: number): string {
  const rate = elapsedS > 0 ? n / elapsedS : 0;
  const prefix = desc ? `${desc}: ` : "";
  if (total === undefined || total <= 0) return `${prefix}${n}it [${clock(elapsedS)}, ${rateText(rate)}]`;
  const fraction = Math.min(1, n / total);
  const eta = rate > 0 ? (total - n) / rate : Infinity;
  const stats = `${n}/${total} [${clock(elapsedS)}<${clock(eta)}, ${rateText(rate)}]`;
  const pct = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  if (barWidth <= 0) return `${prefix}${pct} ${stats}`;
  const eighths = Math.floor(fraction * barWidth * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const bar = "█".repeat(full) + (partial > 0 ? " ▏▎▍▌▋▊▉"[partial] : "");
  return `${prefix}${pct}|${bar.padEnd(barWidth)}| ${stats}`;
}

class Progress {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;
  readonly #total: number | undefined;
  readonly #desc: string | undefined;
  readonly #intervalMs: number;
  readonly #start = performance.now();
  #n = 0;
  #last = this.#start;

  constructor(total: number | undefined, options: IterateOptions) {
    this.#stream = options.stream ?? process.stderr;
    this.#tty = this.#stream.isTTY === true;
    this.#total = total;
    this.#desc = options.desc;
    this.#intervalMs = (options.interval ?? 10) * 1000;
    if (this.#tty) this.#draw(performance.now());
  }

  tick(): void {
    this.#n++;
    const now = performance.now();
    if (now - this.#last >= (this.#tty ? TTY_REDRAW_MS : this.#intervalMs)) this.#draw(now);
  }

  close(): void {
    this.#draw(performance.now());
    if (this.#tty) this.#stream.write("\n");
  }

  #draw(now: number): void {
    this.#last = now;
    const elapsed = (now - this.#start) / 1000;
    if (this.#tty) {
      const columns = this.#stream.columns ?? 80;
      const text = formatProgress(this.#n, this.#total, elapsed, this.#desc, 0);
      const barWidth = Math.max(0, Math.min(40, columns - text.length - 3));
      this.#stream.write(`\r${formatProgress(this.#n, this.#total, elapsed, this.#desc, barWidth)}\u001b[K`);
    } else {
      this.#stream.write(`${formatProgress(this.#n, this.#total, elapsed, this.#desc, 0)}\n`);
    }
  }
}

function lengthOf(iterable: object, options: IterateOptions): number | undefined {
  if (options.total !== undefined) return options.total;
  const { length, size } = iterable as { length?: unknown; size?: unknown };
  if (typeof length === "number") return length;
  if (typeof size === "number") return size;
  return undefined;
}

/**
 * Iterates `iterable` with a progress bar on the master: `for (const batch of iterate(loader))`.
 * A terminal gets one redrawn line with rate and ETA; other output a plain line every
 * `interval` seconds and at the end; ranks other than the master get the iterable unchanged.
 * Works with `for await` over async iterables too.
 */
export function iterate<T>(iterable: Iterable<T> & AsyncIterable<T>, options?: IterateOptions): Iterable<T> & AsyncIterable<T>;
export function iterate<T>(iterable: Iterable<T>, options?: IterateOptions): Iterable<T>;
export function iterate<T>(iterable: AsyncIterable<T>, options?: IterateOptions): AsyncIterable<T>;
export function iterate<T>(iterable: Iterable<T> | AsyncIterable<T>, options: IterateOptions = {}): Iterable<T> | AsyncIterable<T> {
  const sync = typeof (iterable as Iterable<T>)?.[Symbol.iterator] === "function";
  const async = typeof (iterable as AsyncIterable<T>)?.[Symbol.asyncIterator] === "function";
  if (!sync && !async) throw new TypeError("iterate(): expected an iterable (an array, a DataLoader, a generator, ...).");
  if (!getRankProvider().isMaster()) return iterable;
  const out: Partial<Iterable<T> & AsyncIterable<T>> = {};
  if (sync) {
    out[Symbol.iterator] = function* () {
      const progress = new Progress(lengthOf(iterable, options), options);
      try {
        for (const item of iterable as Iterable<T>) {
          yield item;
          progress.tick();
        }
      } finally {
        progress.close();
      }
    };
  }
  if (async) {
    out[Symbol.asyncIterator] = async function* () {
      const progress = new Progress(lengthOf(iterable, options), options);
      try {
        for await (const item of iterable as AsyncIterable<T>) {
          yield item;
          progress.tick();
        }
      } finally {
        progress.close();
      }
    };
  }
  return out as Iterable<T> & AsyncIterable<T>;
}
