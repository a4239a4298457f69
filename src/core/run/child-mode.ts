// What a child process (a subprocess or a sweep member) was told by the process that started it,
// for the standard plugin to set up the run accordingly.

/** How the process that started this child wants its run set up. */
export interface ChildLaunch {
  /** The run directory to use (a subprocess: its parent's), or null to create a new one. */
  readonly runDir: string | null;
  /** Tells the parent the run directory this child created (when `runDir` was null). */
  reportRunDir(runDir: string): void;
  /**
   * The log file's name in the run directory, when neither `log.txt` nor `log.rank-<N>.txt`
   * fits (a distributed launcher: `log.launcher.node-<N>.txt`).
   */
  readonly logName?: string;
  /** False when another process writes parameters.yaml (a launcher leaves it to rank 0). */
  readonly writesParameters?: boolean;
}

let childLaunch: ChildLaunch | null = null;

export function setChildLaunch(launch: ChildLaunch | null): void {
  childLaunch = launch;
}

/** The launch settings when this process is a child started by pystematic, else null. */
export function getChildLaunch(): ChildLaunch | null {
  return childLaunch;
}
