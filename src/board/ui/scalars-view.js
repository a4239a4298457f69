// @ts-check
// Scalars: one chart per tag with the selected runs overlaid (uPlot), x by step, relative or wall
// time, TensorBoard's debiased EMA smoothing, log scale, the values under the cursor in the
// legend. Drag to zoom into a range, double-click to see everything again.
import uPlot from "/vendor/uplot.esm.js";
import { fetchScalars } from "./api.js";
import { h, formatNumber, runColour } from "./dom.js";
import { chartData, debiasedEma, xValues } from "./series.js";

const CHART_HEIGHT = 260;
const MAX_LEGEND_RUNS = 12;
const MAX_RAW_RUNS = 8;

export class ScalarsView {
  /** @param {import("./app.js").BoardState} state */
  constructor(state) {
    this.state = state;
    /** @type {Map<string, {revision: number, points: any, loading: Promise<void> | null}>} */
    this.cache = new Map();
    /** @type {Map<string, ChartCard>} */
    this.cards = new Map();
    this.xMode = /** @type {HTMLSelectElement} */ (h("select", { id: "x-axis" },
      h("option", { value: "step" }, "step"), h("option", { value: "relative" }, "relative time"), h("option", { value: "wall" }, "wall time")));
    this.smoothing = /** @type {HTMLInputElement} */ (h("input", { type: "range", id: "smoothing", min: 0, max: 0.99, step: 0.01, value: 0.6 }));
    this.smoothingLabel = h("span", { id: "smoothing-value" }, "0.60");
    this.logScale = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "log-scale" }));
    this.tagFilter = /** @type {HTMLInputElement} */ (h("input", { type: "search", id: "tag-filter", placeholder: "filter tags (regex)" }));
    this.grid = h("div", { class: "cards", id: "scalar-charts" });
    this.message = h("p", { class: "empty" });
    const redraw = () => {
      this.smoothingLabel.textContent = Number(this.smoothing.value).toFixed(2);
      for (const card of this.cards.values()) card.draw(this.options(), true);
    };
    this.smoothing.addEventListener("input", redraw);
    this.xMode.addEventListener("change", () => {
      for (const card of this.cards.values()) card.reset();
      redraw();
    });
    this.logScale.addEventListener("change", () => {
      for (const card of this.cards.values()) card.reset();
      redraw();
    });
    this.tagFilter.addEventListener("input", () => this.update());
    this.element = h("section", { id: "scalars-view" },
      h("div", { class: "toolbar" },
        h("label", {}, "x axis", this.xMode),
        h("label", {}, "smoothing", this.smoothing, this.smoothingLabel),
        h("label", {}, this.logScale, "log scale"),
        this.tagFilter),
      this.message, this.grid);
    this.onResize = () => {
      for (const card of this.cards.values()) card.resize();
    };
    window.addEventListener("resize", this.onResize);
  }

  dispose() {
    window.removeEventListener("resize", this.onResize);
    for (const card of this.cards.values()) card.destroy();
  }

  options() {
    return { mode: this.xMode.value, weight: Number(this.smoothing.value), log: this.logScale.checked };
  }

  update() {
    const runs = this.state.runs.filter((r) => this.state.selected.has(r.id));
    let pattern = null;
    try {
      pattern = this.tagFilter.value ? new RegExp(this.tagFilter.value, "i") : null;
    } catch {
      pattern = null;
    }
    const tags = [...new Set(runs.flatMap((r) => Object.keys(r.scalars)))].filter((t) => !pattern || pattern.test(t)).sort();
    this.message.textContent = runs.length === 0 ? "No runs selected: select some in the Runs table." : tags.length === 0 ? "The selected runs have no scalars." : "";
    for (const [tag, card] of this.cards) {
      if (!tags.includes(tag)) {
        card.destroy();
        this.cards.delete(tag);
      }
    }
    tags.forEach((tag, i) => {
      let card = this.cards.get(tag);
      if (!card) this.cards.set(tag, (card = new ChartCard(tag, this.state)));
      if (this.grid.children[i] !== card.element) this.grid.insertBefore(card.element, this.grid.children[i] ?? null);
      const members = runs.filter((r) => r.scalars[tag]);
      void this.load(members, tag).then((series) => card.setSeries(series, this.options()));
    });
  }

  /** The points of `tag` for each run, fetched again only when the run changed. @param {any[]} runs @param {string} tag */
  async load(runs, tag) {
    await Promise.all(runs.map((run) => {
      const key = `${run.id}\n${tag}`;
      let entry = this.cache.get(key);
      if (entry && entry.revision === run.revision) return entry.loading;
      const revision = run.revision;
      if (!entry) this.cache.set(key, (entry = { revision, points: null, loading: null }));
      entry.revision = revision;
      const target = entry;
      target.loading = fetchScalars(run.id, tag).then((points) => {
        if (target.revision === revision) target.points = points;
      }, () => {});
      return target.loading;
    }));
    return runs.map((run) => ({ run, points: this.cache.get(`${run.id}\n${tag}`)?.points })).filter((s) => s.points);
  }
}

class ChartCard {
  /** @param {string} tag @param {import("./app.js").BoardState} state */
  constructor(tag, state) {
    this.tag = tag;
    this.state = state;
    this.chartEl = h("div", { class: "chart" });
    this.element = h("div", { class: "card scalar-card", "data-tag": tag }, h("h3", {}, tag), this.chartEl);
    /** @type {{run: any, points: any}[]} */
    this.series = [];
    /** @type {any} */
    this.plot = null;
    this.shape = "";
    /** @type {[number, number] | null} */
    this.zoom = null;
    /** @type {{x: Float64Array, y: Float64Array, raw: Float64Array}[]} */
    this.lines = [];
    this.extent = [0, 1];
    this.settingData = false;
    this.showRaw = false;
  }

  /** @param {{run: any, points: any}[]} series @param {{mode: string, weight: number, log: boolean}} options */
  setSeries(series, options) {
    this.series = series;
    // The number of points charted, for tests and for anyone inspecting the page.
    this.element.dataset.points = String(series.reduce((n, s) => n + s.points.steps.length, 0));
    this.draw(options, true);
  }

  reset() {
    this.zoom = null;
    this.destroy();
  }

  destroy() {
    this.plot?.destroy();
    this.plot = null;
    this.shape = "";
  }

  width() {
    return Math.max(300, this.element.clientWidth - 18);
  }

  resize() {
    this.plot?.setSize({ width: this.width(), height: CHART_HEIGHT });
  }

  /** @param {{mode: string, weight: number, log: boolean}} options @param {boolean} recompute */
  draw(options, recompute) {
    this.options = options;
    if (recompute) {
      this.lines = this.series.map(({ points }) => {
        const { x, order } = xValues(points, options.mode);
        const raw = order ? Float64Array.from(order, (i) => points.values[i]) : points.values;
        return { x, y: debiasedEma(raw, options.weight), raw };
      });
      let lo = Infinity, hi = -Infinity;
      for (const l of this.lines) if (l.x.length) {
        lo = Math.min(lo, l.x[0]);
        hi = Math.max(hi, l.x[l.x.length - 1]);
      }
      this.extent = Number.isFinite(lo) ? [lo, hi] : [0, 1];
    }
    const showRaw = options.weight > 0 && this.series.length <= MAX_RAW_RUNS;
    this.showRaw = showRaw;
    const shape = JSON.stringify([this.series.map((s) => s.run.id), options.mode, options.log, showRaw]);
    if (this.plot && shape !== this.shape) this.destroy();
    const [xmin, xmax] = this.zoom ?? this.extent;
    const data = this.data(xmin, xmax, showRaw);
    // The raw lines stay out of the legend: every other row, after the x row.
    this.element.classList.toggle("with-raw", showRaw);
    if (!this.plot) {
      this.shape = shape;
      this.plot = new uPlot(this.config(options, showRaw), data, this.chartEl);
      this.plot.over.addEventListener("dblclick", () => {
        this.zoom = null;
        this.draw(options, false);
      });
    } else {
      this.settingData = true;
      this.plot.setData(data, false);
      this.plot.setScale("x", { min: xmin, max: xmax });
      this.settingData = false;
    }
  }

  /** @param {number} xmin @param {number} xmax @param {boolean} showRaw */
  data(xmin, xmax, showRaw) {
    const lines = showRaw ? this.lines.flatMap((l) => [{ x: l.x, y: l.raw }, l]) : this.lines;
    return chartData(lines, xmin, xmax, this.width(), this.options?.log ?? false);
  }

  /** @param {{mode: string, weight: number, log: boolean}} options @param {boolean} showRaw */
  config(options, showRaw) {
    const series = [{ label: options.mode === "step" ? "step" : options.mode === "wall" ? "time" : "relative", value: (/** @type {any} */ _u, /** @type {number} */ v) => formatX(v, options.mode) }];
    for (const { run } of this.series) {
      const colour = runColour(this.state.index.get(run.id) ?? 0);
      if (showRaw) series.push({ label: `${run.name} (raw)`, stroke: `${colour}40`, width: 1, spanGaps: true, value: (_u, v) => formatY(v) });
      series.push({ label: run.name, stroke: colour, width: 1.6, spanGaps: true, value: (_u, v) => formatY(v) });
    }
    return {
      width: this.width(),
      height: CHART_HEIGHT,
      legend: { show: this.series.length <= MAX_LEGEND_RUNS, live: true },
      scales: {
        x: { time: options.mode === "wall" },
        y: options.log ? { distr: 3 } : { auto: true },
      },
      axes: [
        { values: options.mode === "relative" ? (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((t) => formatDuration(t)) : options.mode === "step" ? (_u, ticks) => ticks.map(formatNumber) : undefined },
        { values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map(formatNumber), size: 60 },
      ],
      series,
      cursor: { drag: { x: true, y: false, setScale: true }, bind: { dblclick: () => () => null } },
      hooks: {
        setScale: [(/** @type {any} */ u, /** @type {string} */ key) => {
          if (key !== "x" || this.settingData) return;
          const { min, max } = u.scales.x;
          if (min == null || max == null) return;
          const [lo, hi] = this.extent;
          this.zoom = min <= lo && max >= hi ? null : [min, max];
          // Re-decimate for the new range: a zoom shows the points hidden at the wider range.
          queueMicrotask(() => {
            if (this.plot !== u) return;
            this.settingData = true;
            u.setData(this.data(min, max, this.showRaw), false);
            u.setScale("x", { min, max });
            this.settingData = false;
          });
        }],
      },
    };
  }
}

/** @param {number} v @param {string} mode */
function formatX(v, mode) {
  if (v == null) return "";
  if (mode === "wall") return new Date(v * 1000).toLocaleString();
  if (mode === "relative") return formatDuration(v);
  return formatNumber(v);
}

/** @param {number | null} v */
function formatY(v) {
  return v == null ? "–" : formatNumber(v);
}

/** @param {number} seconds */
function formatDuration(seconds) {
  const a = Math.abs(seconds);
  if (a < 120) return `${Number(seconds.toPrecision(3))}s`;
  if (a < 7200) return `${Number((seconds / 60).toPrecision(3))}m`;
  return `${Number((seconds / 3600).toPrecision(3))}h`;
}
