// The seeds-era contexts wrap what is assigned into them: plain arrays become ContextLists and
// plain objects ContextDicts (recursively), so nested containers move and save with the session.
import { ContextDict } from "./context-dict.js";
import { ContextList } from "./context-list.js";

export function wrapValue(value: unknown): unknown {
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) return new ContextList(value);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return new ContextDict(value as Record<string, unknown>);
  }
  return value;
}
