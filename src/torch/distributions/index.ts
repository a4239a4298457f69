// torch.distributions: probability distributions, their constraints and transforms, and the KL
// divergence registry (torch/distributions/__init__.py). Python's snake_case functions are camelCase.
export * as constraints from "./constraints.js";
export { Distribution } from "./distribution.js";
export { ExponentialFamily } from "./exp-family.js";
export { Bernoulli } from "./bernoulli.js";
export { Beta } from "./beta.js";
export { Binomial } from "./binomial.js";
export { Categorical } from "./categorical.js";
export { Cauchy } from "./cauchy.js";
export { Chi2 } from "./chi2.js";
export { Dirichlet } from "./dirichlet.js";
export { Exponential } from "./exponential.js";
export { Gamma } from "./gamma.js";
export { InverseGamma } from "./inverse-gamma.js";
export { Geometric } from "./geometric.js";
export { Laplace } from "./laplace.js";
export { Normal } from "./normal.js";
export { OneHotCategorical, OneHotCategoricalStraightThrough } from "./one-hot-categorical.js";
export { Poisson } from "./poisson.js";
export { Uniform } from "./uniform.js";
export { Gumbel } from "./gumbel.js";
export { HalfCauchy } from "./half-cauchy.js";
export { HalfNormal } from "./half-normal.js";
export { Independent } from "./independent.js";
export { Kumaraswamy } from "./kumaraswamy.js";
export { LogNormal } from "./log-normal.js";
export { LogisticNormal } from "./logistic-normal.js";
export { Pareto } from "./pareto.js";
export { TransformedDistribution } from "./transformed-distribution.js";
export { Weibull } from "./weibull.js";
export * as transforms from "./transforms.js";
export {
  AbsTransform, AffineTransform, CatTransform, ComposeTransform, CorrCholeskyTransform, CumulativeDistributionTransform, ExpTransform,
  IndependentTransform, LowerCholeskyTransform, PositiveDefiniteTransform, PowerTransform, ReshapeTransform, SigmoidTransform, SoftplusTransform, SoftmaxTransform,
  StackTransform, StickBreakingTransform, TanhTransform, Transform, identityTransform,
} from "./transforms.js";
export * as constraintRegistry from "./constraint-registry.js";
export { bijectTo, transformTo, ConstraintRegistry } from "./constraint-registry.js";
export { ContinuousBernoulli } from "./continuous-bernoulli.js";
export { FisherSnedecor } from "./fisher-snedecor.js";
export { LowRankMultivariateNormal } from "./lowrank-multivariate-normal.js";
export { Multinomial } from "./multinomial.js";
export { MultivariateNormal } from "./multivariate-normal.js";
export { NegativeBinomial } from "./negative-binomial.js";
export { LogitRelaxedBernoulli, RelaxedBernoulli } from "./relaxed-bernoulli.js";
export { ExpRelaxedCategorical, RelaxedOneHotCategorical } from "./relaxed-categorical.js";
export { StudentT } from "./student-t.js";
export { VonMises } from "./von-mises.js";
export { LKJCholesky } from "./lkj-cholesky.js";
export { MixtureSameFamily } from "./mixture-same-family.js";
export { Wishart } from "./wishart.js";
export { klDivergence, registerKl, type DistributionClass, type KLFunction } from "./kl.js";
