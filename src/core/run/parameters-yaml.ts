// Spec 3.2: `parameters.yaml`, every resolved value of a run, keys sorted, written so YAML 1.1
// readers (PyYAML, hence Python pystematic's `--params-file`) read back the same values.
import { createRequire } from "node:module";
import type { ScalarTag } from "yaml";

// Loaded on first use: the listing and --help of a script never need it (~20 ms of start-up).
let yamlModule: typeof import("yaml") | undefined;
export const yaml = (): typeof import("yaml") => (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));

// PyYAML reads a float only with a dot in the mantissa: `1e-07` would come back as a string.
const exponentFloat: ScalarTag = {
  tag: "tag:yaml.org,2002:float",
  default: true,
  test: /^[-+]?[0-9][0-9_]*\.[0-9_]*[eE][-+][0-9]+$/,
  identify: (value) => typeof value === "number" && Number.isFinite(value) && /e/i.test(String(value)),
  resolve: (text) => Number(text.replace(/_/g, "")),
  stringify: ({ value }) => {
    const [mantissa = "", exponent = ""] = Number(value).toExponential().split("e");
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}e${exponent}`;
  },
};

// PyYAML resolves a plain `=` (the 1.1 value type) and `<<` (merge) to tags it cannot build.
const pyyamlSpecials = new Set(["=", "<<"]);

function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

/** The YAML text of `values` (keys already in file form, e.g. snake_case), block style, keys sorted. */
export function formatParametersYaml(values: Readonly<Record<string, unknown>>): string {
  const { Document, visit } = yaml();
  const document = new Document(plain(values), {
    version: "1.1",
    sortMapEntries: true,
    // The merge tag would claim the string "<<" and write it bare.
    customTags: (tags) => [exponentFloat, ...tags.filter((tag) => typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:merge")],
  });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && pyyamlSpecials.has(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return document.toString({ lineWidth: 0 });
}
