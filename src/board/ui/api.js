// @ts-check
// The board's API, as the server in src/board/server.ts serves it.

/** @param {string} path */
async function get(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** @returns {Promise<{roots: string[], runs: any[]}>} */
export async function fetchRuns() {
  return (await get("/api/runs")).json();
}

/** @param {string} what @param {string} run @param {string} tag */
export function apiPath(what, run, tag) {
  return `/api/${what}?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`;
}

/**
 * One run's points of one scalar tag.
 * @param {string} run @param {string} tag
 * @returns {Promise<{steps: Float64Array, wallTimes: Float64Array, values: Float64Array}>}
 */
export async function fetchScalars(run, tag) {
  const buffer = await (await get(apiPath("scalars", run, tag))).arrayBuffer();
  const all = new Float64Array(buffer);
  const n = all[0];
  return { steps: all.subarray(1, 1 + n), wallTimes: all.subarray(1 + n, 1 + 2 * n), values: all.subarray(1 + 2 * n, 1 + 3 * n) };
}

/** @param {string} what @param {string} run @param {string} tag @returns {Promise<any[]>} */
export async function fetchEntries(what, run, tag) {
  return (await get(apiPath(what, run, tag))).json();
}
