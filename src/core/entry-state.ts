// A switch that turns top-level entry points (globalEntrypoint(), cli(), run()) into no-ops while
// a child process or the bin imports a user's script: the script defines its experiments, and
// the importer decides what runs.

let suppressed = false;

export function setEntrypointsSuppressed(value: boolean): void {
  suppressed = value;
}

export function entrypointsSuppressed(): boolean {
  return suppressed;
}
