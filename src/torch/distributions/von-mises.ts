// The von Mises distribution on the circle (torch/distributions/von_mises.py).
import { Tensor } from "../tensor/tensor.js";
import { empty, rand, zeros } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, lazy, rdiv, rsub, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface VonMisesOptions extends ValidateArgsOption {
  loc?: TensorLike;
  concentration?: TensorLike;
}

// Polynomial approximations of the modified Bessel functions I0 and I1 (Abramowitz & Stegun).
const I0_COEF_SMALL = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813];
const I0_COEF_LARGE = [0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706, 0.02635537, -0.01647633, 0.00392377];
const I1_COEF_SMALL = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411];
const I1_COEF_LARGE = [0.39894228, -0.03988024, -0.00362018, 0.00163801, -0.01031555, 0.02282967, -0.02895312, 0.01787654, -0.00420059];

function evalPoly(y: Tensor, coef: readonly number[]): Tensor {
  let result: Tensor | number = coef[coef.length - 1]!;
  for (let i = coef.length - 2; i >= 0; i--) result = y.mul(result).add(coef[i]!);
  return typeof result === "number" ? y.mul(0).add(result) : result;
}

/** log(I_order(x)) for order 0 or 1. */
function logModifiedBessel(x: Tensor, order: 0 | 1): Tensor {
  let y = x.div(3.75);
  y = y.mul(y);
  let small = evalPoly(y, order === 0 ? I0_COEF_SMALL : I1_COEF_SMALL);
  if (order === 1) small = x.abs().mul(small);
  small = small.log();
  const yl = rdiv(x, 3.75);
  const large = x.sub(x.log().mul(0.5)).add(evalPoly(yl, order === 0 ? I0_COEF_LARGE : I1_COEF_LARGE).log());
  return ops.where(x.lt(3.75), small, large);
}

function rejectionSample(loc: Tensor, concentration: Tensor, proposalR: Tensor, x0: Tensor): Tensor {
  let x = x0;
  let done = zeros(x.shape, { dtype: "bool", device: loc.device });
  while (!done.all().item<boolean>()) {
    const u = rand([3, ...x.shape], { dtype: loc.dtype, device: loc.device });
    const [u1, u2, u3] = [u.select(0, 0), u.select(0, 1), u.select(0, 2)];
    const z = ops.cos(u1.mul(Math.PI));
    const f = proposalR.mul(z).add(1).div(proposalR.add(z));
    const c = concentration.mul(proposalR.sub(f));
    const accept = c.mul(rsub(c, 2)).sub(u2).gt(0).bitwiseOr(c.div(u2).log().add(1).sub(c).ge(0));
    if (accept.any().item<boolean>()) {
      x = ops.where(accept, u3.sub(0.5).sign().mul(f.acos()), x);
      done = done.bitwiseOr(accept);
    }
  }
  return x.add(Math.PI).add(loc).remainder(2 * Math.PI).sub(Math.PI);
}

/** The rejection sampler's proposal parameter for concentration `kappa` (Best & Fisher). */
function proposalR(kappa: Tensor): Tensor {
  const tau = kappa.pow(2).mul(4).add(1).sqrt().add(1);
  const rho = tau.sub(tau.mul(2).sqrt()).div(kappa.mul(2));
  return rho.pow(2).add(1).div(rho.mul(2));
}

const VARIANCE = Symbol("variance");

/**
 * A circular von Mises distribution of location `loc` (an angle) and `concentration`. Samples are
 * drawn by rejection (Best & Fisher, 1979); there is no rsample.
 *
 * Example:
 * ```ts
 * new VonMises(torch.tensor([1.0]), torch.tensor([1.0])).sample(); // an angle in [-π, π)
 * ```
 */
export class VonMises extends Distribution {
  loc!: Tensor;
  concentration!: Tensor;
  /** @internal */ _proposalR!: Tensor;
  /** @internal */ [VARIANCE]?: Tensor;

  constructor(...args: CtorArgs<[loc: TensorLike, concentration: TensorLike, validateArgs: boolean | null], VonMisesOptions>) {
    super();
    const a = bindArgs("torch.distributions.VonMises", args);
    const loc = tensorLikeArg("VonMises", "loc", a.loc)!;
    const concentration = tensorLikeArg("VonMises", "concentration", a.concentration)!;
    [this.loc, this.concentration] = broadcastAll(loc, concentration) as [Tensor, Tensor];
    this._proposalR = proposalR(this.concentration);
    this._init(this.loc.shape, [], boolArg("VonMises", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real, concentration: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    return this.concentration
      .mul(ops.cos(value.sub(this.loc)))
      .sub(Math.log(2 * Math.PI))
      .sub(logModifiedBessel(this.concentration, 0));
  }
  override _sample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const device = this.loc.device;
    if (!followsTorch2()) return noGrad(() => rejectionSample(this.loc, this.concentration, this._proposalR, empty(shape, { dtype: this.loc.dtype, device })));
    // torch 2.x samples in float64 (with a Taylor proposal for tiny concentrations) and casts back.
    return noGrad(() => {
      const loc = this.loc.to({ dtype: "float64" });
      const kappa = this.concentration.to({ dtype: "float64" });
      const r = ops.where(kappa.lt(1e-5), kappa.reciprocal().add(kappa), proposalR(kappa));
      return rejectionSample(loc, kappa, r, empty(shape, { dtype: "float64", device })).to({ dtype: this.loc.dtype });
    });
  }
  override _expand(batchShape: number[]): VonMises {
    return new VonMises(this.loc.expand(batchShape), this.concentration.expand(batchShape), { validateArgs: this._validateArgsFlag ?? null });
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return lazy(this, VARIANCE, () =>
      rsub(logModifiedBessel(this.concentration, 1).sub(logModifiedBessel(this.concentration, 0)).exp(), 1),
    );
  }
}
