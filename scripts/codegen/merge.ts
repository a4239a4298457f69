// One list of operator overloads from several libtorch versions' native_functions.yaml: each
// overload (`name.overload`) once, typed by the newest schema that has it and tagged with the
// versions that have it.
import { parseSchema, type Schema } from "./schema.js";

export interface YamlEntry {
  func: string;
  variants?: string;
  python_module?: string;
  /** Overloads (`name.overload`) torchgen derives from this one (mostly `.out`): the dispatcher has them too. */
  autogen?: string;
}

export interface VersionedSchema {
  /** The newest version's schema of this overload. */
  schema: Schema;
  /** Versions (major.minor, oldest first) whose yaml has this overload. */
  versions: string[];
  /** Schema text per version where it differs from the newest one's. */
  olderTexts: Map<string, string>;
  /** Union over versions (the dispatcher knows no variants: a method of 2.6 works on 1.13). */
  variants: Set<string>;
  /** The newest version's python_module. */
  module?: string;
}

const key = (s: Schema): string => `${s.name}.${s.overload}`;

/**
 * Merges `yamls` (version -> entries; versions oldest first). The order is the newest yaml's,
 * each overload only older versions have placed right after the overload preceding it in the
 * newest of those versions, so every version's own overloads keep their relative order (the
 * order the op engine tries them in).
 */
export function mergeVersions(yamls: ReadonlyMap<string, readonly YamlEntry[]>): VersionedSchema[] {
  const versions = [...yamls.keys()];
  const byKey = new Map<string, VersionedSchema>();
  let order: string[] = [];
  for (const version of [...versions].reverse()) {
    const entries = yamls.get(version)!;
    let prev: string | undefined;
    const placed = new Set(order);
    const next = [...order];
    for (const e of entries) {
      if (!e || typeof e.func !== "string") continue;
      const s = parseSchema(e.func);
      const k = key(s);
      const have = byKey.get(k);
      if (have) {
        have.versions.unshift(version);
        if (s.text !== have.schema.text) have.olderTexts.set(version, s.text);
        for (const v of (e.variants ?? "function").split(",")) have.variants.add(v.trim());
      } else {
        byKey.set(k, {
          schema: s,
          versions: [version],
          olderTexts: new Map(),
          variants: new Set((e.variants ?? "function").split(",").map((v) => v.trim())),
          ...(e.python_module ? { module: e.python_module } : {}),
        });
      }
      if (!placed.has(k)) {
        next.splice(prev === undefined ? 0 : next.indexOf(prev) + 1, 0, k);
        placed.add(k);
      }
      prev = k;
    }
    order = next;
  }
  // An overload one version declares and another derives (`autogen:`; 2.x moved many `.out`
  // overloads there) is in both versions' dispatchers.
  for (const version of versions) {
    for (const e of yamls.get(version)!) {
      for (const k of (e?.autogen ?? "").split(",").map((x) => x.trim()).filter(Boolean)) {
        const have = byKey.get(k);
        if (have && !have.versions.includes(version)) {
          have.versions.push(version);
          have.versions.sort((a, b) => versions.indexOf(a) - versions.indexOf(b));
        }
      }
    }
  }
  return order.map((k) => byKey.get(k)!);
}
