// Custom autograd functions with JS forward and backward (torch.autograd.Function).
//
//   class Square extends torch.autograd.Function {
//     static forward(ctx: FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.mul(x); }
//     static backward(ctx: FunctionCtx, g: Tensor) { const [x] = ctx.savedTensors; return g.mul(x).mul(2); }
//   }
//   const y = Square.apply(x);
//
// forward runs with gradient recording off; its outputs join the graph through one native node
// whose backward calls the JS `backward` synchronously on this thread (CPU graphs).
import { native, Tensor } from "../tensor/tensor.js";
import { noGrad } from "../tensor/runtime.js";

/** The `ctx` passed to forward and backward; other properties may be set freely. */
export class FunctionCtx {
  /** For each forward argument: whether it is a Tensor that requires grad. */
  readonly needsInputGrad: readonly boolean[];
  private saved: Tensor[] = [];
  [key: string]: unknown;

  constructor(needsInputGrad: boolean[]) {
    this.needsInputGrad = needsInputGrad;
  }
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
  }
  get savedTensors(): Tensor[] {
    return this.saved;
  }
}

type Grad = Tensor | null | undefined;
type ForwardResult = Tensor | Tensor[];

export class AutogradFunction {
  static forward(_ctx: FunctionCtx, ..._args: never[]): ForwardResult {
    throw new Error(`${this.name}: a custom autograd Function must define static forward(ctx, ...args)`);
  }
  static backward(_ctx: FunctionCtx, ..._grads: Tensor[]): Grad | Grad[] {
    throw new Error(`${this.name}: a custom autograd Function must define static backward(ctx, ...grads)`);
  }

  /** Runs forward and records the call in the autograd graph. */
  static apply<A extends unknown[], R extends ForwardResult>(
    this: { forward(ctx: FunctionCtx, ...args: A): R; backward(ctx: FunctionCtx, ...grads: Tensor[]): Grad | Grad[]; name: string },
    ...args: A
  ): R {
    const ctx = new FunctionCtx(args.map((a) => a instanceof Tensor && a.requiresGrad));
    const result = noGrad(() => this.forward(ctx, ...args));
    const single = !Array.isArray(result);
    const outputs = (single ? [result] : result) as Tensor[];
    for (const o of outputs) {
      if (!(o instanceof Tensor)) throw new TypeError(`${this.name}.forward must return a Tensor or an array of Tensors`);
    }
    const tensorArgs: number[] = [];
    args.forEach((a, i) => {
      if (a instanceof Tensor) tensorArgs.push(i);
    });
    const backward = (gradHandles: (import("../native.js").Handle | undefined)[]) => {
      const grads = gradHandles.map((h) => (h === undefined ? undefined : new Tensor(h))) as Tensor[];
      const r = this.backward(ctx, ...grads);
      const list = Array.isArray(r) ? r : [r];
      // One gradient per forward argument (as Python), or one per tensor argument.
      let perTensor: Grad[];
      if (list.length === args.length) perTensor = tensorArgs.map((i) => list[i]);
      else if (list.length === tensorArgs.length) perTensor = list;
      else {
        throw new TypeError(
          `${this.name}.backward returned ${list.length} gradients; expected ${args.length} (one per forward argument)`,
        );
      }
      return perTensor.map((g) => {
        if (g === undefined || g === null) return undefined;
        if (!(g instanceof Tensor)) throw new TypeError(`${this.name}.backward must return Tensors (or null)`);
        return g._h;
      });
    };
    const handles = native().functionAttach(
      tensorArgs.map((i) => (args[i] as Tensor)._h),
      outputs.map((o) => o._h),
      backward,
      `${this.name}Backward`,
    );
    const wrapped = handles.map((h, i) => (h === outputs[i]!._h ? outputs[i]! : new Tensor(h)));
    return (single ? wrapped[0] : wrapped) as R;
  }
}
