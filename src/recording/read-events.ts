// Reading event files back: every record's two CRCs are checked; a record cut short at the end of
// the file (a writer killed mid-write) ends the read cleanly, any other damage throws.
import fs from "node:fs";
import { eventType } from "./proto.js";
import { scanRecords } from "./record-file.js";
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

export function readEvents(file: string): TensorBoardEvent[] {
  const { records } = scanRecords(fs.readFileSync(file), file);
  return records.map((record, index) => {
    try {
      return eventType().toObject(eventType().decode(record), { longs: Number, arrays: false }) as TensorBoardEvent;
    } catch (error) {
      throw new Error(`${file}: record ${index} is not a valid Event: ${(error as Error).message}`);
    }
  });
}
