// @ts-check
// Images (and figures) with a step slider, histograms over steps, text summaries and the HPARAMS
// of Recorder.params(): one card per selected run and tag, refetched when the run changes.
import { apiPath, fetchEntries } from "./api.js";
import { h, s, formatNumber, formatValue, runColour } from "./dom.js";
import { lastValue } from "./metrics.js";

/** Cards for each (selected run, tag) of one kind; a card is rebuilt only when its run changed. */
class TaggedCardsView {
  /**
   * @param {import("./app.js").BoardState} state @param {string} kind the run summary's tag list
   * @param {string} id @param {string} emptyText
   */
  constructor(state, kind, id, emptyText) {
    this.state = state;
    this.kind = kind;
    this.emptyText = emptyText;
    /** @type {Map<string, {revision: number, card: HTMLElement}>} */
    this.cards = new Map();
    this.grid = h("div", { class: "cards", id: `${id}-cards` });
    this.message = h("p", { class: "empty" });
    this.element = h("section", { id: `${id}-view` }, this.message, this.grid);
  }

  update() {
    const wanted = [];
    for (const run of this.state.runs) {
      if (!this.state.selected.has(run.id)) continue;
      for (const tag of run[this.kind]) wanted.push({ run, tag, key: `${run.id}\n${tag}` });
    }
    this.message.textContent = wanted.length === 0 ? this.emptyText : "";
    const keys = new Set(wanted.map((w) => w.key));
    for (const key of [...this.cards.keys()]) if (!keys.has(key)) this.cards.delete(key);
    const cards = wanted.map(({ run, tag, key }) => {
      const known = this.cards.get(key);
      if (known && known.revision === run.revision) return known.card;
      const card = h("div", { class: `card ${this.kind}-card`, "data-run-id": run.id, "data-tag": tag },
        h("h3", {}, h("span", { class: "swatch", style: `background:${runColour(this.state.index.get(run.id) ?? 0)}` }), tag, " ", h("span", { class: "sub" }, run.name)));
      const previous = known?.card;
      this.cards.set(key, { revision: run.revision, card });
      void this.fill(card, run, tag, previous).catch((error) => card.append(h("p", { class: "problems" }, String(error))));
      return previous ?? card;
    });
    this.grid.replaceChildren(...cards);
  }

  /** Fills `card`, then puts it in place of `previous` (so a refresh does not flicker). @param {HTMLElement} card @param {any} run @param {string} tag @param {HTMLElement | undefined} previous */
  async fill(card, run, tag, previous) {
    await this.render(card, run, tag, previous);
    if (previous && previous.isConnected) previous.replaceWith(card);
  }

  /** @param {HTMLElement} _card @param {any} _run @param {string} _tag @param {HTMLElement | undefined} _previous */
  async render(_card, _run, _tag, _previous) {}
}

export class ImagesView extends TaggedCardsView {
  /** @param {import("./app.js").BoardState} state */
  constructor(state) {
    super(state, "images", "images", "The selected runs have no images or figures.");
  }

  /** @param {HTMLElement} card @param {any} run @param {string} tag @param {HTMLElement | undefined} previous */
  async render(card, run, tag, previous) {
    const entries = await fetchEntries("images", run.id, tag);
    const slider = /** @type {HTMLInputElement} */ (h("input", { type: "range", class: "step-slider", min: 0, max: Math.max(0, entries.length - 1), value: entries.length - 1 }));
    const previousSlider = /** @type {HTMLInputElement | null | undefined} */ (previous?.querySelector(".step-slider"));
    // Stay on the step looked at, unless it was the newest: then follow new steps.
    if (previousSlider && previousSlider.value !== previousSlider.max) slider.value = previousSlider.value;
    const label = h("span", { class: "step-label" });
    const img = /** @type {HTMLImageElement} */ (h("img", { alt: `${tag} at the chosen step` }));
    const show = () => {
      const i = Number(slider.value);
      const entry = entries[i];
      if (!entry) return;
      label.textContent = `step ${entry.step} (${i + 1} of ${entries.length}) · ${entry.width}×${entry.height}`;
      img.src = `${apiPath("image", run.id, tag)}&index=${i}`;
    };
    slider.addEventListener("input", show);
    show();
    card.classList.add("image-card");
    card.append(h("div", {}, slider, " ", label), img);
  }
}

export class HistogramsView extends TaggedCardsView {
  /** @param {import("./app.js").BoardState} state */
  constructor(state) {
    super(state, "histograms", "histograms", "The selected runs have no histograms.");
  }

  /** @param {HTMLElement} card @param {any} run @param {string} tag */
  async render(card, run, tag) {
    const entries = await fetchEntries("histograms", run.id, tag);
    card.append(histogramOffsetChart(entries, runColour(this.state.index.get(run.id) ?? 0)));
  }
}

const BINS = 30;
const MAX_STEPS = 40;

/**
 * TensorBoard's "offset" histogram view: each step's distribution, rebinned into equal bins over
 * the range of all steps, drawn one behind the other (oldest at the back, highest).
 * @param {{step: number, histogram: {buckets: number[], min: number, max: number}}[]} entries @param {string} colour
 */
function histogramOffsetChart(entries, colour) {
  const width = 500, height = 280, left = 56, right = 40, top = 10, bottom = 24;
  const shown = entries.length <= MAX_STEPS ? entries : Array.from({ length: MAX_STEPS }, (_, i) => entries[Math.round((i * (entries.length - 1)) / (MAX_STEPS - 1))]);
  let lo = Infinity, hi = -Infinity;
  for (const e of shown) {
    lo = Math.min(lo, e.histogram.min);
    hi = Math.max(hi, e.histogram.max);
  }
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const binned = shown.map((e) => rebin(e.histogram.buckets, lo, hi));
  const peak = Math.max(1e-12, ...binned.flat());
  const rows = shown.length;
  const offset = rows > 1 ? (height - top - bottom) * 0.5 / (rows - 1) : 0;
  const ridge = (height - top - bottom) * 0.5;
  const svg = s("svg", { class: "histogram", width, height, viewBox: `0 0 ${width} ${height}` });
  const x = (/** @type {number} */ v) => left + ((v - lo) / (hi - lo)) * (width - left - right);
  binned.forEach((counts, r) => {
    const base = top + ridge + r * offset;
    const binWidth = (hi - lo) / BINS;
    const pts = counts.map((c, i) => `${x(lo + (i + 0.5) * binWidth).toFixed(1)},${(base - (c / peak) * ridge).toFixed(1)}`);
    const d = `M${x(lo).toFixed(1)},${base.toFixed(1)} L${pts.join(" L")} L${x(hi).toFixed(1)},${base.toFixed(1)}`;
    const shade = 0.25 + 0.75 * (rows > 1 ? r / (rows - 1) : 1);
    svg.append(s("path", { d, fill: colour, "fill-opacity": (0.15 * shade).toFixed(2), stroke: colour, "stroke-opacity": shade.toFixed(2), "data-step": shown[r].step },
      s("title", {}, `step ${shown[r].step}`)));
  });
  for (const v of [lo, (lo + hi) / 2, hi]) {
    const shown = Math.abs(v) < 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)) ? 0 : Number(v.toPrecision(3));
    svg.append(s("text", { x: x(v), y: height - 6, "text-anchor": "middle", "font-size": 11 }, formatNumber(shown)));
  }
  svg.append(s("text", { x: 4, y: top + ridge, "font-size": 11 }, `step ${shown[0]?.step ?? ""}`));
  svg.append(s("text", { x: 4, y: top + ridge + (rows - 1) * offset, "font-size": 11 }, `step ${shown[rows - 1]?.step ?? ""}`));
  return svg;
}

/** Spreads each bucket's count over the equal bins it overlaps, in proportion. @param {number[]} buckets @param {number} lo @param {number} hi */
function rebin(buckets, lo, hi) {
  const counts = new Array(BINS).fill(0);
  const w = (hi - lo) / BINS;
  for (let i = 0; i + 2 < buckets.length; i += 3) {
    const left = buckets[i], right = buckets[i + 1], count = buckets[i + 2];
    if (right <= left) {
      counts[Math.min(BINS - 1, Math.max(0, Math.floor((left - lo) / w)))] += count;
      continue;
    }
    for (let b = Math.max(0, Math.floor((left - lo) / w)); b < BINS && lo + b * w < right; b++) {
      const overlap = Math.min(right, lo + (b + 1) * w) - Math.max(left, lo + b * w);
      if (overlap > 0) counts[b] += (count * overlap) / (right - left);
    }
  }
  return counts;
}

export class TextView extends TaggedCardsView {
  /** @param {import("./app.js").BoardState} state */
  constructor(state) {
    super(state, "texts", "text", "The selected runs have no text summaries.");
  }

  /** @param {HTMLElement} card @param {any} run @param {string} tag */
  async render(card, run, tag) {
    const entries = await fetchEntries("texts", run.id, tag);
    // Newest first, as text summaries are read; shown as text, never as markup.
    for (const e of [...entries].reverse()) card.append(h("div", { class: "text-entry" }, h("div", { class: "sub" }, `step ${e.step}`), h("pre", {}, e.text)));
  }
}

export class HParamsView {
  /** @param {import("./app.js").BoardState} state */
  constructor(state) {
    this.state = state;
    this.table = h("table", { class: "runs", id: "hparams-table" });
    this.message = h("p", { class: "empty" });
    this.element = h("section", { id: "hparams-view" }, this.message, h("div", { class: "table-wrap" }, this.table));
  }

  update() {
    const runs = this.state.runs.filter((r) => Object.keys(r.hparams).length > 0);
    this.message.textContent = runs.length === 0 ? "No run recorded hyperparameters (Recorder.params())." : "";
    const keys = [...new Set(runs.flatMap((r) => Object.keys(r.hparams)))].sort();
    const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.scalars)))].sort();
    this.table.replaceChildren(
      h("thead", {}, h("tr", {}, h("th", {}, "run"), h("th", {}, "status"), ...keys.map((k) => h("th", {}, k)), ...metrics.map((m) => h("th", {}, m)))),
      h("tbody", {}, ...runs.map((r) => h("tr", { "data-run-id": r.id, class: this.state.selected.has(r.id) ? "selected" : null },
        h("td", {}, r.name), h("td", {}, h("span", { class: `status status-${r.status}` }, r.status)),
        ...keys.map((k) => h("td", {}, formatValue(r.hparams[k]))), ...metrics.map((m) => h("td", { class: "num" }, formatValue(lastValue(r, m))))))));
  }
}
