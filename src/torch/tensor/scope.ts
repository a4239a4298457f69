// Deterministic release: `tidy(fn)` frees every tensor created inside `fn` except those it
// returns (found anywhere in the returned value) and those passed to `keep()`.

export interface Releasable {
  dispose(): void;
}

const scopes: Set<Releasable>[] = [];

/** Called for every new tensor: remembers it in the innermost open scope. */
export function track(t: Releasable): void {
  const n = scopes.length;
  if (n !== 0) scopes[n - 1]!.add(t);
}

/**
 * Takes `t` out of every open scope: it is never freed by a `tidy` (module parameters and
 * buffers, which live as long as their module).
 */
export function untrack(t: Releasable): void {
  for (const scope of scopes) scope.delete(t);
}

/** Lets `t` outlive the innermost `tidy` scope (it moves to the enclosing one, if any). */
export function keep<T extends Releasable>(t: T): T {
  const n = scopes.length;
  if (n !== 0) {
    scopes[n - 1]!.delete(t);
    if (n > 1) scopes[n - 2]!.add(t);
  }
  return t;
}

/**
 * Runs `fn` and frees every tensor it created, except those in its result (a tensor, or arrays,
 * plain objects and Maps holding tensors) and those kept with `keep()`. Nested scopes hand the
 * survivors to the enclosing scope. `fn` must be synchronous: a scope cannot span an `await`.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Releasable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw error;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) t.dispose();
    throw new TypeError("tidy(fn): fn returned a Promise; tidy scopes must be synchronous");
  }
  const survivors = new Set<Releasable>();
  collect(result, scope, survivors, new Set());
  for (const t of scope) if (!survivors.has(t)) t.dispose();
  const outer = scopes[scopes.length - 1];
  if (outer) for (const t of survivors) outer.add(t);
  return result;
}

function collect(value: unknown, scope: Set<Releasable>, out: Set<Releasable>, seen: Set<object>): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (scope.has(value as Releasable)) {
    out.add(value as Releasable);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, scope, out, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) collect(v, scope, out, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    for (const v of Object.values(value)) collect(v, scope, out, seen);
  }
}
