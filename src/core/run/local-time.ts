// Local wall-clock time as the original prints it (run directory names, log timestamps).

const pad = (n: number): string => String(n).padStart(2, "0");

/** `YYYY-MM-DD` + `separator` + `HH` `timeSeparator` `MM` `timeSeparator` `SS`, local time. */
export function formatLocalTime(date: Date, separator = " ", timeSeparator = ":"): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = [date.getHours(), date.getMinutes(), date.getSeconds()].map(pad).join(timeSeparator);
  return `${day}${separator}${time}`;
}
