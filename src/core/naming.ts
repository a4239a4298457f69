// The names of a parameter: its CLI flag (`--output-dir`) and implicit environment variable
// (`PYSTEMATIC_OUTPUT_DIR`) from its camelCase key, the key's own check, and "did you mean"
// suggestions. The spellings themselves are src/util/naming.ts.
import { toKebabCase, toSnakeCase } from "../util/naming.js";

/** The CLI flag of a parameter key: `outputDir` -> `--output-dir`. */
export function toFlag(name: string): string {
  return `--${toKebabCase(name)}`;
}

/** The implicit environment variable of a parameter key: `outputDir` -> `PYSTEMATIC_OUTPUT_DIR`. */
export function toEnvVar(name: string): string {
  return `PYSTEMATIC_${toSnakeCase(name).toUpperCase()}`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws unless `name` can be a parameter key (a plain JavaScript identifier). */
export function assertParameterName(name: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`Invalid parameter name '${name}': must be a valid identifier (letters, digits, '_').`);
  }
}

/** The Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The candidates closest to `word` (at most 3), nearest first; empty when none is close. */
export function closestNames(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(word.length * 0.4));
  return candidates
    .map((c) => ({ c, d: editDistance(word.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= limit || c.startsWith(word) || (word.length >= 3 && c.includes(word)))
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map(({ c }) => c);
}
