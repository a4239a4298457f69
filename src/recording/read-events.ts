// Reading event files back: every record's two CRCs are checked; a record cut short at the end of
// the file (a writer killed mid-write) ends the read cleanly. Damage further on keeps the good
// records before it, as TensorBoard's reader does, and says where (or throws with `strict`).
import fs from "node:fs";
import { eventType } from "./proto.js";
import { scanRecordsToDamage } from "./record-file.js";
import type { HistogramData } from "./histogram.js";

export interface TensorBoardSummaryValue {
  tag: string;
  metadata?: { pluginData?: { pluginName: string; content: Uint8Array }; displayName?: string };
  simpleValue?: number;
  image?: { height: number; width: number; colorspace: number; encodedImageString: Uint8Array };
  histo?: HistogramData;
  tensor?: {
    dtype: number;
    tensorShape?: { dim?: { size: number }[] };
    floatVal?: number[];
    doubleVal?: number[];
    stringVal?: Uint8Array[];
  };
}

export interface TensorBoardEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: TensorBoardSummaryValue[] };
}

export interface ReadEventsOptions {
  /** Throw at the first damaged record instead of keeping the records before it. Default: false. */
  strict?: boolean;
  /** Told where the damage is when the read stopped early. Default: a process warning naming the file. */
  onDamage?: (message: string) => void;
}

/**
 * The events of a TensorBoard event file, in order. A torn last record (a writer killed mid-write)
 * ends the read; a damaged record (CRC mismatch, not an Event) ends it too, keeping every event
 * before it and reporting the damage through `onDamage` (or throwing with `strict: true`).
 *
 * @example
 * const steps = readEvents("runs/x/events.out.tfevents.1.host").map((e) => e.step);
 */
export function readEvents(file: string, options: ReadEventsOptions = {}): TensorBoardEvent[] {
  const scan = scanRecordsToDamage(fs.readFileSync(file), file);
  const events: TensorBoardEvent[] = [];
  let damage = scan.damage;
  for (const [index, record] of scan.records.entries()) {
    try {
      events.push(eventType().toObject(eventType().decode(record), { longs: Number, arrays: false }) as TensorBoardEvent);
    } catch (error) {
      damage = `${file}: record ${index} is not a valid Event: ${(error as Error).message}`;
      break;
    }
  }
  if (damage !== null) {
    const message = `${damage}; kept the ${events.length} event${events.length === 1 ? "" : "s"} before it`;
    if (options.strict === true) throw new Error(message);
    if (options.onDamage) options.onDamage(message);
    else process.emitWarning(message, { code: "PYSTEMATIC_DAMAGED_EVENT_FILE" });
  }
  return events;
}
