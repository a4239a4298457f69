// pystematic board: time to first chart in headless chromium for a run with 1M scalar points and
// for a sweep of 200 runs (all overlaid), and the event reader's throughput beside our writer's.
// Needs /usr/bin/chromium (scripts/test.sh installs it); without it only the throughputs run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBoard } from "../../src/board/index.js";
import { BoardRun } from "../../src/board/board-run.js";
import { readEvents, Recorder } from "../../src/recording/index.js";
import { chromiumInstalled, openBrowser } from "../../test/fixtures/board/browser.js";

const POINTS = Number(process.env.BENCH_BOARD_POINTS ?? 1_000_000);
const SWEEP_RUNS = Number(process.env.BENCH_BOARD_RUNS ?? 200);
const SWEEP_STEPS = 1000;

function eventBytes(dir: string): number {
  return fs.readdirSync(dir).filter((n) => n.includes("tfevents")).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

/** One run with POINTS steps of one scalar; returns the writer's rate. */
function writeBigRun(dir: string): { rate: Rate; megabytes: number } {
  const recorder = new Recorder(dir, { file: false });
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let step = 0; step < POINTS; step++) {
    recorder.scalar("train/loss", 1 / (1 + step * 1e-4) + 0.01 * Math.sin(step));
    recorder.step();
  }
  recorder.close();
  const used = process.cpuUsage(cpu);
  const megabytes = eventBytes(dir) / 1e6;
  return { megabytes, rate: { wall: megabytes / (Number(process.hrtime.bigint() - start) / 1e9), cpu: megabytes / ((used.user + used.system) / 1e6) } };
}

function writeSweep(root: string): void {
  for (let i = 0; i < SWEEP_RUNS; i++) {
    const dir = path.join(root, "sweep", `2026-12-01_10-00-00_m${String(i).padStart(5, "0")}`);
    fs.mkdirSync(dir, { recursive: true });
    const lr = 10 ** (-4 + (3 * i) / SWEEP_RUNS);
    fs.writeFileSync(path.join(dir, "parameters.yaml"), `lr: ${lr}\nwidth: ${64 * (1 + (i % 4))}\n`);
    fs.writeFileSync(path.join(dir, "sweep.json"), JSON.stringify({ id: "bench", index: i, count: SWEEP_RUNS, overrides: { lr, width: 64 * (1 + (i % 4)) } }));
    const recorder = new Recorder(dir, { file: false });
    for (let step = 0; step < SWEEP_STEPS; step++) {
      recorder.scalar("train/loss", Math.exp(-step * lr) + 0.01 * Math.sin(step + i));
      recorder.scalar("val/accuracy", 1 - Math.exp(-step * lr));
      recorder.step();
    }
    recorder.close();
    fs.writeFileSync(path.join(dir, "log.txt"), "[2026-12-01 10:00:00] [INFO] [pystematic.standard] Experiment ended at 2026-12-01 10:00:00.\n");
  }
}

/** MB/s by wall time and by this process's CPU time (the machine may be shared). */
interface Rate {
  wall: number;
  cpu: number;
}

function measure(megabytes: number, work: () => void): Rate {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  work();
  const used = process.cpuUsage(cpu);
  return { wall: megabytes / (Number(process.hrtime.bigint() - start) / 1e9), cpu: megabytes / ((used.user + used.system) / 1e6) };
}

const rate = (r: Rate): string => `${r.wall.toFixed(1)} MB/s (${r.cpu.toFixed(1)} MB/s of CPU time)`;

function readerThroughput(dir: string): { board: Rate; readEvents: Rate } {
  const megabytes = eventBytes(dir) / 1e6;
  const board = measure(megabytes, () => {
    const run = new BoardRun("r", dir, "run", "pystematic");
    run.refresh();
    run.scalars("train/loss");
  });
  const plain = measure(megabytes, () => {
    for (const file of fs.readdirSync(dir).filter((n) => n.includes("tfevents"))) readEvents(path.join(dir, file));
  });
  return { board, readEvents: plain };
}

async function timeToFirstChart(root: string, expectPoints: number, selectAll: boolean): Promise<{ seconds: number; runsTable: number }> {
  const board = await startBoard({ dirs: [root], port: 0 });
  const browser = await openBrowser();
  try {
    const page = browser.page;
    const start = Date.now();
    await page.goto(`${board.url}#runs`);
    await page.waitForSelector("#runs-table tbody tr", { timeout: 600_000 });
    const runsTable = (Date.now() - start) / 1000;
    if (selectAll) await page.check("#select-all");
    await page.click('#tabs button[data-view="scalars"]');
    await page.waitForFunction(
      (n) => [...document.querySelectorAll(".scalar-card")].some((c) => Number((c as HTMLElement).dataset.points) >= n && c.querySelector("canvas")),
      expectPoints,
      { timeout: 600_000, polling: 50 },
    );
    // The frame is painted once the browser is idle again.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)))));
    return { seconds: (Date.now() - start) / 1000, runsTable };
  } finally {
    await browser.close();
    await board.close();
  }
}

declare const document: { querySelectorAll(s: string): ArrayLike<unknown> & Iterable<{ dataset: Record<string, string>; querySelector(s: string): unknown }> };
declare function requestAnimationFrame(callback: () => void): number;
type HTMLElement = { dataset: Record<string, string> };

const root = fs.mkdtempSync(path.join(os.tmpdir(), "pst-bench-board-"));
try {
  const big = path.join(root, "big", "run");
  const written = writeBigRun(big);
  const reader = readerThroughput(big);
  console.log(`board: load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`);
  console.log(`board: event files, ${POINTS.toLocaleString("en")} scalar events (${written.megabytes.toFixed(1)} MB): ` +
    `writer (Recorder) ${rate(written.rate)}; board's reader (decode + series) ${rate(reader.board)}; readEvents() ${rate(reader.readEvents)}`);
  if (!chromiumInstalled()) {
    console.log("board: chromium is not installed (/usr/bin/chromium): time to first chart not measured");
  } else {
    const bigChart = await timeToFirstChart(path.join(root, "big"), POINTS, false);
    console.log(`board: time to first chart, one run with ${POINTS.toLocaleString("en")} points: ${bigChart.seconds.toFixed(2)} s (cold server: files read on the first request)`);
    const sweepRoot = path.join(root, "sweep-root");
    writeSweep(sweepRoot);
    const sweepChart = await timeToFirstChart(sweepRoot, SWEEP_STEPS, true);
    console.log(`board: sweep of ${SWEEP_RUNS} runs (2 tags × ${SWEEP_STEPS} steps each): runs table ${sweepChart.runsTable.toFixed(2)} s, ` +
      `first chart with all ${SWEEP_RUNS} runs overlaid ${sweepChart.seconds.toFixed(2)} s (cold server)`);
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
