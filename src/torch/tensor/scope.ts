// Deterministic release: `tidy(fn)` frees every tensor created inside `fn` except those it
// returns (found anywhere in the returned value) and those passed to `keep()`.
//
// Handles are recycled: a tensor freed at the end of a scope gives its native handle (an empty
// box) back to a pool, and ops made inside a later scope write their results into pooled handles
// instead of creating new ones. Creating a handle costs an allocation and a V8 weak reference
// (native/binding/handles.cpp); a pooled one costs nothing. A recycled
// tensor's own handle is replaced by a disposed one first, so using it afterwards throws, as with
// any disposed tensor.

export interface Releasable {
  dispose(): void;
  /**
   * Frees the tensor and hands its native handle over for reuse (undefined when it has none to
   * give, e.g. it was recycled already). Afterwards the object behaves as a disposed tensor.
   */
  _recycle?(): unknown;
}

interface Scope {
  /** Everything created in the scope, in creation order. */
  readonly items: Releasable[];
  /** Items taken out since (keep, untrack); rare, so made on first use. */
  removed: Set<Releasable> | undefined;
}

const scopes: Scope[] = [];
// Closed scopes, reused: a fresh `items` array starts with small-integer elements and turns to
// object elements at its first push, so the push site saw two array kinds and V8 called the
// generic push builtin instead of inlining it (~2 % of a 1-element op inside tidy).
const spareScopes: Scope[] = [];

/** Empty handles ready for reuse; bounded so a burst of frees does not pin memory forever. */
const pool: unknown[] = [];
const POOL_MAX = 8192;

/**
 * A free handle for an op's result while a scope is open, else undefined (the op then makes a
 * fresh one). The result is tracked by the innermost scope like any other tensor.
 */
export function takeHandle<H>(): H | undefined {
  return scopes.length !== 0 ? (pool.pop() as H | undefined) : undefined;
}

/** Puts an empty handle in the pool: a freed tensor's, or one from takeHandle() an op did not use. */
export function returnHandle(h: unknown): void {
  if (pool.length < POOL_MAX) pool.push(h);
}

/** Called for every new tensor: remembers it in the innermost open scope. */
export function track(t: Releasable): void {
  const n = scopes.length;
  if (n !== 0) scopes[n - 1]!.items.push(t);
}

function remove(scope: Scope, t: Releasable): void {
  (scope.removed ??= new Set()).add(t);
}

/**
 * Takes `t` out of every open scope: it is never freed by a `tidy` (module parameters and
 * buffers, which live as long as their module).
 */
export function untrack(t: Releasable): void {
  for (const scope of scopes) remove(scope, t);
}

/** Lets `t` outlive the innermost `tidy` scope (it moves to the enclosing one, if any). */
export function keep<T extends Releasable>(t: T): T {
  const n = scopes.length;
  if (n !== 0) {
    remove(scopes[n - 1]!, t);
    if (n > 1) scopes[n - 2]!.items.push(t);
  }
  return t;
}

function release(t: Releasable): void {
  if (t._recycle === undefined) {
    t.dispose();
    return;
  }
  const h = t._recycle();
  if (h !== undefined) returnHandle(h);
}

/** Frees what `scope` holds, except `survivors`, which move to the enclosing scope. */
function close(scope: Scope, survivors: Set<Releasable> | undefined): void {
  const outer = scopes[scopes.length - 1];
  const { items, removed } = scope;
  for (let i = 0; i < items.length; i++) {
    const t = items[i]!;
    if (removed !== undefined && removed.has(t)) continue;
    if (survivors !== undefined && survivors.has(t)) {
      if (outer) outer.items.push(t);
    } else {
      release(t);
    }
  }
}

/**
 * Runs `fn` and frees every tensor it created, except those in its result (a tensor, or arrays,
 * plain objects and Maps holding tensors) and those kept with `keep()`. Nested scopes hand the
 * survivors to the enclosing scope. `fn` must be synchronous: a scope cannot span an `await`.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scope = spareScopes.pop() ?? { items: [], removed: undefined };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    closeAndRecycle(scope, undefined);
    throw error;
  }
  scopes.pop();
  if (result instanceof Promise) {
    closeAndRecycle(scope, undefined);
    throw new TypeError("tidy(fn): fn returned a Promise; tidy scopes must be synchronous");
  }
  closeAndRecycle(scope, collect(result, undefined, new Set()));
  return result;
}

function closeAndRecycle(scope: Scope, survivors: Set<Releasable> | undefined): void {
  try {
    close(scope, survivors);
  } finally {
    scope.items.length = 0;
    scope.removed = undefined;
    if (spareScopes.length < 64) spareScopes.push(scope);
  }
}

/** The releasable objects found in `value` (tensors, and those in arrays, Maps, plain objects). */
function collect(value: unknown, out: Set<Releasable> | undefined, seen: Set<object>): Set<Releasable> | undefined {
  if (typeof value !== "object" || value === null || seen.has(value)) return out;
  seen.add(value);
  // Tensors are leaves; a plain object with a dispose method is still searched below.
  if (typeof (value as Releasable).dispose === "function") (out ??= new Set()).add(value as Releasable);
  if (Array.isArray(value)) {
    for (const v of value) out = collect(v, out, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) out = collect(v, out, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    for (const v of Object.values(value)) out = collect(v, out, seen);
  }
  return out;
}
