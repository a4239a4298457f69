// The Dirichlet distribution (torch/distributions/dirichlet.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { AutogradFunction, type FunctionCtx } from "../autograd/function.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { dirichletGrad, sampleDirichlet } from "./private-ops.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, rsub, tensorArg, type CtorArgs, type ValidateArgsOption } from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface DirichletOptions extends ValidateArgsOption {
  concentration?: Tensor;
}

/** Dirichlet samples with the implicit reparameterization gradient (Python's `_Dirichlet`). */
class DirichletSample extends AutogradFunction {
  static override forward(ctx: FunctionCtx, concentration: Tensor): Tensor {
    const x = sampleDirichlet(concentration);
    ctx.saveForBackward(x, concentration);
    return x;
  }
  static override backward(ctx: FunctionCtx, gradOutput: Tensor): Tensor {
    const [x, concentration] = ctx.savedTensors as [Tensor, Tensor];
    const total = concentration.sum(-1, true).expandAs(concentration);
    const grad = dirichletGrad(x, concentration, total);
    return grad.mul(gradOutput.sub(x.mul(gradOutput).sum(-1, true)));
  }
}

/**
 * A Dirichlet distribution parameterized by `concentration` (the last dimension is the event).
 *
 * Example:
 * ```ts
 * new Dirichlet(torch.tensor([0.5, 0.5])).sample(); // a point on the 1-simplex
 * ```
 */
export class Dirichlet extends ExponentialFamily {
  concentration!: Tensor;

  constructor(...args: CtorArgs<[concentration: Tensor, validateArgs: boolean | null], DirichletOptions>) {
    super();
    const a = bindArgs("torch.distributions.Dirichlet", args);
    const concentration = tensorArg("Dirichlet", "concentration", a.concentration)!;
    if (concentration.dim() < 1) throw new Error("`concentration` parameter must be at least one-dimensional.");
    this.concentration = concentration;
    const shape = concentration.shape;
    this._init(shape.slice(0, -1), shape.slice(-1), boolArg("Dirichlet", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { concentration: constraints.independent(constraints.positive, 1) };
  }
  override get support(): constraints.Constraint {
    return constraints.simplex;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): Dirichlet {
    const n = this._newInstance();
    n.concentration = this.concentration.expand([...batchShape, ...this._eventShape]);
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    return DirichletSample.apply(this.concentration.expand(shape));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    // torch 2.x: xlogy, so a zero coordinate with concentration 1 adds 0 (1.13: log(value) * (c - 1), NaN there).
    const terms = followsTorch2() ? ops.xlogy(this.concentration.sub(1.0), value) : ops.log(value).mul(this.concentration.sub(1.0));
    return terms
      .sum(-1)
      .add(ops.lgamma(this.concentration.sum(-1)))
      .sub(ops.lgamma(this.concentration).sum(-1));
  }
  override get mean(): Tensor {
    return this.concentration.div(this.concentration.sum(-1, true));
  }
  override get mode(): Tensor {
    const cm1 = this.concentration.sub(1).clamp({ min: 0.0 });
    const mode = cm1.div(cm1.sum(-1, true));
    const mask = this.concentration.lt(1).all(-1);
    const k = cm1.shape[cm1.dim() - 1]!;
    mode.idxPut_(mask, ops.oneHot(mode.idx(mask).argmax({ dim: -1 }), k).to(mode));
    return mode;
  }
  override get variance(): Tensor {
    const con0 = this.concentration.sum(-1, true);
    return this.concentration.mul(con0.sub(this.concentration)).div(con0.pow(2).mul(con0.add(1)));
  }
  override _entropy(): Tensor {
    const k = this.concentration.size(-1);
    const a0 = this.concentration.sum(-1);
    return ops
      .lgamma(this.concentration)
      .sum(-1)
      .sub(ops.lgamma(a0))
      .sub(rsub(a0, k).mul(ops.digamma(a0)))
      .sub(this.concentration.sub(1.0).mul(ops.digamma(this.concentration)).sum(-1));
  }
  override get _naturalParams(): Tensor[] {
    return [this.concentration];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    const x = p[0]!;
    return x.lgamma().sum(-1).sub(ops.lgamma(x.sum(-1)));
  }
}
