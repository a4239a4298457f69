// The chi-squared distribution (torch/distributions/chi2.py): Gamma(df / 2, 1 / 2).
import { Tensor } from "../tensor/tensor.js";
import * as constraints from "./constraints.js";
import { Gamma } from "./gamma.js";
import { bindArgs } from "../binding/index.js";
import { tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface Chi2Options extends ValidateArgsOption {
  df?: TensorLike;
}

/**
 * A chi-squared distribution with `df` degrees of freedom (exactly `Gamma(0.5 * df, 0.5)`).
 *
 * Example:
 * ```ts
 * new Chi2(torch.tensor([1.0])).sample();
 * ```
 */
export class Chi2 extends Gamma {
  constructor(...args: CtorArgs<[df: TensorLike, validateArgs: boolean | null], Chi2Options>) {
    super({ concentration: 1, rate: 1, validateArgs: false });
    const a = bindArgs("torch.distributions.Chi2", args);
    const df = tensorLikeArg("Chi2", "df", a.df)!;
    this._setup("Chi2", typeof df === "number" ? 0.5 * df : df.mul(0.5), 0.5, a.validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { df: constraints.positive };
  }
  /** Degrees of freedom. */
  get df(): Tensor {
    return this.concentration.mul(2);
  }
}
