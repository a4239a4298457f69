// torch.utils.data: datasets, samplers, collation and the DataLoader.
export { Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset, type MapDataset, type DatasetLike } from "./dataset.js";
export {
  SequentialSampler,
  RandomSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
  BatchSampler,
  Sampler,
  type SamplerLike,
  type BatchSamplerLike,
} from "./sampler.js";
export { DistributedSampler, type DistributedSamplerOptions } from "./distributed-sampler.js";
export { defaultCollate, defaultConvert, type ArrayTensor, type CollateFn, type Collated } from "./collate.js";
export { randomSplit } from "./random-split.js";
export { StackDataset } from "./stack-dataset.js";
export {
  DataLoader,
  type DataLoaderOptions,
  type DataLoaderStateDict,
  type DataLoaderParams,
  type DataLoaderKeywordOnly,
  type WorkerInitFn,
} from "./dataloader.js";
export { DataLoaderWorkerError } from "./worker-pool.js";
export { getWorkerInfo, type WorkerInfo, type WorkerSource } from "./worker-info.js";
export { MNIST, type MNISTOptions } from "./mnist.js";
