// Recurrent layers: RNN, LSTM, GRU (cuDNN-style fused aten kernels) and their cells.
import type { Tensor } from "../tensor/tensor.js";
import { empty, zeros } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import * as init from "./init.js";
import { checkPositiveInt, factoryOf } from "./linear.js";
import type { Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { aten } from "../ops/aten.js";
import { noGrad } from "../tensor/runtime.js";
import { PackedSequence } from "./utils/rnn.js";

type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";
// torch/backends/cudnn/rnn.py get_cudnn_mode, and the dtypes cuDNN takes (CUDNN_TENSOR_DTYPES).
const CUDNN_MODE: Record<Mode, number> = { RNN_RELU: 0, RNN_TANH: 1, LSTM: 2, GRU: 3 };
const CUDNN_DTYPES = new Set<string>(["float16", "float32", "float64"]);

/** A recurrent layer's bound constructor arguments (Python's RNNBase keywords). */
export interface RNNArgs {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bias: boolean;
  batchFirst: boolean;
  dropout: number;
  bidirectional: boolean;
  projSize?: number;
  device: Device | null;
  dtype: DType | null;
}

/**
 * The common part of RNN, LSTM and GRU (PyTorch's RNNBase). Parameters are properties named as
 * PyTorch's attributes and state-dict keys: weight_ih_l0, weight_hh_l0, bias_ih_l0,
 * bias_hh_l0, ..._reverse for the backward direction.
 */
export abstract class RNNBase extends Module {
  readonly mode: Mode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;

  protected constructor(mode: Mode, options: RNNArgs) {
    super();
    const { inputSize, hiddenSize } = options;
    const name = this.constructor.name;
    checkPositiveInt(inputSize, name, "inputSize");
    checkPositiveInt(hiddenSize, name, "hiddenSize");
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = options.numLayers;
    checkPositiveInt(this.numLayers, name, "numLayers");
    this.bias = options.bias;
    this.batchFirst = options.batchFirst;
    this.dropout = options.dropout;
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new RangeError("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
    }
    this.bidirectional = options.bidirectional;
    this.projSize = options.projSize ?? 0;
    if (!Number.isInteger(this.projSize) || this.projSize < 0) throw new RangeError("proj_size should be a positive integer or zero to disable projections");
    if (this.projSize >= hiddenSize) throw new RangeError("proj_size has to be smaller than hidden_size");
    const realHidden = this.projSize > 0 ? this.projSize : hiddenSize;
    const gates = mode === "LSTM" ? 4 : mode === "GRU" ? 3 : 1;
    const factory = factoryOf(options);
    const directions = this.bidirectional ? 2 : 1;
    const slots = this as unknown as Record<string, Parameter>;
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let direction = 0; direction < directions; direction++) {
        const layerInput = layer === 0 ? inputSize : realHidden * directions;
        const suffix = `_l${layer}${direction === 1 ? "_reverse" : ""}`;
        slots[`weight_ih${suffix}`] = new Parameter(empty([gates * hiddenSize, layerInput], factory));
        slots[`weight_hh${suffix}`] = new Parameter(empty([gates * hiddenSize, realHidden], factory));
        if (this.bias) {
          slots[`bias_ih${suffix}`] = new Parameter(empty([gates * hiddenSize], factory));
          slots[`bias_hh${suffix}`] = new Parameter(empty([gates * hiddenSize], factory));
        }
        if (this.projSize > 0) slots[`weight_hr${suffix}`] = new Parameter(empty([this.projSize, hiddenSize], factory));
      }
    }
    this.resetParameters();
  }

  /** Every weight from U(-1/√hidden, 1/√hidden), in registration order (as PyTorch). */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  /** The weights in aten's order: per layer and direction w_ih, w_hh, (b_ih, b_hh), (w_hr). */
  get flatWeights(): Parameter[] {
    return this.parameters(false);
  }

  /**
   * Puts the weights into one contiguous buffer in cuDNN's layout, where cuDNN runs them: CUDA
   * weights of one floating dtype, none aliasing another, on a libtorch built with cuDNN.
   * Anywhere else (the CPU) it does nothing, as Python's flatten_parameters.
   */
  flattenParameters(): void {
    bind("torch.nn.RNNBase.flatten_parameters", arguments);
    const weights = this.flatWeights;
    const dtype = weights[0]?.dtype;
    if (dtype === undefined || !weights.every((w) => w.isCuda && w.dtype === dtype && CUDNN_DTYPES.has(w.dtype))) return;
    if (aten._use_cudnn_rnn_flatten_weight() !== true) return;
    if (new Set(weights.map((w) => w.dataPtr())).size !== weights.length) return;
    const perDirection = (this.bias ? 4 : 2) + (this.projSize > 0 ? 1 : 0);
    noGrad(() =>
      aten._cudnn_rnn_flatten_weight(weights, perDirection, this.inputSize, CUDNN_MODE[this.mode], this.hiddenSize, this.projSize, this.numLayers, this.batchFirst, this.bidirectional),
    );
  }

  /**
   * Runs the fused kernel; `hx` is the (h0) or [h0, c0] state with the batch dimension. A
   * PackedSequence input runs the packed kernel and comes back packed, the state in the
   * batch's original order (Python's permute_hidden).
   */
  protected run(input: Tensor | PackedSequence, hx: Tensor | readonly Tensor[] | null): [Tensor | PackedSequence, Tensor, Tensor?] {
    const packed = input instanceof PackedSequence ? input : undefined;
    let data = packed ? packed.data : (input as Tensor);
    const batched = packed !== undefined || data.dim() === 3;
    if (!batched && data.dim() !== 2) {
      throw new Error(`${this.constructor.name}: Expected input to be 2D or 3D, got ${data.dim()}D instead`);
    }
    if (packed && data.dim() !== 2) {
      throw new Error(`${this.constructor.name}: Expected a packed input of 2 dimensions, got ${data.dim()}`);
    }
    if (!batched) data = data.unsqueeze(this.batchFirst ? 0 : 1);
    const batch = packed ? Number(packed.batchSizes.idx(0).item()) : data.shape[this.batchFirst ? 0 : 1]!;
    const layers = this.numLayers * (this.bidirectional ? 2 : 1);
    const hShape = [layers, batch, this.projSize > 0 ? this.projSize : this.hiddenSize];
    const cShape = [layers, batch, this.hiddenSize];
    const fresh = (shape: number[]): Tensor => zeros(shape, { dtype: data.dtype, device: data.device });
    const sorted = packed?.sortedIndices ?? null;
    const batchState = (t: Tensor, expected: number[], what: string): Tensor => {
      let s = batched ? t : t.unsqueeze(1);
      const shape = s.shape;
      if (shape.length !== 3 || shape.some((d, i) => d !== expected[i])) {
        throw new Error(`Expected ${what} size (${expected.join(", ")}), got [${shape.join(", ")}]`);
      }
      if (sorted !== null) s = s.indexSelect(1, sorted);
      return s;
    };
    const train = this.training;
    const weights = this.flatWeights;
    let out: Tensor;
    let h: Tensor;
    let c: Tensor | undefined;
    if (this.mode === "LSTM") {
      const [h0, c0] = hx === null ? [undefined, undefined] : (hx as readonly Tensor[]);
      if (hx !== null && (h0 === undefined || c0 === undefined)) throw new TypeError("LSTM: hx must be [h0, c0]");
      const state = h0 === undefined ? [fresh(hShape), fresh(cShape)] : [batchState(h0, hShape, "hidden"), batchState(c0!, cShape, "cell")];
      [out, h, c] = packed
        ? ops.lstm(data, packed.batchSizes, state, weights, this.bias, this.numLayers, this.dropout, train, this.bidirectional)
        : ops.lstm(data, state, weights, this.bias, this.numLayers, this.dropout, train, this.bidirectional, this.batchFirst);
    } else {
      if (Array.isArray(hx)) throw new TypeError(`${this.constructor.name}: hx must be a Tensor, not a list`);
      const h0 = hx === null ? fresh(hShape) : batchState(hx as Tensor, hShape, "hidden");
      const kernel = this.mode === "GRU" ? ops.gru : this.mode === "RNN_TANH" ? ops.rnnTanh : ops.rnnRelu;
      [out, h] = packed
        ? kernel(data, packed.batchSizes, h0, weights, this.bias, this.numLayers, this.dropout, train, this.bidirectional)
        : kernel(data, h0, weights, this.bias, this.numLayers, this.dropout, train, this.bidirectional, this.batchFirst);
    }
    if (packed) {
      const unsorted = packed.unsortedIndices;
      if (unsorted !== null) {
        h = h.indexSelect(1, unsorted);
        if (c) c = c.indexSelect(1, unsorted);
      }
      return [new PackedSequence(out, packed.batchSizes, packed.sortedIndices, packed.unsortedIndices), h, c];
    }
    if (!batched) {
      out = out.squeeze(this.batchFirst ? 0 : 1);
      h = h.squeeze(1);
      if (c) c = c.squeeze(1);
    }
    return [out, h, c];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ", bias=False";
    if (this.batchFirst) s += ", batch_first=True";
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ", bidirectional=True";
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    return s;
  }
}

/**
 * Elman RNN with tanh or ReLU (torch.nn.RNN): h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh).
 *
 * Args (positionally or by name, in Python's order): inputSize, hiddenSize, numLayers (1),
 * nonlinearity ("tanh"), bias (true), batchFirst (false), dropout (0), bidirectional (false),
 * device, dtype.
 *
 * Shape: input (L, N, H_in) (or (N, L, H_in) batch first, or (L, H_in)), or a PackedSequence
 * (nn.utils.rnn.packPaddedSequence), which gives a PackedSequence output; h0 (D·numLayers, N,
 * H_out). Returns [output (L, N, D·H_out), h_n (D·numLayers, N, H_out)].
 */
export class RNN extends RNNBase {
  readonly nonlinearity: "tanh" | "relu";
  constructor(...args: ArgsOf<"torch.nn.RNN">) {
    const { nonlinearity, ...options } = bind("torch.nn.RNN", args);
    if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
      throw new Error(`Unknown nonlinearity '${String(nonlinearity)}'. Select from 'tanh' or 'relu'.`);
    }
    super(nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", options);
    this.nonlinearity = nonlinearity;
  }
  // The Tensor overload last: call() takes its types from it.
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(...args: unknown[]): [Tensor | PackedSequence, Tensor] {
    const a = bind("torch.nn.RNN.forward", args);
    const [out, h] = this.run(a.input as Tensor | PackedSequence, a.hx);
    return [out, h];
  }
  // call() as forward: a PackedSequence in gives one out (Module.call types only the last overload).
  override call(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override call(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override call(...args: unknown[]): unknown {
    return (Module.prototype.call as (this: Module, ...a: unknown[]) => unknown).apply(this, args);
  }
}

/**
 * Long short-term memory (torch.nn.LSTM), gates i, f, g, o in that order of the weights.
 *
 * Args (positionally or by name, in Python's order): inputSize, hiddenSize, numLayers (1), bias
 * (true), batchFirst (false), dropout (0), bidirectional (false), projSize (0: hidden states
 * projected to that size by weight_hr), device, dtype.
 *
 * Shape: input (L, N, H_in), or a PackedSequence (then the output is one); state [h0
 * (D·numLayers, N, H_out), c0 (D·numLayers, N, H_cell)], H_out = projSize or hiddenSize.
 * Returns [output (L, N, D·H_out), [h_n, c_n]].
 *
 * Example:
 *   const packed = nn.utils.rnn.packPaddedSequence(padded, lengths, { enforceSorted: false });
 *   const [out, [h, c]] = lstm.call(packed);
 *   const [unpacked, outLengths] = nn.utils.rnn.padPackedSequence(out);
 */
export class LSTM extends RNNBase {
  constructor(...args: ArgsOf<"torch.nn.LSTM">) {
    super("LSTM", bind("torch.nn.LSTM", args));
  }
  // The Tensor overload last: call() takes its types from it.
  override forward(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  override forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override forward(...args: unknown[]): [Tensor | PackedSequence, [Tensor, Tensor]] {
    const a = bind("torch.nn.LSTM.forward", args);
    const [out, h, c] = this.run(a.input as Tensor | PackedSequence, a.hx);
    return [out, [h, c!]];
  }
  // call() as forward: a PackedSequence in gives one out (Module.call types only the last overload).
  override call(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  override call(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override call(...args: unknown[]): unknown {
    return (Module.prototype.call as (this: Module, ...a: unknown[]) => unknown).apply(this, args);
  }
}

/**
 * Gated recurrent unit (torch.nn.GRU), gates r, z, n in that order of the weights.
 *
 * Args: inputSize, hiddenSize, numLayers (1), bias (true), batchFirst (false), dropout (0),
 * bidirectional (false), device, dtype. Shape as RNN (a PackedSequence input too). Returns
 * [output, h_n].
 *
 * Example:
 *   new nn.GRU(4, 8, 2) // two stacked layers
 */
export class GRU extends RNNBase {
  constructor(...args: ArgsOf<"torch.nn.GRU">) {
    super("GRU", bind("torch.nn.GRU", args));
  }
  // The Tensor overload last: call() takes its types from it.
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(...args: unknown[]): [Tensor | PackedSequence, Tensor] {
    const a = bind("torch.nn.GRU.forward", args);
    const [out, h] = this.run(a.input as Tensor | PackedSequence, a.hx);
    return [out, h];
  }
  // call() as forward: a PackedSequence in gives one out (Module.call types only the last overload).
  override call(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override call(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override call(...args: unknown[]): unknown {
    return (Module.prototype.call as (this: Module, ...a: unknown[]) => unknown).apply(this, args);
  }
}

/**
 * The common part of RNNCell, LSTMCell and GRUCell (torch.nn.RNNCellBase): `numChunks` gates of
 * `hiddenSize` in weight_ih (numChunks·H, H_in), weight_hh (numChunks·H, H), bias_ih and bias_hh
 * (numChunks·H, or null without bias), drawn from U(-1/√H, 1/√H).
 *
 * Args (positionally or by name, in Python's order): inputSize, hiddenSize, bias, numChunks,
 * device, dtype.
 */
export class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(...args: ArgsOf<"torch.nn.RNNCellBase">) {
    super();
    const options = bind("torch.nn.RNNCellBase", args);
    const { inputSize, hiddenSize, numChunks } = options;
    checkPositiveInt(inputSize, this.constructor.name, "inputSize");
    checkPositiveInt(hiddenSize, this.constructor.name, "hiddenSize");
    checkPositiveInt(numChunks, this.constructor.name, "numChunks");
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = options.bias;
    const factory = factoryOf(options);
    this.weight_ih = new Parameter(empty([numChunks * hiddenSize, inputSize], factory));
    this.weight_hh = new Parameter(empty([numChunks * hiddenSize, hiddenSize], factory));
    this.bias_ih = this.bias ? new Parameter(empty([numChunks * hiddenSize], factory)) : null;
    this.bias_hh = this.bias ? new Parameter(empty([numChunks * hiddenSize], factory)) : null;
    this.resetParameters();
  }

  /** Every weight from U(-1/√hidden, 1/√hidden), in registration order (as PyTorch). */
  resetParameters(): void {
    bind("torch.nn.RNNCellBase.reset_parameters", arguments);
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  protected state(input: Tensor, hx: Tensor | undefined): Tensor {
    return hx ?? zeros(input.dim() === 2 ? [input.shape[0]!, this.hiddenSize] : [this.hiddenSize], { dtype: input.dtype, device: input.device });
  }

  protected cellOptions(): { bIh: Tensor | null; bHh: Tensor | null } {
    return { bIh: this.bias_ih, bHh: this.bias_hh };
  }

  override extraRepr(): string {
    const nonlinearity = (this as { nonlinearity?: string }).nonlinearity;
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? "" : ", bias=False"}${nonlinearity !== undefined && nonlinearity !== "tanh" ? `, nonlinearity=${nonlinearity}` : ""}`;
  }
}

/** One step of an Elman RNN (torch.nn.RNNCell). Shape: input (N, H_in), hx (N, H) -> h' (N, H). */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: "tanh" | "relu";
  constructor(...args: ArgsOf<"torch.nn.RNNCell">) {
    const { nonlinearity, ...options } = bind("torch.nn.RNNCell", args);
    if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
      throw new Error(`Unknown nonlinearity: ${String(nonlinearity)}`);
    }
    super({ ...options, numChunks: 1 });
    this.nonlinearity = nonlinearity;
  }
  override forward(input: Tensor, hx?: Tensor): Tensor {
    const cell = this.nonlinearity === "tanh" ? ops.rnnTanhCell : ops.rnnReluCell;
    return cell(input, this.state(input, hx), this.weight_ih, this.weight_hh, this.cellOptions());
  }
}
/** One LSTM step (torch.nn.LSTMCell): [h', c'] from input (N, H_in) and [h, c] (N, H). */
export class LSTMCell extends RNNCellBase {
  constructor(...args: ArgsOf<"torch.nn.LSTMCell">) {
    super({ ...bind("torch.nn.LSTMCell", args), numChunks: 4 });
  }
  override forward(input: Tensor, hx?: [Tensor, Tensor]): [Tensor, Tensor] {
    const state = hx ?? [this.state(input, undefined), this.state(input, undefined)];
    const [h, c] = ops.lstmCell(input, state, this.weight_ih, this.weight_hh, this.cellOptions());
    return [h, c];
  }
}
/** One GRU step (torch.nn.GRUCell). Shape: input (N, H_in), hx (N, H) -> h' (N, H). */
export class GRUCell extends RNNCellBase {
  constructor(...args: ArgsOf<"torch.nn.GRUCell">) {
    super({ ...bind("torch.nn.GRUCell", args), numChunks: 3 });
  }
  override forward(input: Tensor, hx?: Tensor): Tensor {
    return ops.gruCell(input, this.state(input, hx), this.weight_ih, this.weight_hh, this.cellOptions());
  }
}
