// Name conversions between the three spellings of a parameter: camelCase keys in `params`,
// kebab-case CLI flags (`--output-dir`) and snake_case keys in parameters.yaml (`output_dir`), so
// that params files written by Python pystematic load here and the other way round.

/** Splits an identifier into lower-case words: `useGPU` -> ["use", "gpu"], `fc1Size` -> ["fc1", "size"]. */
function words(name: string): string[] {
  const out: string[] = [];
  let word = "";
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === "_" || ch === "-") {
      out.push(word);
      word = "";
      continue;
    }
    const isUpper = ch >= "A" && ch <= "Z";
    if (isUpper && word !== "") {
      const prev = name[i - 1]!;
      const next = name[i + 1];
      const prevLowerOrDigit = (prev >= "a" && prev <= "z") || (prev >= "0" && prev <= "9");
      const prevUpper = prev >= "A" && prev <= "Z";
      const nextLower = next !== undefined && next >= "a" && next <= "z";
      // A new word starts after a lower-case letter or digit, and at the last capital of a run.
      if (prevLowerOrDigit || (prevUpper && nextLower)) {
        out.push(word);
        word = "";
      }
    }
    word += ch.toLowerCase();
  }
  out.push(word);
  return out;
}

/** `outputDir` -> `output_dir`, `useGPU` -> `use_gpu`. */
export function toSnakeCase(name: string): string {
  return words(name).join("_");
}

/** `outputDir` -> `output-dir`, `my_exp` -> `my-exp`. */
export function toKebabCase(name: string): string {
  return words(name).join("-");
}

/** `output_dir` or `output-dir` -> `outputDir`. */
export function toCamelCase(name: string): string {
  return name.replace(/[_-]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

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
