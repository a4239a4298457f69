/** PyTorch's checkpoint format (torch.save/torch.load) over plain records; see checkpoint.ts. */
export { saveObject, loadObject, encodeCheckpoint, decodeCheckpoint } from "./checkpoint.js";
export type { SaveOptions, LoadOptions } from "./checkpoint.js";
export { pickle } from "./pickle-writer.js";
export { unpickle, UnpicklingError } from "./pickle-reader.js";
export {
  DTYPE_NAMES,
  OrderedDict,
  PyFloat,
  PyTuple,
  StorageRecord,
  TensorRecord,
  contiguousStrides,
  dtypeItemSize,
  isDtype,
  pyAttributesOf,
  pyFloat,
  setPyAttribute,
  tuple,
} from "./records.js";
export type { Dtype, TensorRecordInit } from "./records.js";
