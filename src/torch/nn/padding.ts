// Padding layers (torch/nn/modules/padding.py): ReflectionPad, ReplicationPad, ZeroPad, ConstantPad
// and CircularPad in 1, 2 and 3 dimensions, each F.pad with its mode (ZeroPad1d/3d and CircularPad
// are PyTorch 2.x's, here on every version).
import type { Tensor } from "../tensor/tensor.js";
import { Module, pyFloat } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** Python's _pair / _quadruple / _ntuple(6): one int repeated, or the list as given. */
function padTuple(padding: number | readonly number[], dims: number): number[] {
  return typeof padding === "number" ? Array<number>(2 * dims).fill(padding) : [...padding];
}

/** The common part of the padding layers: F.pad over the last `dims` dimensions. */
abstract class PadNd extends Module {
  /** (left, right[, top, bottom[, front, back]]), as F.pad takes it. */
  readonly padding: number[];
  protected abstract readonly mode: PadMode;

  protected constructor(padding: number | readonly number[], dims: number) {
    super();
    this.padding = padTuple(padding, dims);
  }

  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, this.mode);
  }

  override extraRepr(): string {
    return `(${this.padding.join(", ")})`;
  }
}

/**
 * Pads with the reflection of the input at the boundary (torch.nn.ReflectionPad1d).
 *
 * Args: padding, an int or (left, right). Shape: (N, C, W_in) or (C, W_in) -> W_out = W_in + left + right.
 */
export class ReflectionPad1d extends PadNd {
  protected readonly mode = "reflect";
  constructor(...args: ArgsOf<"torch.nn.ReflectionPad1d">) {
    super(bind("torch.nn.ReflectionPad1d", args).padding, 1);
  }
}
/** Reflection padding of the last two dimensions (torch.nn.ReflectionPad2d); padding: int or (left, right, top, bottom). */
export class ReflectionPad2d extends PadNd {
  protected readonly mode = "reflect";
  constructor(...args: ArgsOf<"torch.nn.ReflectionPad2d">) {
    super(bind("torch.nn.ReflectionPad2d", args).padding, 2);
  }
}
/** Reflection padding of the last three dimensions (torch.nn.ReflectionPad3d); padding: int or 6 ints. */
export class ReflectionPad3d extends PadNd {
  protected readonly mode = "reflect";
  constructor(...args: ArgsOf<"torch.nn.ReflectionPad3d">) {
    super(bind("torch.nn.ReflectionPad3d", args).padding, 3);
  }
}

/** Pads by repeating the boundary value (torch.nn.ReplicationPad1d); padding: int or (left, right). */
export class ReplicationPad1d extends PadNd {
  protected readonly mode = "replicate";
  constructor(...args: ArgsOf<"torch.nn.ReplicationPad1d">) {
    super(bind("torch.nn.ReplicationPad1d", args).padding, 1);
  }
}
/** Replication padding of the last two dimensions (torch.nn.ReplicationPad2d). */
export class ReplicationPad2d extends PadNd {
  protected readonly mode = "replicate";
  constructor(...args: ArgsOf<"torch.nn.ReplicationPad2d">) {
    super(bind("torch.nn.ReplicationPad2d", args).padding, 2);
  }
}
/** Replication padding of the last three dimensions (torch.nn.ReplicationPad3d). */
export class ReplicationPad3d extends PadNd {
  protected readonly mode = "replicate";
  constructor(...args: ArgsOf<"torch.nn.ReplicationPad3d">) {
    super(bind("torch.nn.ReplicationPad3d", args).padding, 3);
  }
}

/** The constant-value padding layers (PyTorch's _ConstantPadNd). */
abstract class ConstantPadNd extends PadNd {
  protected readonly mode = "constant";
  readonly value: number;
  protected constructor(padding: number | readonly number[], value: number, dims: number) {
    super(padding, dims);
    this.value = value;
  }
  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, "constant", this.value);
  }
  override extraRepr(): string {
    return `padding=(${this.padding.join(", ")}), value=${pyFloat(this.value)}`;
  }
}

/** Pads with a constant value (torch.nn.ConstantPad1d). Args: padding (int or (left, right)), value. */
export class ConstantPad1d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ConstantPad1d">) {
    const { padding, value } = bind("torch.nn.ConstantPad1d", args);
    super(padding, value, 1);
  }
}
/** Constant padding of the last two dimensions (torch.nn.ConstantPad2d). */
export class ConstantPad2d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ConstantPad2d">) {
    const { padding, value } = bind("torch.nn.ConstantPad2d", args);
    super(padding, value, 2);
  }
}
/** Constant padding of the last three dimensions (torch.nn.ConstantPad3d). */
export class ConstantPad3d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ConstantPad3d">) {
    const { padding, value } = bind("torch.nn.ConstantPad3d", args);
    super(padding, value, 3);
  }
}

/** Pads the last two dimensions with zeros (torch.nn.ZeroPad2d); padding: int or (left, right, top, bottom). */
export class ZeroPad2d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ZeroPad2d">) {
    super(bind("torch.nn.ZeroPad2d", args).padding, 0, 2);
  }
  override extraRepr(): string {
    return `(${this.padding.join(", ")})`;
  }
}

/** Pads the last dimension with zeros (torch.nn.ZeroPad1d, PyTorch 2.x); padding: int or (left, right). */
export class ZeroPad1d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ZeroPad1d">) {
    super(bind("torch.nn.ZeroPad1d", args).padding, 0, 1);
  }
  override extraRepr(): string {
    return `(${this.padding.join(", ")})`;
  }
}
/** Pads the last three dimensions with zeros (torch.nn.ZeroPad3d, PyTorch 2.x); padding: int or 6 ints. */
export class ZeroPad3d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ZeroPad3d">) {
    super(bind("torch.nn.ZeroPad3d", args).padding, 0, 3);
  }
  override extraRepr(): string {
    return `(${this.padding.join(", ")})`;
  }
}

/** Pads with the input's wrap-around (torch.nn.CircularPad1d, PyTorch 2.x); padding: int or (left, right). */
export class CircularPad1d extends PadNd {
  protected readonly mode = "circular";
  constructor(...args: ArgsOf<"torch.nn.CircularPad1d">) {
    super(bind("torch.nn.CircularPad1d", args).padding, 1);
  }
}
/** Circular padding of the last two dimensions (torch.nn.CircularPad2d, PyTorch 2.x). */
export class CircularPad2d extends PadNd {
  protected readonly mode = "circular";
  constructor(...args: ArgsOf<"torch.nn.CircularPad2d">) {
    super(bind("torch.nn.CircularPad2d", args).padding, 2);
  }
}
/** Circular padding of the last three dimensions (torch.nn.CircularPad3d, PyTorch 2.x). */
export class CircularPad3d extends PadNd {
  protected readonly mode = "circular";
  constructor(...args: ArgsOf<"torch.nn.CircularPad3d">) {
    super(bind("torch.nn.CircularPad3d", args).padding, 3);
  }
}
