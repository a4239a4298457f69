// Padding layers (torch/nn/modules/padding.py): ReflectionPad, ReplicationPad, ZeroPad, ConstantPad
// and CircularPad in 1, 2 and 3 dimensions, each F.pad with its mode (ZeroPad1d/3d and CircularPad
// are PyTorch 2.x's, here on every version). The table below gives each layer its mode and
// dimensions; each public class binds its Python signature and hands the base what it bound.
import type { Tensor } from "../tensor/tensor.js";
import { Module, pyFloat } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** Each padding layer's F.pad mode and how many trailing dimensions it pads. */
const layers = {
  "torch.nn.ReflectionPad1d": ["reflect", 1],
  "torch.nn.ReflectionPad2d": ["reflect", 2],
  "torch.nn.ReflectionPad3d": ["reflect", 3],
  "torch.nn.ReplicationPad1d": ["replicate", 1],
  "torch.nn.ReplicationPad2d": ["replicate", 2],
  "torch.nn.ReplicationPad3d": ["replicate", 3],
  "torch.nn.CircularPad1d": ["circular", 1],
  "torch.nn.CircularPad2d": ["circular", 2],
  "torch.nn.CircularPad3d": ["circular", 3],
  "torch.nn.ConstantPad1d": ["constant", 1],
  "torch.nn.ConstantPad2d": ["constant", 2],
  "torch.nn.ConstantPad3d": ["constant", 3],
  "torch.nn.ZeroPad1d": ["constant", 1],
  "torch.nn.ZeroPad2d": ["constant", 2],
  "torch.nn.ZeroPad3d": ["constant", 3],
} as const satisfies Record<string, readonly [PadMode, 1 | 2 | 3]>;

type PadLayer = keyof typeof layers;
type ConstantPadLayer = { [L in PadLayer]: (typeof layers)[L][0] extends "constant" ? L : never }[PadLayer];

/** Python's _pair / _quadruple / _ntuple(6): one int repeated, or the list as given. */
function padTuple(padding: number | readonly number[], dims: number): number[] {
  return typeof padding === "number" ? Array<number>(2 * dims).fill(padding) : [...padding];
}

/** Every padding layer: F.pad over the last dimensions with its layer's mode. */
abstract class PadNd extends Module {
  /** (left, right[, top, bottom[, front, back]]), as F.pad takes it. */
  readonly padding: number[];
  protected readonly mode: PadMode;

  protected constructor(layer: PadLayer, bound: { padding: number | readonly number[] }) {
    super();
    const [mode, dims] = layers[layer];
    this.mode = mode;
    this.padding = padTuple(bound.padding, dims);
  }

  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, this.mode);
  }

  override extraRepr(): string {
    return `(${this.padding.join(", ")})`;
  }
}

/** The constant-value layers (PyTorch's _ConstantPadNd): ConstantPad with its value, ZeroPad with 0. */
abstract class ConstantPadNd extends PadNd {
  readonly value: number;
  /** ConstantPad's repr shows its value, ZeroPad's (which takes none) only the padding, as Python's. */
  readonly #valueGiven: boolean;

  protected constructor(layer: ConstantPadLayer, bound: { padding: number | readonly number[]; value?: number }) {
    super(layer, bound);
    this.value = bound.value ?? 0;
    this.#valueGiven = bound.value !== undefined;
  }

  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, "constant", this.value);
  }

  override extraRepr(): string {
    return this.#valueGiven ? `padding=(${this.padding.join(", ")}), value=${pyFloat(this.value)}` : super.extraRepr();
  }
}

/**
 * Pads with the reflection of the input at the boundary (torch.nn.ReflectionPad1d).
 *
 * Args: padding, an int or (left, right). Shape: (N, C, W_in) or (C, W_in) -> W_out = W_in + left + right.
 */
export class ReflectionPad1d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.ReflectionPad1d">) {
    super("torch.nn.ReflectionPad1d", bind("torch.nn.ReflectionPad1d", args));
  }
}
/** Reflection padding of the last two dimensions (torch.nn.ReflectionPad2d); padding: int or (left, right, top, bottom). */
export class ReflectionPad2d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.ReflectionPad2d">) {
    super("torch.nn.ReflectionPad2d", bind("torch.nn.ReflectionPad2d", args));
  }
}
/** Reflection padding of the last three dimensions (torch.nn.ReflectionPad3d); padding: int or 6 ints. */
export class ReflectionPad3d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.ReflectionPad3d">) {
    super("torch.nn.ReflectionPad3d", bind("torch.nn.ReflectionPad3d", args));
  }
}

/** Pads by repeating the boundary value (torch.nn.ReplicationPad1d); padding: int or (left, right). */
export class ReplicationPad1d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.ReplicationPad1d">) {
    super("torch.nn.ReplicationPad1d", bind("torch.nn.ReplicationPad1d", args));
  }
}
/** Replication padding of the last two dimensions (torch.nn.ReplicationPad2d). */
export class ReplicationPad2d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.ReplicationPad2d">) {
    super("torch.nn.ReplicationPad2d", bind("torch.nn.ReplicationPad2d", args));
  }
}
/** Replication padding of the last three dimensions (torch.nn.ReplicationPad3d). */
export class ReplicationPad3d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.ReplicationPad3d">) {
    super("torch.nn.ReplicationPad3d", bind("torch.nn.ReplicationPad3d", args));
  }
}

/** Pads with a constant value (torch.nn.ConstantPad1d). Args: padding (int or (left, right)), value. */
export class ConstantPad1d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ConstantPad1d">) {
    super("torch.nn.ConstantPad1d", bind("torch.nn.ConstantPad1d", args));
  }
}
/** Constant padding of the last two dimensions (torch.nn.ConstantPad2d). */
export class ConstantPad2d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ConstantPad2d">) {
    super("torch.nn.ConstantPad2d", bind("torch.nn.ConstantPad2d", args));
  }
}
/** Constant padding of the last three dimensions (torch.nn.ConstantPad3d). */
export class ConstantPad3d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ConstantPad3d">) {
    super("torch.nn.ConstantPad3d", bind("torch.nn.ConstantPad3d", args));
  }
}

/** Pads the last two dimensions with zeros (torch.nn.ZeroPad2d); padding: int or (left, right, top, bottom). */
export class ZeroPad2d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ZeroPad2d">) {
    super("torch.nn.ZeroPad2d", bind("torch.nn.ZeroPad2d", args));
  }
}
/** Pads the last dimension with zeros (torch.nn.ZeroPad1d, PyTorch 2.x); padding: int or (left, right). */
export class ZeroPad1d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ZeroPad1d">) {
    super("torch.nn.ZeroPad1d", bind("torch.nn.ZeroPad1d", args));
  }
}
/** Pads the last three dimensions with zeros (torch.nn.ZeroPad3d, PyTorch 2.x); padding: int or 6 ints. */
export class ZeroPad3d extends ConstantPadNd {
  constructor(...args: ArgsOf<"torch.nn.ZeroPad3d">) {
    super("torch.nn.ZeroPad3d", bind("torch.nn.ZeroPad3d", args));
  }
}

/** Pads with the input's wrap-around (torch.nn.CircularPad1d, PyTorch 2.x); padding: int or (left, right). */
export class CircularPad1d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.CircularPad1d">) {
    super("torch.nn.CircularPad1d", bind("torch.nn.CircularPad1d", args));
  }
}
/** Circular padding of the last two dimensions (torch.nn.CircularPad2d, PyTorch 2.x). */
export class CircularPad2d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.CircularPad2d">) {
    super("torch.nn.CircularPad2d", bind("torch.nn.CircularPad2d", args));
  }
}
/** Circular padding of the last three dimensions (torch.nn.CircularPad3d, PyTorch 2.x). */
export class CircularPad3d extends PadNd {
  constructor(...args: ArgsOf<"torch.nn.CircularPad3d">) {
    super("torch.nn.CircularPad3d", bind("torch.nn.CircularPad3d", args));
  }
}
