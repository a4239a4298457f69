// @ts-check
// Sweep: a parallel-coordinates view of a sweep's members (the sweep driver's sweep.json): one
// axis per overridden parameter and one for the chosen metric, one line per member coloured by
// the metric. Clicking a line selects (or deselects) its run.
import { h, s, formatNumber, formatValue } from "./dom.js";
import { bestValue, higherIsBetter, lastValue } from "./metrics.js";

const WIDTH = 960, HEIGHT = 420, TOP = 40, BOTTOM = 30, SIDE = 70;

export class SweepView {
  /** @param {import("./app.js").BoardState} state */
  constructor(state) {
    this.state = state;
    this.sweepSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "sweep-select" }));
    this.metricSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "sweep-metric" }));
    this.aggregate = /** @type {HTMLSelectElement} */ (h("select", { id: "sweep-aggregate" }, h("option", { value: "last" }, "last"), h("option", { value: "best" }, "best")));
    for (const el of [this.sweepSelect, this.metricSelect, this.aggregate]) el.addEventListener("change", () => this.update());
    this.plot = h("div", { id: "sweep-plot" });
    this.table = h("table", { class: "plain", id: "sweep-members" });
    this.element = h("section", { id: "sweep-view" },
      h("div", { class: "toolbar" }, h("label", {}, "sweep", this.sweepSelect), h("label", {}, "metric", this.metricSelect), h("label", {}, this.aggregate)),
      this.plot, h("div", { class: "table-wrap" }, this.table));
  }

  update() {
    const sweeps = new Map();
    for (const run of this.state.runs) if (run.sweep) sweeps.set(run.sweep.id, [...(sweeps.get(run.sweep.id) ?? []), run]);
    if (sweeps.size === 0) {
      this.plot.replaceChildren(h("p", { class: "empty" }, "No sweeps: runParameterSweep() marks each member's run directory with sweep.json."));
      this.table.replaceChildren();
      return;
    }
    setOptions(this.sweepSelect, [...sweeps.keys()].sort().reverse().map((id) => [id, `${id} (${sweeps.get(id).length} runs)`]));
    const members = [...sweeps.get(this.sweepSelect.value)].sort((a, b) => a.sweep.index - b.sweep.index);
    const tags = [...new Set(members.flatMap((r) => Object.keys(r.scalars)))].sort();
    setOptions(this.metricSelect, tags.map((t) => [t, t]));
    const tag = this.metricSelect.value;
    const metric = (/** @type {any} */ r) => (this.aggregate.value === "best" ? bestValue(r, tag) : lastValue(r, tag));
    const keys = [...new Set(members.flatMap((r) => Object.keys(r.sweep.overrides)))].sort();
    const axes = keys.map((key) => axisFor(key, members.map((r) => r.sweep.overrides[key])));
    const metricLabel = tag ? `${tag} (${this.aggregate.value === "best" ? (higherIsBetter(tag) ? "max" : "min") : "last"})` : "no metric";
    axes.push(axisFor(metricLabel, members.map(metric)));
    this.drawPlot(members, keys, axes, metric);
    this.table.replaceChildren(
      h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "run"), h("th", {}, "status"), ...keys.map((k) => h("th", {}, k)), h("th", {}, metricLabel))),
      h("tbody", {}, ...members.map((r) => h("tr", { "data-run-id": r.id, class: this.state.selected.has(r.id) ? "selected" : null },
        h("td", {}, r.sweep.index), h("td", {}, r.name), h("td", {}, h("span", { class: `status status-${r.status}` }, r.status)),
        ...keys.map((k) => h("td", {}, formatValue(r.sweep.overrides[k]))), h("td", {}, formatValue(metric(r)))))));
  }

  /** @param {any[]} members @param {string[]} keys @param {Axis[]} axes @param {(r: any) => number | undefined} metric */
  drawPlot(members, keys, axes, metric) {
    const step = axes.length > 1 ? (WIDTH - 2 * SIDE) / (axes.length - 1) : 0;
    const xAt = (/** @type {number} */ i) => SIDE + i * step;
    const yAt = (/** @type {number} */ t) => TOP + (1 - t) * (HEIGHT - TOP - BOTTOM);
    const svg = s("svg", { class: "parallel", id: "parallel-coordinates", width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}` });
    const metricAxis = axes[axes.length - 1];
    const colourOf = (/** @type {any} */ r) => {
      const t = metricAxis.position(metric(r));
      return t === null ? "#999" : gradient(higherIsBetter(this.metricSelect.value) ? t : 1 - t);
    };
    for (const r of members) {
      const points = axes.map((axis, i) => {
        const value = i < keys.length ? r.sweep.overrides[keys[i]] : metric(r);
        const t = axis.position(value);
        return t === null ? null : `${xAt(i).toFixed(1)},${yAt(t).toFixed(1)}`;
      });
      const d = points.map((p, i) => (p === null ? "" : `${i === 0 || points[i - 1] === null ? "M" : "L"}${p}`)).join(" ");
      const path = s("path", { d, stroke: colourOf(r), class: `member${this.state.selected.has(r.id) ? " selected" : ""}${r.status === "failed" ? " failed" : ""}`, "data-run-id": r.id },
        s("title", {}, `${r.name} (${r.status})`));
      path.addEventListener("click", () => {
        this.state.selected.has(r.id) ? this.state.selected.delete(r.id) : this.state.selected.add(r.id);
        this.state.onSelection();
      });
      svg.append(path);
    }
    axes.forEach((axis, i) => {
      const g = s("g", { class: "axis" }, s("line", { x1: xAt(i), x2: xAt(i), y1: TOP, y2: HEIGHT - BOTTOM }),
        s("text", { class: "axis-title", x: xAt(i), y: TOP - 18, "text-anchor": "middle", "font-weight": "bold" }, axis.label));
      for (const tick of axis.ticks) {
        g.append(s("line", { x1: xAt(i) - 4, x2: xAt(i), y1: yAt(tick.t), y2: yAt(tick.t) }),
          s("text", { x: xAt(i) - 6, y: yAt(tick.t) + 4, "text-anchor": "end" }, tick.label));
      }
      svg.append(g);
    });
    this.plot.replaceChildren(svg);
  }
}

/** @typedef {{label: string, position: (v: unknown) => number | null, ticks: {t: number, label: string}[]}} Axis */

/** A numeric axis (log when positive and spanning over two decades) or a categorical one. @param {string} label @param {unknown[]} values @returns {Axis} */
function axisFor(label, values) {
  const numbers = values.filter((v) => typeof v === "number" && Number.isFinite(v)).map(Number);
  const present = values.filter((v) => v !== undefined && v !== null);
  if (numbers.length > 0 && numbers.length === present.length) {
    let lo = Math.min(...numbers), hi = Math.max(...numbers);
    const log = lo > 0 && hi / lo > 100;
    const f = (/** @type {number} */ v) => (log ? Math.log10(v) : v);
    const [a, b] = lo === hi ? [f(lo) - 1, f(hi) + 1] : [f(lo), f(hi)];
    const position = (/** @type {unknown} */ v) => (typeof v === "number" && Number.isFinite(v) && (!log || v > 0) ? (f(v) - a) / (b - a) : null);
    const ticks = [...new Set([lo, (lo + hi) / 2, hi])].map((v) => ({ t: /** @type {number} */ (position(log ? v : v)), label: formatNumber(v) })).filter((t) => t.t !== null);
    if (log) ticks.splice(1, 1, { t: /** @type {number} */ (position(Math.sqrt(lo * hi))), label: formatNumber(Math.sqrt(lo * hi)) });
    return { label, position, ticks };
  }
  const categories = [...new Set(present.map((v) => JSON.stringify(v)))].sort();
  const position = (/** @type {unknown} */ v) => {
    const i = categories.indexOf(JSON.stringify(v));
    return i < 0 ? null : categories.length === 1 ? 0.5 : i / (categories.length - 1);
  };
  return { label, position, ticks: categories.map((c) => ({ t: /** @type {number} */ (position(JSON.parse(c))), label: formatValue(JSON.parse(c)) })) };
}

/** Dark blue (worst) to yellow (best). @param {number} t */
function gradient(t) {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
  return `rgb(${c.join(",")})`;
}

/** Replaces a select's options, keeping the chosen value when still offered. @param {HTMLSelectElement} select @param {[string, string][]} options */
function setOptions(select, options) {
  const keep = select.value;
  const same = select.options.length === options.length && options.every(([v, l], i) => select.options[i].value === v && select.options[i].textContent === l);
  if (!same) select.replaceChildren(...options.map(([value, label]) => h("option", { value }, label)));
  if (options.some(([v]) => v === keep)) select.value = keep;
}
