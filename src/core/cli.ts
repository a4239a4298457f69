// The command line, on commander: `<prog> [group ...] <experiment> [options]`. Loaded on first use
// so that importing pystematic stays cheap; the listing and a lone `--help` skip commander too.
// Bad input: one `Error:` line on stderr, a pointer to --help, exit 2.

import type { CliOptions, ExperimentDefinition } from "./experiment.js";
import type { ExperimentGroup } from "./group.js";
import type { ParameterInfo } from "./parameter-set.js";
import { UsageError } from "./errors.js";
import { toKebabCase } from "../util/naming.js";
import { closestNames } from "./naming.js";
import { Resolution } from "./resolve.js";
import { executeExperiment } from "./lifecycle.js";
import { getProgramName } from "./entrypoint.js";
import { experimentHelp, listing, styleFor, uniqueEntries } from "./help.js";

type Entry = ExperimentDefinition | ExperimentGroup;

let epipeHandled = false;

/** Writes to stdout; a closed pipe (`| head`) ends the process quietly. */
function writeOut(text: string): void {
  if (!epipeHandled) {
    epipeHandled = true;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      throw e;
    });
  }
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Prints a usage error and exits 2, or throws it when `exitOnError` is false. */
function fail(error: UsageError, prog: string, options: CliOptions, forListing = false): never {
  if (options.exitOnError === false) throw error;
  const style = styleFor(process.stderr);
  const pointer = forListing ? `Run '${prog} --help' to list the experiments.` : `Run '${prog} --help' for usage.`;
  process.stderr.write(`${style.error("Error:")} ${error.message}\n${pointer}\n`);
  process.exit(2);
}

/** After help: exit 0 from a script, return when the caller handles errors itself. */
function done(options: CliOptions): void {
  if (options.exitOnError !== false) process.exit(0);
}

/** An exception from main at a script's entry point: its stack on stderr, exit 1. */
export function reportCrash(error: unknown): never {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `Uncaught ${String(error)}`;
  process.stderr.write(`${text}\n`);
  process.exit(1);
}

/** Runs a group's (or the script's) members: `[group ...] <experiment> [options]`. */
export async function entriesCli(entries: readonly Entry[], argv: readonly string[], options: CliOptions, group: ExperimentGroup | null): Promise<void> {
  const prog = options.prog ?? getProgramName();
  const members = uniqueEntries(entries);
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help") {
    if (first === undefined && options.exitOnError === false) {
      throw new UsageError(`No experiment given. Choose one of: ${members.map((m) => m.name).join(", ") || "(none defined)"}.`);
    }
    writeOut(listing(members, prog, styleFor(process.stdout)));
    return done(options);
  }
  if (first.startsWith("-")) {
    return fail(new UsageError(`Unknown option '${first}': give the experiment name first (${prog} <experiment> [options]).`), prog, options, true);
  }
  const entry = members.find((m) => m.name === first);
  if (!entry) {
    const near = closestNames(first, members.map((m) => m.name));
    const where = group ? ` in group '${group.name}'` : "";
    const hint = near.length
      ? ` Did you mean ${near.map((n) => `'${n}'`).join(" or ")}?`
      : ` Available: ${members.map((m) => m.name).join(", ") || "(none)"}.`;
    return fail(new UsageError(`Unknown experiment '${first}'${where}.${hint}`), prog, options, true);
  }
  const sub = { ...options, prog: `${prog} ${entry.name}` };
  if ((entry as ExperimentGroup).kind === "group") return entriesCli((entry as ExperimentGroup).children, rest, sub, entry as ExperimentGroup);
  return experimentCli(entry as ExperimentDefinition, rest, sub);
}

interface CliValue {
  info: ParameterInfo;
  value: unknown;
}

const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;

/**
 * For each `multiple` parameter's flag, the indexes (among the values commander will emit for it)
 * of the values that directly follow an occurrence of the flag. Follows commander's tokenizing:
 * a value option takes the next token, a variadic one also the following non-option tokens.
 */
function variadicStarts(exp: ExperimentDefinition, argv: readonly string[]): Map<string, number[]> {
  const params = new Map(exp.getParameters().map((p) => [p.flag, p]));
  const starts = new Map<string, number[]>();
  const counts = new Map<string, number>();
  const emit = (flag: string, first: boolean) => {
    const n = counts.get(flag) ?? 0;
    counts.set(flag, n + 1);
    if (first) starts.set(flag, [...(starts.get(flag) ?? []), n]);
  };
  let active: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") break;
    const isOption = token.length > 1 && token.startsWith("-") && !NEGATIVE_NUMBER.test(token);
    if (active !== null && !isOption) {
      emit(active, false);
      continue;
    }
    active = null;
    const eq = token.indexOf("=");
    const flag = token.startsWith("--") && eq > 0 ? token.slice(0, eq) : token;
    const info = params.get(flag);
    if (!info || info.options.isFlag) continue;
    if (flag !== token) {
      if (info.options.multiple) emit(flag, true);
      continue;
    }
    if (i + 1 < argv.length) {
      i++;
      if (info.options.multiple) {
        emit(flag, true);
        active = flag;
      }
    }
  }
  return starts;
}

/**
 * A value option followed by another option has no value (`--name --debug`), as argparse says;
 * commander would take `--debug` as the name. `--name=--debug` still gives it explicitly.
 */
function refuseOptionsAsValues(exp: ExperimentDefinition, argv: readonly string[]): void {
  const valueFlags = new Set(exp.getParameters().filter((p) => !p.options.isFlag).map((p) => p.flag));
  for (let i = 0; i < argv.length - 1; i++) {
    const token = argv[i]!;
    if (token === "--") return;
    const next = argv[i + 1]!;
    if (valueFlags.has(token) && next.length > 1 && next.startsWith("-") && !NEGATIVE_NUMBER.test(next)) {
      throw new UsageError(`Option ${token} needs a value.`);
    }
  }
}

/** Parses argv into values in command-line order (commander does the tokenizing). */
async function parseArgv(exp: ExperimentDefinition, argv: readonly string[]): Promise<{ values: CliValue[]; help: boolean }> {
  const { Command, Option, CommanderError } = await import("commander");
  const cmd = new Command()
    .exitOverride()
    .helpOption(false)
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  const values: CliValue[] = [];
  const firstValues = variadicStarts(exp, argv);
  let help = false;
  const flags: string[] = ["--help", "-h"];
  cmd.addOption(new Option("-h, --help"));
  cmd.on("option:help", () => {
    help = true;
  });
  for (const info of exp.getParameters()) {
    const kebab = toKebabCase(info.name);
    if (info.options.isFlag) {
      cmd.addOption(new Option(`--${kebab}`));
      cmd.addOption(new Option(`--no-${kebab}`));
      cmd.on(`option:${kebab}`, () => values.push({ info, value: true }));
      cmd.on(`option:no-${kebab}`, () => values.push({ info, value: false }));
      flags.push(info.flag, `--no-${kebab}`);
    } else if (info.options.multiple) {
      // Commander emits each value of a variadic option alike; the flag's occurrences (from
      // firstValues) start a new list, so repeating the flag replaces the list, as the last
      // occurrence of any option wins.
      let list: string[] = [];
      let seen = 0;
      const starts = new Set(firstValues.get(info.flag) ?? []);
      cmd.addOption(new Option(`--${kebab} <value...>`));
      cmd.on(`option:${kebab}`, (v: string) => {
        if (starts.has(seen++)) list = [];
        list.push(v);
        values.push({ info, value: [...list] });
      });
      flags.push(info.flag);
    } else {
      cmd.addOption(new Option(`--${kebab} <value>`));
      cmd.on(`option:${kebab}`, (v: string) => values.push({ info, value: v }));
      flags.push(info.flag);
    }
  }
  refuseOptionsAsValues(exp, argv);
  let parsed: { operands: string[]; unknown: string[] };
  try {
    parsed = cmd.parseOptions([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      const m = /option '([^' ]+)/.exec(e.message);
      if (e.code === "commander.optionMissingArgument" && m) throw new UsageError(`Option ${m[1]} needs a value.`);
      throw new UsageError(e.message.replace(/^error: /, "").replace(/^./, (c) => c.toUpperCase()));
    }
    throw e;
  }
  const unknownOption = parsed.unknown[0];
  if (unknownOption !== undefined && unknownOption.startsWith("-") && unknownOption.length > 1 && unknownOption !== "--") {
    const name = unknownOption.split("=")[0]!;
    const flagParam = exp.getParameters().find((p) => p.options.isFlag && (p.flag === name || `--no-${toKebabCase(p.name)}` === name));
    if (flagParam && unknownOption.includes("=")) {
      throw new UsageError(`Option ${name} takes no value (use ${flagParam.flag} or --no-${toKebabCase(flagParam.name)}).`);
    }
    const near = closestNames(name, flags.filter((f) => f.startsWith("--")));
    throw new UsageError(`Unknown option '${name}'.${near.length ? ` Did you mean ${near.join(" or ")}?` : ""}`);
  }
  // Experiments take no positional arguments (after `--` neither).
  const stray = parsed.operands[0] ?? parsed.unknown.find((a) => a !== "--");
  if (stray !== undefined) throw new UsageError(`Unexpected argument '${stray}' (options are given as --name value).`);
  return { values, help };
}

/** Parses the command line of one experiment and runs it. Main's exception propagates. */
export async function experimentCli(exp: ExperimentDefinition, argv: readonly string[], options: CliOptions): Promise<void> {
  const prog = options.prog ?? getProgramName();
  let values: Record<string, unknown>;
  try {
    // A lone --help needs no parsing: keep it fast.
    const lone = argv.length === 1 && (argv[0] === "-h" || argv[0] === "--help");
    const parsed = lone ? { values: [], help: true } : await parseArgv(exp, argv);
    if (parsed.help) {
      writeOut(experimentHelp(exp, prog, styleFor(process.stdout)));
      return done(options);
    }
    const resolution = new Resolution(exp);
    for (const { info, value } of parsed.values) await resolution.apply(info, value, { kind: "cli" });
    values = await resolution.finish(process.env, (info) => info.flag);
  } catch (e) {
    if (e instanceof UsageError) return fail(e, prog, options);
    throw e;
  }
  await executeExperiment(exp, values);
}
