// pystematic board in a real browser (headless Debian chromium through playwright-core): every
// view on run directories made here, what the page shows, hostile names shown as text, and a live
// run's new points appearing without a reload. BOARD_SCREENSHOTS=<folder> saves each view as PNG
// (the README's pictures: BOARD_SCREENSHOTS=docs/board).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { startBoard, type Board } from "../src/board/index.js";
import { Recorder } from "../src/recording/index.js";
import { chromiumInstalled, openBrowser, type TestBrowser } from "./fixtures/board/browser.js";
import { makeBoardRuns, HOSTILE_PARAM, HOSTILE_TAG, HOSTILE_TEXT, SWEEP_LRS } from "./fixtures/board/make-runs.js";
import { decodePng } from "./fixtures/recording/wire.js";

// The functions passed to page.waitForFunction run in the page; this file is type-checked without
// the DOM library, so the little of it they use is declared here.
interface PageElement {
  textContent: string | null;
  classList: { contains(name: string): boolean };
  dataset: Record<string, string | undefined>;
  complete?: boolean;
  naturalWidth?: number;
}
declare const document: {
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  querySelector(selector: string): PageElement | null;
  getElementById(id: string): PageElement | null;
};
declare const window: { __xss?: number };

const skip = chromiumInstalled() ? false : "chromium is not installed (scripts/test.sh installs it: apt-get install chromium)";
const screenshots = process.env.BOARD_SCREENSHOTS ? path.resolve(process.env.BOARD_SCREENSHOTS) : null;

let root: string;
let board: Board;
let browser: TestBrowser;
let page: Page;

before(async () => {
  if (skip) return;
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pst-board99-"));
  makeBoardRuns(root);
  board = await startBoard({ dirs: [root], port: 0 });
  browser = await openBrowser();
  page = browser.page;
});

after(async () => {
  await browser?.close();
  await board?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function openView(view: string): Promise<void> {
  await page.goto(`${board.url}#${view}`);
  await page.waitForSelector(`#${view}-view`);
}

async function screenshot(name: string): Promise<void> {
  if (screenshots === null) return;
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

/** Share of pixels that are not the background, and how many colours, in an element's screenshot. */
async function ink(selector: string): Promise<{ share: number; colours: number }> {
  const png = decodePng(await page.locator(selector).first().screenshot());
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    const [r, g, b] = [png.pixels[i]!, png.pixels[i + 1]!, png.pixels[i + 2]!];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 235 || g < 235 || b < 235) inked++;
  }
  return { share: inked / (png.width * png.height), colours: colours.size };
}

const rowCount = (selector: string): Promise<number> => page.locator(selector).count();

test("runs table: a row per run with status, parameters and last/best values; sort, filter, select", { skip }, async () => {
  await openView("runs");
  await page.waitForSelector("#runs-table tbody tr");
  assert.equal(await rowCount("#runs-table tbody tr"), 8);
  const statuses = await page.locator("#runs-table tbody .status").allTextContents();
  assert.deepEqual(statuses.sort(), ["failed", "finished", "finished", "finished", "finished", "finished", "finished", "interrupted"]);
  const headers = await page.locator("#runs-table thead th").allTextContents();
  for (const column of ["run", "experiment", "start", "status", "lr", "optimizer", "train/loss (last)", "train/loss (min)", "val/accuracy (max)"]) {
    assert.ok(headers.includes(column), `${column} in ${headers.join(" | ")}`);
  }
  await screenshot("runs");
  // Filter: words and key=value.
  await page.fill("#runs-filter", "optimizer=sgd");
  await page.waitForFunction(() => document.querySelectorAll("#runs-table tbody tr").length === 2);
  await page.fill("#runs-filter", "failed");
  await page.waitForFunction(() => document.querySelectorAll("#runs-table tbody tr").length === 1);
  assert.match((await page.locator("#runs-table tbody tr").textContent()) ?? "", /run002.*failed.*0\.1.*sgd/);
  await page.fill("#runs-filter", "");
  // Sort by the last loss, ascending: the best run first, the diverged one last among the sweep.
  await page.click('#runs-table th[data-key="l:train/loss"]');
  const firstRow = await page.locator("#runs-table tbody tr").first().textContent();
  assert.match(firstRow ?? "", /run003/);
  await page.click('#runs-table th[data-key="l:train/loss"]');
  assert.match((await page.locator("#runs-table tbody tr").first().textContent()) ?? "", /run002/);
  // Deselect one run: the count in the header follows.
  await page.uncheck('#runs-table tbody input[data-run-id]:near(:text("run000"))');
  await page.waitForFunction(() => document.getElementById("selection-count")?.textContent === "7 of 8 runs selected");
  await page.check("#select-all");
  await page.waitForFunction(() => document.getElementById("selection-count")?.textContent === "8 of 8 runs selected");
});

test("scalars: a chart per tag with the runs overlaid, drawn (non-blank), smoothing, log scale, x axis, hover values", { skip }, async () => {
  await openView("scalars");
  await page.waitForSelector('.scalar-card[data-tag="train/loss"] canvas');
  const tags = await page.locator(".scalar-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-tag")));
  assert.deepEqual(tags, [HOSTILE_TAG, "epoch_loss", "epoch_lr", "loss", "train/loss", "val/accuracy"]);
  const loss = '.scalar-card[data-tag="train/loss"]';
  // 4 runs, each a raw and a smoothed line, in the legend.
  await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .u-legend .u-series`).length === 9, loss);
  const drawn = await ink(`${loss} canvas`);
  assert.ok(drawn.share > 0.01 && drawn.colours > 8, `chart area looks blank: ${JSON.stringify(drawn)}`);
  await page.locator(".scalar-card").nth(4).scrollIntoViewIfNeeded();
  await screenshot("scalars");
  // Hover: the legend shows each run's value under the cursor.
  const box = (await page.locator(`${loss} .u-over`).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForFunction((sel) => [...document.querySelectorAll(`${sel} .u-legend .u-value`)].slice(1).some((v) => /\d/.test(v.textContent ?? "")), loss);
  const values = await page.locator(`${loss} .u-legend .u-value`).allTextContents();
  assert.ok(values.slice(1).every((v) => /^-?\d/.test(v)), values.join(" | "));
  // Smoothing 0: the raw lines go, one line per run.
  await page.locator("#smoothing").fill("0");
  await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .u-legend .u-series`).length === 5, loss);
  assert.equal(await page.textContent("#smoothing-value"), "0.00");
  // Log scale and wall-time axis rebuild the charts, still drawn.
  await page.check("#log-scale");
  await page.selectOption("#x-axis", "wall");
  await page.waitForSelector(`${loss} canvas`);
  const again = await ink(`${loss} canvas`);
  assert.ok(again.share > 0.01, JSON.stringify(again));
  await page.uncheck("#log-scale");
  await page.selectOption("#x-axis", "step");
});

test("sweep: parallel coordinates over the overrides and a metric; clicking a line selects its run", { skip }, async () => {
  await openView("sweep");
  await page.waitForSelector("#parallel-coordinates path.member");
  assert.equal(await rowCount("#parallel-coordinates path.member"), 4);
  assert.equal(await rowCount("#parallel-coordinates path.member.failed"), 1);
  const axisLabels = await page.locator("#parallel-coordinates .axis-title").allTextContents();
  assert.deepEqual(axisLabels, ["lr", "optimizer", "train/loss (last)"]);
  assert.deepEqual(await page.locator("#sweep-members tbody tr td:nth-child(4)").allTextContents(), SWEEP_LRS.map(String));
  await screenshot("sweep");
  const first = page.locator("#parallel-coordinates path.member").first();
  const id = await first.getAttribute("data-run-id");
  assert.match((await first.getAttribute("class")) ?? "", /selected/);
  await first.dispatchEvent("click");
  await page.waitForFunction((runId) => !document.querySelector(`#parallel-coordinates path[data-run-id="${runId}"]`)?.classList.contains("selected"), id);
  assert.equal(await page.textContent("#selection-count"), "7 of 8 runs selected");
  await page.locator(`#parallel-coordinates path[data-run-id="${id}"]`).dispatchEvent("click");
  await page.waitForFunction(() => document.getElementById("selection-count")?.textContent === "8 of 8 runs selected");
});

test("images: one card per run and tag, a step slider moving through the recorded steps", { skip }, async () => {
  await openView("images");
  await page.waitForSelector(".images-card img");
  assert.equal(await rowCount(".images-card"), 4);
  const card = page.locator(".images-card").first();
  await page.waitForFunction(() => {
    const img = document.querySelector(".images-card img");
    return img !== null && img.complete && img.naturalWidth === 16;
  });
  assert.match((await card.locator(".step-label").textContent()) ?? "", /^step 40 \(3 of 3\) · 16×16$/);
  await card.locator(".step-slider").fill("0");
  assert.match((await card.locator(".step-label").textContent()) ?? "", /^step 0 \(1 of 3\)/);
  assert.match((await card.locator("img").getAttribute("src")) ?? "", /index=0$/);
  await screenshot("images");
});

test("histograms over steps, text summaries and hparams", { skip }, async () => {
  await openView("histograms");
  await page.waitForSelector(".histograms-card svg path");
  assert.equal(await rowCount(".histograms-card"), 5);
  assert.deepEqual(await page.locator(".histograms-card").first().locator("path").evaluateAll((ps) => ps.map((p) => p.getAttribute("data-step"))), ["0", "20", "40"]);
  await screenshot("histograms");
  await openView("text");
  await page.waitForSelector(".texts-card pre");
  const notes = await page.locator('.texts-card[data-tag="notes"]').first().locator("pre").allTextContents();
  assert.deepEqual(notes, ["step 40: lr 0.001", "step 20: lr 0.001", "step 0: lr 0.001"]);
  await screenshot("text");
  await openView("hparams");
  await page.waitForSelector("#hparams-table tbody tr");
  assert.equal(await rowCount("#hparams-table tbody tr"), 4);
  assert.deepEqual(await page.locator("#hparams-table thead th").allTextContents(), ["run", "status", "lr", "optimizer", "train/loss", "val/accuracy"]);
  await screenshot("hparams");
});

test("hostile tag names, parameters and text summaries are shown as text, never run", { skip }, async () => {
  await openView("text");
  await page.waitForSelector(".texts-card pre");
  const hostileCard = page.locator(".texts-card").filter({ hasText: "xss001" });
  assert.equal(await hostileCard.locator("h3").evaluate((el) => el.childNodes[1]?.textContent), HOSTILE_TAG);
  assert.equal(await hostileCard.locator("pre").first().textContent(), HOSTILE_TEXT);
  await openView("runs");
  await page.waitForSelector("#runs-table tbody tr");
  const headers = await page.locator("#runs-table thead th").allTextContents();
  assert.ok(headers.includes(HOSTILE_PARAM));
  await openView("scalars");
  await page.waitForSelector(".scalar-card canvas");
  assert.equal(await page.locator(".scalar-card h3").first().textContent(), HOSTILE_TAG);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator("main script, main img[onerror], main svg[onload], main b").count(), 0);
  assert.deepEqual(browser.errors, []);
});

test("live: a running experiment's new points appear without a reload", { skip }, async () => {
  const dir = path.join(root, "output", "live", "2026-12-07_12-00-00_live01");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "parameters.yaml"), "lr: 0.5\n");
  const recorder = new Recorder(dir, { file: false, flushSecs: 1 });
  recorder.scalar("live/loss", 1);
  recorder.step();
  recorder.flush();
  try {
    await openView("runs");
    const row = page.locator("#runs-table tbody tr").filter({ hasText: "live01" });
    await row.waitFor();
    assert.match((await row.locator(".status").textContent()) ?? "", /running/);
    const lastCell = row.locator("td").nth(headersIndexOf(await page.locator("#runs-table thead th").allTextContents(), "live/loss (last)"));
    assert.equal(await lastCell.textContent(), "1");
    const started = Date.now();
    recorder.scalar("live/loss", 0.25);
    recorder.step();
    recorder.flush();
    await page.waitForFunction(() => [...document.querySelectorAll("#runs-table tbody tr")].some((tr) => tr.textContent?.includes("live01") && tr.textContent.includes("0.25")), undefined, { timeout: 20_000 });
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 10, `took ${seconds} s`);
    // The chart of that run follows too.
    await openView("scalars");
    const card = '.scalar-card[data-tag="live/loss"]';
    await page.waitForSelector(`${card} canvas`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.points === "2", card);
    recorder.scalar("live/loss", 0.125);
    recorder.step();
    recorder.flush();
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.points === "3", card, { timeout: 20_000 });
  } finally {
    recorder.close();
  }
});

function headersIndexOf(headers: string[], name: string): number {
  const i = headers.indexOf(name);
  assert.ok(i >= 0, `${name} in ${headers.join(" | ")}`);
  return i;
}
