// Recording: the Recorder, Counter and the TensorBoard event-file writer and reader beneath them.
export { Recorder, type RecorderOptions, type RecorderState } from "./recorder.js";
export { Counter, type CounterState } from "./counter.js";
export { SummaryWriter, type SummaryWriterOptions } from "./summary-writer.js";
export { EventFileWriter, type EventFileWriterOptions, type EventMessage } from "./event-file-writer.js";
export { readEvents, type ReadEventsOptions, type TensorBoardEvent, type TensorBoardSummaryValue } from "./read-events.js";
export type { HistogramData } from "./histogram.js";
export type { ImageDataFormat, ImageOptions } from "./image.js";
export type { FigureInput } from "./figure.js";
export type { ArrayInput, NestedNumbers, ScalarInput, ShapedArray } from "./values.js";
export type { HParamValue, HParamStatus } from "./summary.js";
