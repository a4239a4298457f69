// Spellings of one identifier: camelCase (JS names, option keys), snake_case (Python's names,
// parameters.yaml keys) and kebab-case (CLI flags, experiment names). Used by the core and the
// torch binding alike, so it depends on neither.

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
