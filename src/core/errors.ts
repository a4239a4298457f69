// The errors the experiment core throws. Messages are stable: tests and users match on them.

/** Base class of every error pystematic raises about definitions, values and runs (Python's `core.Error`). */
export class PystematicError extends Error {
  override name = "PystematicError";
}

/** An experiment was started while another one was running in this process. */
export class ExperimentError extends PystematicError {
  override name = "ExperimentError";
}

/**
 * Bad input on the command line or in `run()` (unknown name, bad value, missing required
 * parameter, unreadable params file). The CLI prints it as one `Error:` line and exits 2.
 */
export class UsageError extends PystematicError {
  override name = "UsageError";
}
