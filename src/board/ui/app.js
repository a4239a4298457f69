// @ts-check
// The board's single page: the runs list, polled from the server, and the selected view. The
// selection of runs is shared by every view; views redraw only what changed on each poll.
import { fetchRuns } from "./api.js";
import { h } from "./dom.js";
import { RunsView } from "./runs-view.js";
import { ScalarsView } from "./scalars-view.js";
import { SweepView } from "./sweep-view.js";
import { ImagesView, HistogramsView, TextView, HParamsView } from "./media-views.js";

const POLL_MS = 1000;
const AUTO_SELECT = 50;

/**
 * What every view sees.
 * @typedef {{ runs: any[], byId: Map<string, any>, index: Map<string, number>, selected: Set<string>,
 *   onSelection: () => void }} BoardState
 */

/** @type {BoardState} */
const state = {
  runs: [],
  byId: new Map(),
  index: new Map(),
  selected: new Set(),
  onSelection: () => {
    updateSelectionCount();
    current?.update();
  },
};

/** @type {Record<string, new (state: BoardState) => {element: HTMLElement, update(): void, dispose?(): void}>} */
const VIEWS = {
  runs: RunsView,
  scalars: ScalarsView,
  sweep: SweepView,
  images: ImagesView,
  histograms: HistogramsView,
  text: TextView,
  hparams: HParamsView,
};

/** @type {{element: HTMLElement, update(): void, dispose?(): void} | null} */
let current = null;
let currentName = "";
let firstLoad = true;

function show(/** @type {string} */ name) {
  if (!(name in VIEWS)) name = "runs";
  current?.dispose?.();
  currentName = name;
  for (const button of document.querySelectorAll("#tabs button")) {
    button.classList.toggle("active", button.getAttribute("data-view") === name);
  }
  const main = /** @type {HTMLElement} */ (document.getElementById("view"));
  current = new VIEWS[name](state);
  main.replaceChildren(current.element);
  current.update();
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

function updateSelectionCount() {
  const el = document.getElementById("selection-count");
  if (el) el.textContent = `${state.selected.size} of ${state.runs.length} runs selected`;
}

async function poll() {
  try {
    const { runs } = await fetchRuns();
    const before = JSON.stringify(state.runs.map((r) => [r.id, r.revision, r.status, r.sweep?.id ?? null, r.problems.length, Object.keys(r.params).length]));
    // New runs (a sweep starting members, say) join the selection while it is small.
    if (!firstLoad) for (const run of runs) if (!state.byId.has(run.id) && state.selected.size < AUTO_SELECT) state.selected.add(run.id);
    state.runs = runs;
    state.byId = new Map(runs.map((r) => [r.id, r]));
    state.index = new Map(runs.map((r, i) => [r.id, i]));
    for (const id of [...state.selected]) if (!state.byId.has(id)) state.selected.delete(id);
    if (firstLoad) {
      // Up to AUTO_SELECT runs start selected, as TensorBoard shows every run.
      for (const run of runs.slice(0, AUTO_SELECT)) state.selected.add(run.id);
      firstLoad = false;
      updateSelectionCount();
      show(location.hash.slice(1) || "runs");
    } else {
      const after = JSON.stringify(runs.map((r) => [r.id, r.revision, r.status, r.sweep?.id ?? null, r.problems.length, Object.keys(r.params).length]));
      if (after !== before) {
        updateSelectionCount();
        current?.update();
      }
    }
    const live = document.getElementById("live");
    if (live) {
      live.textContent = `live · ${new Date().toLocaleTimeString()}`;
      live.dataset.revision = String(runs.reduce((n, r) => n + r.revision, 0));
    }
  } catch (error) {
    const live = document.getElementById("live");
    if (live) live.textContent = `not reachable: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

for (const button of document.querySelectorAll("#tabs button")) {
  button.addEventListener("click", () => show(button.getAttribute("data-view") ?? "runs"));
}
window.addEventListener("hashchange", () => {
  if (location.hash.slice(1) !== currentName && !firstLoad) show(location.hash.slice(1));
});
document.getElementById("view")?.replaceChildren(h("p", { class: "empty" }, "Loading runs…"));
void poll();
