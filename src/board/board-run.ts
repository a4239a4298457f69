// One run directory as the board sees it: its parameters, sweep marker, status and everything its
// event files hold, read incrementally (refresh() reads only what was appended since).
import fs from "node:fs";
import path from "node:path";
import { yaml } from "../core/run/parameters-yaml.js";
import { EventFileTail, int64ToNumber, type DecodedEvent } from "./event-tail.js";
import { runStatus, startTimeFromName, type RunStatus } from "./run-status.js";
import { mergePoints, PointBuffer, summarize, type ScalarPoints, type ScalarSummary } from "./scalar-series.js";
import { boardValue, type HistogramBuckets, type HParamsStatus } from "./summary-values.js";

/** pystematic's run directory, fifteen's Experiment directory, or any folder of event files. */
export type RunKind = "pystematic" | "fifteen" | "tensorboard";

/** The sweep driver's `sweep.json` marker. */
export interface SweepMarker {
  id: string;
  index: number;
  count: number;
  overrides: Record<string, unknown>;
}

export type ParamValue = number | string | boolean | null;

interface Stamped {
  step: number;
  wallTime: number;
}
export interface ImageEntry extends Stamped {
  png: Uint8Array;
  width: number;
  height: number;
}
export interface HistogramEntry extends Stamped {
  histogram: HistogramBuckets;
}
export interface TextEntry extends Stamped {
  text: string;
}

/** What /api/runs says of a run. */
export interface RunSummary {
  id: string;
  name: string;
  kind: RunKind;
  experiment: string;
  startTime: number;
  status: RunStatus;
  params: Record<string, ParamValue>;
  hparams: Record<string, number | string | boolean>;
  sweep: SweepMarker | null;
  scalars: Record<string, ScalarSummary>;
  images: string[];
  histograms: string[];
  texts: string[];
  revision: number;
  problems: string[];
}

const EVENT_FILE = /tfevents/;

export class BoardRun {
  readonly id: string;
  readonly dir: string;
  readonly name: string;
  readonly kind: RunKind;
  revision = 0;
  #tails = new Map<string, EventFileTail>();
  #scalarParts = new Map<string, Map<string, PointBuffer>>();
  #scalarCache = new Map<string, ScalarPoints>();
  #images = new Map<string, ImageEntry[]>();
  #histograms = new Map<string, HistogramEntry[]>();
  #texts = new Map<string, TextEntry[]>();
  #hparams: Record<string, number | string | boolean> = {};
  #hparamsStatus: HParamsStatus | null = null;
  #firstWallTime = Infinity;
  #lastModifiedMs = 0;
  #params: Record<string, ParamValue> = {};
  #paramsStamp = "";
  #sweep: SweepMarker | null = null;
  #sweepStamp = "";
  #problems = new Map<string, string>();

  constructor(id: string, dir: string, name: string, kind: RunKind) {
    this.id = id;
    this.dir = dir;
    this.name = name;
    this.kind = kind;
  }

  /** Reads what was appended to the event files and any changed parameters since the last call. */
  refresh(): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch (error) {
      this.#problems.set("dir", `cannot read ${this.dir}: ${(error as Error).message}`);
      return;
    }
    let lastModified = 0;
    const eventFiles: { file: string; mtimeMs: number }[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(this.dir, entry.name);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        continue;
      }
      lastModified = Math.max(lastModified, stat.mtimeMs);
      if (EVENT_FILE.test(entry.name)) eventFiles.push({ file, mtimeMs: stat.mtimeMs });
    }
    this.#lastModifiedMs = lastModified;
    this.#readParams();
    let changed = false;
    for (const { file } of eventFiles.sort((a, b) => a.file.localeCompare(b.file))) {
      let tail = this.#tails.get(file);
      if (tail === undefined) this.#tails.set(file, (tail = new EventFileTail(file)));
      let events: DecodedEvent[];
      try {
        events = tail.readNew();
      } catch (error) {
        this.#problems.set(file, `${file}: ${(error as Error).message}`);
        continue;
      }
      if (tail.damage !== null) this.#problems.set(file, tail.damage);
      if (events.length > 0) {
        changed = true;
        this.#take(file, events);
      }
    }
    if (changed) this.revision++;
  }

  summary(nowMs = Date.now()): RunSummary {
    const scalars: Record<string, ScalarSummary> = {};
    for (const tag of [...this.#scalarParts.keys()].sort()) {
      const s = summarize(this.scalars(tag)!);
      if (s !== null) scalars[tag] = s;
    }
    return {
      id: this.id,
      name: this.name,
      kind: this.kind,
      experiment: this.kind === "pystematic" ? path.basename(path.dirname(this.dir)) : path.basename(this.dir),
      startTime: this.#startTime(),
      status: this.#status(nowMs),
      params: this.#params,
      hparams: this.#hparams,
      sweep: this.#sweep,
      scalars,
      images: [...this.#images.keys()].sort(),
      histograms: [...this.#histograms.keys()].sort(),
      texts: [...this.#texts.keys()].sort(),
      revision: this.revision,
      problems: [...this.#problems.values()],
    };
  }

  /** One tag's points, merged over the run's event files; undefined for an unknown tag. */
  scalars(tag: string): ScalarPoints | undefined {
    let points = this.#scalarCache.get(tag);
    if (points === undefined) {
      const parts = this.#scalarParts.get(tag);
      if (parts === undefined) return undefined;
      points = mergePoints([...parts.values()]);
      this.#scalarCache.set(tag, points);
    }
    return points;
  }

  images(tag: string): readonly ImageEntry[] | undefined {
    return this.#images.get(tag);
  }
  histograms(tag: string): readonly HistogramEntry[] | undefined {
    return this.#histograms.get(tag);
  }
  texts(tag: string): readonly TextEntry[] | undefined {
    return this.#texts.get(tag);
  }

  #take(file: string, events: DecodedEvent[]): void {
    // Most values are plain scalars of a few tags: their buffers are looked up once per tag.
    const buffers = new Map<string, PointBuffer>();
    const bufferFor = (tag: string): PointBuffer => {
      let buffer = buffers.get(tag);
      if (buffer !== undefined) return buffer;
      let parts = this.#scalarParts.get(tag);
      if (parts === undefined) this.#scalarParts.set(tag, (parts = new Map()));
      buffer = parts.get(file);
      if (buffer === undefined) parts.set(file, (buffer = new PointBuffer()));
      buffers.set(tag, buffer);
      this.#scalarCache.delete(tag);
      return buffer;
    };
    for (const event of events) {
      const wallTime = event.wallTime;
      if (wallTime > 0 && wallTime < this.#firstWallTime) this.#firstWallTime = wallTime;
      const values = event.summary?.value;
      if (!values) continue;
      const step = int64ToNumber(event.step);
      for (const raw of values) {
        if (Object.hasOwn(raw, "simpleValue") && raw.metadata === undefined) {
          bufferFor(raw.tag).push(step, wallTime, raw.simpleValue!);
          continue;
        }
        const value = boardValue(raw);
        if (value === null) continue;
        switch (value.kind) {
          case "scalar":
            bufferFor(value.tag).push(step, wallTime, value.value);
            break;
          case "image":
            insertStamped(this.#images, value.tag, { step, wallTime, png: value.png, width: value.width, height: value.height });
            break;
          case "histogram":
            insertStamped(this.#histograms, value.tag, { step, wallTime, histogram: value.histogram });
            break;
          case "text":
            insertStamped(this.#texts, value.tag, { step, wallTime, text: value.text });
            break;
          case "hparams":
            this.#hparams = value.hparams;
            this.#hparamsStatus = null;
            break;
          case "hparamsEnd":
            this.#hparamsStatus = value.status;
            break;
        }
      }
    }
  }

  #status(nowMs: number): RunStatus {
    if (this.kind === "pystematic") return runStatus(this.dir, this.#lastModifiedMs, nowMs, "interrupted");
    // Folders without a log: the HParams session's end if written, else the file times.
    const recent = nowMs - this.#lastModifiedMs < 60_000;
    if (this.#hparamsStatus === "failure") return "failed";
    if (this.#hparamsStatus === "success") return "finished";
    return recent ? "running" : "finished";
  }

  #startTime(): number {
    const fromName = startTimeFromName(path.basename(this.dir));
    if (fromName !== null) return fromName;
    if (Number.isFinite(this.#firstWallTime)) return this.#firstWallTime * 1000;
    return this.#lastModifiedMs;
  }

  #readParams(): void {
    const paramsFile = path.join(this.dir, "parameters.yaml");
    const metadataDir = path.join(this.dir, "metadata");
    const sources = this.kind === "pystematic" ? [{ file: paramsFile, prefix: "" }] : yamlFiles(metadataDir);
    const stamp = sources.map((s) => `${s.file}:${mtimeOf(s.file)}`).join("|");
    if (stamp !== this.#paramsStamp) {
      this.#paramsStamp = stamp;
      const params: Record<string, ParamValue> = {};
      this.#problems.delete("params");
      for (const { file, prefix } of sources) {
        try {
          const value: unknown = yaml().parse(fs.readFileSync(file, "utf8"), { version: "1.1" });
          flatten(value, prefix, params);
        } catch (error) {
          this.#problems.set("params", `${file}: ${(error as Error).message.split("\n")[0]}`);
        }
      }
      this.#params = params;
    }
    const sweepFile = path.join(this.dir, "sweep.json");
    const sweepStamp = String(mtimeOf(sweepFile));
    if (sweepStamp !== this.#sweepStamp) {
      this.#sweepStamp = sweepStamp;
      this.#sweep = null;
      this.#problems.delete("sweep");
      if (sweepStamp !== "-1") {
        try {
          this.#sweep = parseSweepMarker(JSON.parse(fs.readFileSync(sweepFile, "utf8")));
        } catch (error) {
          this.#problems.set("sweep", `${sweepFile}: ${(error as Error).message}`);
        }
      }
    }
  }
}

function insertStamped<T extends Stamped>(map: Map<string, T[]>, tag: string, entry: T): void {
  let list = map.get(tag);
  if (list === undefined) map.set(tag, (list = []));
  let at = list.length;
  while (at > 0 && list[at - 1]!.step > entry.step) at--;
  // The same step again (a restarted run): the later wall time wins.
  if (at > 0 && list[at - 1]!.step === entry.step) {
    if (entry.wallTime >= list[at - 1]!.wallTime) list[at - 1] = entry;
    return;
  }
  list.splice(at, 0, entry);
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function yamlFiles(dir: string): { file: string; prefix: string }[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => name.endsWith(".yaml"))
      .sort()
      .map((name) => ({ file: path.join(dir, name), prefix: `${name.slice(0, -5)}.` }));
  } catch {
    return [];
  }
}

/** Nested mappings become dotted keys; lists and other values their JSON text. */
function flatten(value: unknown, prefix: string, out: Record<string, ParamValue>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) flatten(item, `${prefix}${key}.`, out);
    return;
  }
  const key = prefix.endsWith(".") ? prefix.slice(0, -1) : prefix;
  if (key === "") return;
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "boolean") out[key] = value;
  else if (value instanceof Date) out[key] = value.toISOString();
  else out[key] = JSON.stringify(value) ?? String(value);
}

export function parseSweepMarker(value: unknown): SweepMarker {
  const v = value as Partial<SweepMarker> | null;
  if (typeof v !== "object" || v === null || typeof v.id !== "string" || !Number.isInteger(v.index) || !Number.isInteger(v.count)) {
    throw new Error("not a sweep marker (id, index, count, overrides)");
  }
  const overrides = typeof v.overrides === "object" && v.overrides !== null ? v.overrides : {};
  return { id: v.id, index: v.index!, count: v.count!, overrides };
}
