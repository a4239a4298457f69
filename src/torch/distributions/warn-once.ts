// Python's `warnings.warn(message, UserWarning)` as the distributions raise it: shown once per
// message, as Python's default filter shows it once per location.
const warned = new Set<string>();

/** Emits `message` as a process warning the first time it is given. */
export function warnOnce(message: string, type = "UserWarning"): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, type);
}
