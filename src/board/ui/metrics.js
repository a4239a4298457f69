// @ts-check
// Which way is better for a scalar: accuracies and rewards go up, losses and errors go down.
const HIGHER_IS_BETTER = /acc|accuracy|auc|f1|precision|recall|score|iou|map\b|reward|return|bleu|rouge|psnr|ssim/i;

/** @param {string} tag */
export function higherIsBetter(tag) {
  return HIGHER_IS_BETTER.test(tag) && !/loss|error|err\b/i.test(tag);
}

/** A run's best value of a tag (its max or min), or undefined. @param {any} run @param {string} tag */
export function bestValue(run, tag) {
  const s = run.scalars[tag];
  if (!s) return undefined;
  return num(higherIsBetter(tag) ? s.max : s.min);
}

/** @param {any} run @param {string} tag */
export function lastValue(run, tag) {
  const s = run.scalars[tag];
  return s ? num(s.last) : undefined;
}

/** JSON carries NaN and ±Infinity as strings. @param {unknown} v */
export function num(v) {
  return typeof v === "string" ? Number(v) : /** @type {number} */ (v);
}
