// Spec 3.6: the cartesian product of parameter values, for `runParameterSweep`.

type MatrixRow<T extends Record<string, unknown>> = {
  [K in keyof T]: T[K] extends readonly (infer E)[] ? E : T[K];
};

/**
 * Every combination of the given values: arrays list the values a parameter takes, anything else
 * is constant; the last key varies fastest. An array value itself must be wrapped (`{ sizes:
 * [[1, 2], [3]] }`). No keys give `[{}]`; an empty array gives `[]`.
 *
 * @example
 * paramMatrix({ lr: [0.1, 0.01], name: "a" })
 * // [{ lr: 0.1, name: "a" }, { lr: 0.01, name: "a" }]
 */
export function paramMatrix<T extends Record<string, unknown>>(values: T): MatrixRow<T>[] {
  let rows: Record<string, unknown>[] = [{}];
  for (const [key, value] of Object.entries(values)) {
    const options: readonly unknown[] = Array.isArray(value) ? value : [value];
    rows = rows.flatMap((row) => options.map((option) => ({ ...row, [key]: option })));
  }
  return rows as MatrixRow<T>[];
}
