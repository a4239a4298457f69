// @ts-check
// The runs table: one row per run with its experiment, start, status, parameters and the last and
// best value of each scalar; sorting by any column, filtering, selecting.
import { h, formatTime, formatValue, runColour } from "./dom.js";
import { bestValue, higherIsBetter, lastValue } from "./metrics.js";

/** @typedef {{key: string, label: string, title?: string, value: (run: any) => unknown, numeric?: boolean}} Column */

export class RunsView {
  /** @param {import("./app.js").BoardState} state */
  constructor(state) {
    this.state = state;
    this.sortKey = "start";
    this.sortDescending = true;
    this.filter = "";
    this.showConstant = false;
    this.filterInput = /** @type {HTMLInputElement} */ (h("input", { type: "search", placeholder: "filter: words or key=value", id: "runs-filter", size: 32 }));
    this.filterInput.addEventListener("input", () => {
      this.filter = this.filterInput.value;
      this.update();
    });
    const constant = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "show-constant" }));
    constant.addEventListener("change", () => {
      this.showConstant = constant.checked;
      this.update();
    });
    this.count = h("span", { id: "runs-count" });
    this.table = h("table", { class: "runs", id: "runs-table" });
    this.element = h("section", { id: "runs-view" },
      h("div", { class: "toolbar" }, this.filterInput, h("label", {}, constant, "show parameters equal in every run"), this.count),
      h("div", { class: "table-wrap" }, this.table));
  }

  /** @returns {Column[]} */
  columns() {
    const runs = this.state.runs;
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
    const varying = paramKeys.filter((key) => this.showConstant || runs.length < 2 || new Set(runs.map((r) => JSON.stringify(r.params[key]))).size > 1);
    const tags = [...new Set(runs.flatMap((r) => Object.keys(r.scalars)))].sort();
    /** @type {Column[]} */
    const columns = [
      { key: "name", label: "run", value: (r) => r.name },
      { key: "experiment", label: "experiment", value: (r) => r.experiment },
      { key: "start", label: "start", value: (r) => r.startTime, numeric: true },
      { key: "status", label: "status", value: (r) => r.status },
    ];
    for (const key of varying) columns.push({ key: `p:${key}`, label: key, title: `parameter ${key}`, value: (r) => r.params[key] });
    for (const tag of tags) {
      columns.push({ key: `l:${tag}`, label: `${tag} (last)`, value: (r) => lastValue(r, tag), numeric: true });
      columns.push({ key: `b:${tag}`, label: `${tag} (${higherIsBetter(tag) ? "max" : "min"})`, value: (r) => bestValue(r, tag), numeric: true });
    }
    return columns;
  }

  /** @param {any} run */
  matches(run) {
    const terms = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length === 0) return true;
    const text = [run.name, run.experiment, run.status, ...Object.entries(run.params).map(([k, v]) => `${k}=${formatValue(v)}`)].join("\n").toLowerCase();
    return terms.every((term) => text.includes(term));
  }

  update() {
    const columns = this.columns();
    if (!columns.some((c) => c.key === this.sortKey)) this.sortKey = "start";
    const sortColumn = /** @type {Column} */ (columns.find((c) => c.key === this.sortKey));
    const rows = this.state.runs.filter((r) => this.matches(r));
    rows.sort((a, b) => compare(sortColumn.value(a), sortColumn.value(b), this.sortDescending));
    const selectAll = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", title: "select the runs shown", id: "select-all" }));
    selectAll.checked = rows.length > 0 && rows.every((r) => this.state.selected.has(r.id));
    selectAll.addEventListener("change", () => {
      for (const r of rows) selectAll.checked ? this.state.selected.add(r.id) : this.state.selected.delete(r.id);
      this.state.onSelection();
    });
    const head = h("tr", {}, h("th", {}, selectAll), ...columns.map((c) => {
      const th = h("th", { "data-key": c.key, title: c.title ?? c.label, class: c.key === this.sortKey ? (this.sortDescending ? "sorted-desc" : "sorted-asc") : null }, c.label);
      th.addEventListener("click", () => {
        if (this.sortKey === c.key) this.sortDescending = !this.sortDescending;
        else {
          this.sortKey = c.key;
          this.sortDescending = false;
        }
        this.update();
      });
      return th;
    }));
    const body = rows.map((run) => {
      const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", "data-run-id": run.id, title: "show this run in the other views" }));
      box.checked = this.state.selected.has(run.id);
      box.addEventListener("change", () => {
        box.checked ? this.state.selected.add(run.id) : this.state.selected.delete(run.id);
        this.state.onSelection();
      });
      const cells = columns.map((c) => {
        const v = c.value(run);
        if (c.key === "name") {
          return h("td", { title: run.problems.join("\n") || null },
            h("span", { class: "swatch", style: `background:${runColour(this.state.index.get(run.id) ?? 0)}` }), run.name,
            run.problems.length ? h("span", { class: "problems" }, " ⚠") : null);
        }
        if (c.key === "status") return h("td", {}, h("span", { class: `status status-${run.status}` }, run.status));
        if (c.key === "start") return h("td", {}, formatTime(run.startTime));
        return h("td", { class: c.numeric || typeof v === "number" ? "num" : null }, formatValue(v));
      });
      return h("tr", { "data-run-id": run.id, class: this.state.selected.has(run.id) ? "selected" : null }, h("td", {}, box), ...cells);
    });
    this.table.replaceChildren(h("thead", {}, head), h("tbody", {}, ...body));
    this.count.textContent = `${rows.length} of ${this.state.runs.length} runs`;
  }
}

/**
 * Numbers (numerically) before strings before missing values; the direction flips the first two,
 * missing values stay last.
 * @param {unknown} a @param {unknown} b @param {boolean} descending
 */
function compare(a, b, descending) {
  const rank = (/** @type {unknown} */ v) => (v === undefined || v === null || (typeof v === "number" && Number.isNaN(v)) ? 2 : typeof v === "number" ? 0 : 1);
  const ra = rank(a), rb = rank(b);
  if (ra === 2 || rb === 2) return ra === rb ? 0 : ra === 2 ? 1 : -1;
  const order = ra !== rb ? ra - rb : ra === 0 ? /** @type {number} */ (a) - /** @type {number} */ (b) : String(a).localeCompare(String(b), undefined, { numeric: true });
  return descending ? -order : order;
}
