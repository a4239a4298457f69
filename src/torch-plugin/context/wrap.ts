// The seeds-era contexts wrap what is assigned into them: plain arrays become ContextLists and
// plain objects ContextDicts (recursively), so nested containers move and save with the session.
import { ContextDict } from "./context-dict.js";
import { ContextList } from "./context-list.js";
import { isMovable, isStateful } from "./items.js";

export function wrapValue(value: unknown): unknown {
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) return new ContextList(value);
  // Object literals with their own state or `to()` are objects in their own right, not dicts.
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype && !isStateful(value) && !isMovable(value)) {
    return new ContextDict(value as Record<string, unknown>);
  }
  return value;
}
