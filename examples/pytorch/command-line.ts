// The ports' argparse: each flag of a port's defaults object, spelled as the original program
// spells it (--batch-size, --batchSize, --batch_size), parsed to the default's type (numbers for
// defaults that are numbers or null, booleans as store_true flags).
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export type CommandLineValue = number | string | boolean | null;

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * `defaults` with the values given on the command line; `flags` names the flag of a key whose
 * flag is not its kebab-case (`{ batchSize: "batch_size" }`). An unknown flag or a value that is
 * not a number where a number is expected throws.
 */
export function parseCommandLine<T extends Record<string, CommandLineValue>>(
  defaults: T,
  flags: Partial<Record<keyof T, string>> = {},
  argv: readonly string[] = process.argv.slice(2),
): T {
  const flagOf = (key: string) => flags[key as keyof T] ?? kebabCase(key);
  const options = Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [flagOf(key), { type: typeof value === "boolean" ? ("boolean" as const) : ("string" as const) }]),
  );
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  const parsed: Record<string, CommandLineValue> = { ...defaults };
  for (const [key, value] of Object.entries(defaults)) {
    const given = values[flagOf(key)];
    if (given === undefined) continue;
    if (typeof value === "boolean" || typeof value === "string") parsed[key] = given as boolean | string;
    else {
      const number = Number(given);
      if (given === "" || !Number.isFinite(number)) throw new Error(`--${flagOf(key)}: a number expected, got '${String(given)}'`);
      parsed[key] = number;
    }
  }
  return parsed as T;
}

/** Whether the module at `moduleUrl` is the script node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
}
