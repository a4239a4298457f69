// KL divergences between distributions, and the registry they dispatch through
// (torch/distributions/kl.py): `klDivergence(p, q)` finds the most specific registered pair.
import { Tensor } from "../tensor/tensor.js";
import { fullLike, onesLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import { grad } from "../autograd/grad.js";
import { bindArgs } from "../binding/index.js";
import { Bernoulli } from "./bernoulli.js";
import { Beta } from "./beta.js";
import { Binomial } from "./binomial.js";
import { Categorical } from "./categorical.js";
import { Cauchy } from "./cauchy.js";
import { ContinuousBernoulli } from "./continuous-bernoulli.js";
import { Dirichlet } from "./dirichlet.js";
import { Distribution } from "./distribution.js";
import { Exponential } from "./exponential.js";
import { ExponentialFamily } from "./exp-family.js";
import { Gamma } from "./gamma.js";
import { Geometric } from "./geometric.js";
import { Gumbel } from "./gumbel.js";
import { HalfNormal } from "./half-normal.js";
import { Independent } from "./independent.js";
import { Laplace } from "./laplace.js";
import { LowRankMultivariateNormal, batchLowrankLogdet, batchLowrankMahalanobis } from "./lowrank-multivariate-normal.js";
import { MultivariateNormal, batchMahalanobis } from "./multivariate-normal.js";
import { Normal } from "./normal.js";
import { OneHotCategorical } from "./one-hot-categorical.js";
import { Pareto } from "./pareto.js";
import { Poisson } from "./poisson.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { Uniform } from "./uniform.js";
import type { GreaterThanEq, Interval } from "./constraints.js";
import { broadcastShapes, eulerConstant, rsub, sameShape, sumRightmost } from "./utils.js";

/** A Distribution class (or subclass) as a registry key. */
export type DistributionClass<D extends Distribution = Distribution> = abstract new (...args: never) => D;
/** A function computing KL(p || q), batched over the batch shape. */
export type KLFunction<P extends Distribution = Distribution, Q extends Distribution = Distribution> = (p: P, q: Q) => Tensor;

// Registration order matters when two registered pairs are equally specific (as Python's dict).
const registry: { p: DistributionClass; q: DistributionClass; fn: KLFunction }[] = [];
const memo = new Map<DistributionClass, Map<DistributionClass, KLFunction | null>>();

function isSubclass(x: DistributionClass, y: DistributionClass): boolean {
  return x === y || x.prototype instanceof y;
}

/**
 * Registers a pairwise KL function, as Python's `@register_kl(TypeP, TypeQ)` decorator:
 * `registerKl(Normal, Normal)((p, q) => ...)`. Lookup picks the most specific registered pair
 * for the classes of `p` and `q`; an ambiguity (two equally specific pairs) warns, as Python does.
 *
 * Args:
 *   typeP: a subclass of Distribution.
 *   typeQ: a subclass of Distribution.
 */
export function registerKl<P extends Distribution, Q extends Distribution>(
  typeP: DistributionClass<P> | { typeP: DistributionClass<P>; typeQ: DistributionClass<Q> },
  typeQ?: DistributionClass<Q> | { typeQ: DistributionClass<Q> },
): (fn: KLFunction<P, Q>) => KLFunction<P, Q> {
  const bound = bindArgs("torch.distributions.register_kl", [typeP, typeQ]) as { typeP: DistributionClass<P>; typeQ: DistributionClass<Q> };
  return registerPair(bound.typeP, bound.typeQ);
}

function registerPair<P extends Distribution, Q extends Distribution>(
  typeP: DistributionClass<P>,
  typeQ: DistributionClass<Q>,
): (fn: KLFunction<P, Q>) => KLFunction<P, Q> {
  if (typeof typeP !== "function" || !isSubclass(typeP, Distribution)) {
    throw new TypeError(`Expected type_p to be a Distribution subclass but got ${String(typeP)}`);
  }
  if (typeof typeQ !== "function" || !isSubclass(typeQ, Distribution)) {
    throw new TypeError(`Expected type_q to be a Distribution subclass but got ${String(typeQ)}`);
  }
  return (fn) => {
    if (typeof fn !== "function") throw new TypeError("registerKl(): the registered KL must be a function");
    const existing = registry.find((e) => e.p === typeP && e.q === typeQ);
    if (existing) existing.fn = fn as KLFunction;
    else registry.push({ p: typeP, q: typeQ, fn: fn as KLFunction });
    memo.clear();
    return fn;
  };
}

type Pair = [DistributionClass, DistributionClass];
/** Python's `_Match.__le__`: lexicographic by subclass relation. */
function matchLe(a: Pair, b: Pair): boolean {
  for (let i = 0; i < 2; i++) {
    if (!isSubclass(a[i]!, b[i]!)) return false;
    if (a[i] !== b[i]) break;
  }
  return true;
}
function matchMin(matches: Pair[]): Pair {
  let best = matches[0]!;
  for (const m of matches.slice(1)) {
    const eq = m[0] === best[0] && m[1] === best[1];
    if (matchLe(m, best) && !eq) best = m;
  }
  return best;
}

let warnedAmbiguous = new Set<string>();
function dispatch(typeP: DistributionClass, typeQ: DistributionClass): KLFunction | null {
  const matches: Pair[] = [];
  for (const e of registry) if (isSubclass(typeP, e.p) && isSubclass(typeQ, e.q)) matches.push([e.p, e.q]);
  if (matches.length === 0) return null;
  const [leftP, leftQ] = matchMin(matches);
  const [rightQ, rightP] = matchMin(matches.map(([p, q]) => [q, p] as Pair));
  const fnOf = (p: DistributionClass, q: DistributionClass) => registry.find((e) => e.p === p && e.q === q)!.fn;
  const leftFun = fnOf(leftP, leftQ);
  const rightFun = fnOf(rightP, rightQ);
  if (leftFun !== rightFun) {
    const message = `Ambiguous kl_divergence(${typeP.name}, ${typeQ.name}). Please register_kl(${leftP.name}, ${rightQ.name})`;
    if (!warnedAmbiguous.has(message)) {
      warnedAmbiguous.add(message);
      process.emitWarning(message, "RuntimeWarning");
    }
  }
  return leftFun;
}

/**
 * The Kullback-Leibler divergence KL(p || q) = ∫ p(x) log(p(x) / q(x)) dx, batched over the
 * batch shape, from the most specific function registered for the classes of `p` and `q`.
 *
 * Args:
 *   p: a Distribution.
 *   q: a Distribution.
 *
 * Example:
 * ```ts
 * klDivergence(new Normal(0, 1), new Normal(1, 2)); // a 0-d tensor
 * ```
 */
export function klDivergence(p: Distribution, q: Distribution): Tensor;
export function klDivergence(p: Distribution, options: { q: Distribution }): Tensor;
export function klDivergence(options: { p: Distribution; q: Distribution }): Tensor;
export function klDivergence(...args: unknown[]): Tensor {
  const { p, q } = bindArgs("torch.distributions.kl_divergence", args) as { p: unknown; q: unknown };
  if (!(p instanceof Distribution) || !(q instanceof Distribution)) throw new TypeError("klDivergence(): p and q must be Distributions");
  const typeP = p.constructor as DistributionClass;
  const typeQ = q.constructor as DistributionClass;
  let row = memo.get(typeP);
  if (!row) memo.set(typeP, (row = new Map()));
  let fun = row.get(typeQ);
  if (fun === undefined) {
    fun = dispatch(typeP, typeQ);
    row.set(typeQ, fun);
  }
  if (fun === null) throw new Error(`No KL(p || q) is implemented for p type ${typeP.name} and q type ${typeQ.name}`);
  return fun(p, q);
}

/** @internal Clears the ambiguity warnings already shown (tests). */
export function _resetKlWarnings(): void {
  warnedAmbiguous = new Set();
}

const infiniteLike = (t: Tensor): Tensor => fullLike(t, Infinity);
const xLogX = (t: Tensor): Tensor => t.mul(t.log());
function batchTraceXXT(bmat: Tensor): Tensor {
  const n = bmat.size(-1);
  const m = bmat.size(-2);
  return bmat.reshape(-1, m * n).pow(2).sum(-1).reshape(bmat.shape.slice(0, -2));
}

// ---- same-family divergences ----
// Registered with registerPair, not registerKl: binding arguments reads the running libtorch's
// version, and importing torch must not load libtorch.

registerPair(Bernoulli, Bernoulli)((p, q) => {
  const t1 = p.probs.mul(ops.softplus(q.logits.neg()).sub(ops.softplus(p.logits.neg())));
  t1.idxPut_(q.probs.eq(0), Infinity);
  t1.idxPut_(p.probs.eq(0), 0);
  const t2 = rsub(p.probs, 1).mul(ops.softplus(q.logits).sub(ops.softplus(p.logits)));
  t2.idxPut_(q.probs.eq(1), Infinity);
  t2.idxPut_(p.probs.eq(1), 0);
  return t1.add(t2);
});

registerPair(Beta, Beta)((p, q) => {
  const sumP = p.concentration1.add(p.concentration0);
  const sumQ = q.concentration1.add(q.concentration0);
  const t1 = q.concentration1.lgamma().add(q.concentration0.lgamma()).add(sumP.lgamma());
  const t2 = p.concentration1.lgamma().add(p.concentration0.lgamma()).add(sumQ.lgamma());
  const t3 = p.concentration1.sub(q.concentration1).mul(ops.digamma(p.concentration1));
  const t4 = p.concentration0.sub(q.concentration0).mul(ops.digamma(p.concentration0));
  const t5 = sumQ.sub(sumP).mul(ops.digamma(sumP));
  return t1.sub(t2).add(t3).add(t4).add(t5);
});

registerPair(Binomial, Binomial)((p, q) => {
  if (p.totalCount.lt(q.totalCount).any().item<boolean>()) {
    throw new Error("KL between Binomials where q.total_count > p.total_count is not implemented");
  }
  const kl = p.totalCount.mul(p.probs.mul(p.logits.sub(q.logits)).add(p.probs.neg().log1p()).sub(q.probs.neg().log1p()));
  const infIdxs = p.totalCount.gt(q.totalCount);
  kl.idxPut_(infIdxs, infiniteLike(kl.idx(infIdxs)));
  return kl;
});

function klCategorical(p: Categorical, q: Categorical): Tensor {
  const t = p.probs.mul(p.logits.sub(q.logits));
  t.idxPut_(q.probs.eq(0).expandAs(t), Infinity);
  t.idxPut_(p.probs.eq(0).expandAs(t), 0);
  return t.sum(-1);
}
registerPair(Categorical, Categorical)(klCategorical);

registerPair(ContinuousBernoulli, ContinuousBernoulli)((p, q) => {
  const t1 = p.mean.mul(p.logits.sub(q.logits));
  const t2 = p._contBernLogNorm().add(ops.log1p(p.probs.neg()));
  const t3 = q._contBernLogNorm().neg().sub(ops.log1p(q.probs.neg()));
  return t1.add(t2).add(t3);
});

registerPair(Dirichlet, Dirichlet)((p, q) => {
  const sumP = p.concentration.sum(-1);
  const sumQ = q.concentration.sum(-1);
  const t1 = sumP.lgamma().sub(sumQ.lgamma());
  const t2 = p.concentration.lgamma().sub(q.concentration.lgamma()).sum(-1);
  const t3 = p.concentration.sub(q.concentration);
  const t4 = p.concentration.digamma().sub(sumP.digamma().unsqueeze(-1));
  return t1.sub(t2).add(t3.mul(t4).sum(-1));
});

registerPair(Exponential, Exponential)((p, q) => {
  const rateRatio = q.rate.div(p.rate);
  return rateRatio.log().neg().add(rateRatio).sub(1);
});

registerPair(ExponentialFamily, ExponentialFamily)((p, q) => {
  if (p.constructor !== q.constructor) {
    throw new Error("The cross KL-divergence between different exponential families cannot be computed using Bregman divergences");
  }
  const pN = p._naturalParams.map((n) => n.detach().requiresGrad_());
  const qN = q._naturalParams;
  const lgNormal = p._logNormalizer(...pN);
  const gradients = grad(lgNormal.sum(), pN, { createGraph: true });
  let result = q._logNormalizer(...qN).sub(lgNormal);
  pN.forEach((pnp, i) => {
    const term = qN[i]!.sub(pnp).mul(gradients[i]!);
    result = result.sub(sumRightmost(term, q.eventShape.length));
  });
  return result;
});

registerPair(Gamma, Gamma)((p, q) => {
  const t1 = q.concentration.mul(p.rate.div(q.rate).log());
  const t2 = ops.lgamma(q.concentration).sub(ops.lgamma(p.concentration));
  const t3 = p.concentration.sub(q.concentration).mul(ops.digamma(p.concentration));
  const t4 = q.rate.sub(p.rate).mul(p.concentration.div(p.rate));
  return t1.add(t2).add(t3).add(t4);
});

registerPair(Gumbel, Gumbel)((p, q) => {
  const ct1 = p.scale.div(q.scale);
  const ct2 = q.loc.div(q.scale);
  const ct3 = p.loc.div(q.scale);
  const t1 = ct1.log().neg().sub(ct2).add(ct3);
  const t2 = ct1.mul(eulerConstant);
  const t3 = ops.exp(ct2.add(ct1.add(1).lgamma()).sub(ct3));
  return t1.add(t2).add(t3).sub(1 + eulerConstant);
});

registerPair(Geometric, Geometric)((p, q) => p.entropy().neg().sub(ops.log1p(q.probs.neg()).div(p.probs)).sub(q.logits));

function klNormal(p: Normal, q: Normal): Tensor {
  const varRatio = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
}
registerPair(HalfNormal, HalfNormal)((p, q) => klNormal(p.baseDist, q.baseDist));

registerPair(Laplace, Laplace)((p, q) => {
  const scaleRatio = p.scale.div(q.scale);
  const locAbsDiff = p.loc.sub(q.loc).abs();
  const t1 = scaleRatio.log().neg();
  const t2 = locAbsDiff.div(q.scale);
  const t3 = scaleRatio.mul(ops.exp(locAbsDiff.neg().div(p.scale)));
  return t1.add(t2).add(t3).sub(1);
});

function sameEvent(p: Distribution, q: Distribution, what: string): void {
  if (!sameShape(p.eventShape, q.eventShape)) {
    throw new Error(`KL-divergence between two ${what} with different event shapes cannot be computed`);
  }
}

registerPair(LowRankMultivariateNormal, LowRankMultivariateNormal)((p, q) => {
  sameEvent(p, q, "Low Rank Multivariate Normals");
  const term1 = batchLowrankLogdet(q._unbroadcastedCovDiag, q._capacitanceTril).sub(batchLowrankLogdet(p._unbroadcastedCovDiag, p._capacitanceTril));
  const term3 = batchLowrankMahalanobis(q._unbroadcastedCovFactor, q._unbroadcastedCovDiag, q.loc.sub(p.loc), q._capacitanceTril);
  const qWtqDinv = q._unbroadcastedCovFactor.mT.div(q._unbroadcastedCovDiag.unsqueeze(-2));
  const A = linalg.solveTriangular(q._capacitanceTril, qWtqDinv, { upper: false });
  const term21 = p._unbroadcastedCovDiag.div(q._unbroadcastedCovDiag).sum(-1);
  const term22 = batchTraceXXT(p._unbroadcastedCovFactor.mul(q._unbroadcastedCovDiag.rsqrt().unsqueeze(-1)));
  const term23 = batchTraceXXT(A.mul(p._unbroadcastedCovDiag.sqrt().unsqueeze(-2)));
  const term24 = batchTraceXXT(A.matmul(p._unbroadcastedCovFactor));
  const term2 = term21.add(term22).sub(term23).sub(term24);
  return term1.add(term2).add(term3).sub(p.eventShape[0]!).mul(0.5);
});

registerPair(MultivariateNormal, LowRankMultivariateNormal)((p, q) => {
  sameEvent(p, q, "(Low Rank) Multivariate Normals");
  const term1 = batchLowrankLogdet(q._unbroadcastedCovDiag, q._capacitanceTril).sub(
    p._unbroadcastedScaleTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1).mul(2),
  );
  const term3 = batchLowrankMahalanobis(q._unbroadcastedCovFactor, q._unbroadcastedCovDiag, q.loc.sub(p.loc), q._capacitanceTril);
  const qWtqDinv = q._unbroadcastedCovFactor.mT.div(q._unbroadcastedCovDiag.unsqueeze(-2));
  const A = linalg.solveTriangular(q._capacitanceTril, qWtqDinv, { upper: false });
  const term21 = batchTraceXXT(p._unbroadcastedScaleTril.mul(q._unbroadcastedCovDiag.rsqrt().unsqueeze(-1)));
  const term22 = batchTraceXXT(A.matmul(p._unbroadcastedScaleTril));
  return term1.add(term21.sub(term22)).add(term3).sub(p.eventShape[0]!).mul(0.5);
});

registerPair(LowRankMultivariateNormal, MultivariateNormal)((p, q) => {
  sameEvent(p, q, "(Low Rank) Multivariate Normals");
  const term1 = q._unbroadcastedScaleTril
    .diagonal({ dim1: -2, dim2: -1 })
    .log()
    .sum(-1)
    .mul(2)
    .sub(batchLowrankLogdet(p._unbroadcastedCovDiag, p._capacitanceTril));
  const term3 = batchMahalanobis(q._unbroadcastedScaleTril, q.loc.sub(p.loc));
  const combined = broadcastShapes(q._unbroadcastedScaleTril.shape.slice(0, -2), p._unbroadcastedCovFactor.shape.slice(0, -2));
  const n = p.eventShape[0]!;
  const qScaleTril = q._unbroadcastedScaleTril.expand([...combined, n, n]);
  const pCovFactor = p._unbroadcastedCovFactor.expand([...combined, n, p.covFactor.size(-1)]);
  const pCovDiag = ops.diagEmbed(p._unbroadcastedCovDiag.sqrt()).expand([...combined, n, n]);
  const term21 = batchTraceXXT(linalg.solveTriangular(qScaleTril, pCovFactor, { upper: false }));
  const term22 = batchTraceXXT(linalg.solveTriangular(qScaleTril, pCovDiag, { upper: false }));
  return term1.add(term21.add(term22)).add(term3).sub(n).mul(0.5);
});

registerPair(MultivariateNormal, MultivariateNormal)((p, q) => {
  sameEvent(p, q, "Multivariate Normals");
  const halfTerm1 = q._unbroadcastedScaleTril
    .diagonal({ dim1: -2, dim2: -1 })
    .log()
    .sum(-1)
    .sub(p._unbroadcastedScaleTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1));
  const combined = broadcastShapes(q._unbroadcastedScaleTril.shape.slice(0, -2), p._unbroadcastedScaleTril.shape.slice(0, -2));
  const n = p.eventShape[0]!;
  const qScaleTril = q._unbroadcastedScaleTril.expand([...combined, n, n]);
  const pScaleTril = p._unbroadcastedScaleTril.expand([...combined, n, n]);
  const term2 = batchTraceXXT(linalg.solveTriangular(qScaleTril, pScaleTril, { upper: false }));
  const term3 = batchMahalanobis(q._unbroadcastedScaleTril, q.loc.sub(p.loc));
  return halfTerm1.add(term2.add(term3).sub(n).mul(0.5));
});

registerPair(Normal, Normal)(klNormal);
registerPair(OneHotCategorical, OneHotCategorical)((p, q) => klCategorical(p._categorical, q._categorical));

registerPair(Pareto, Pareto)((p, q) => {
  const scaleRatio = p.scale.div(q.scale);
  const alphaRatio = q.alpha.div(p.alpha);
  const t1 = q.alpha.mul(scaleRatio.log());
  const t2 = alphaRatio.log().neg();
  const result = t1.add(t2).add(alphaRatio).sub(1);
  const pLow = (p.support as GreaterThanEq).lowerBound as Tensor;
  const qLow = (q.support as GreaterThanEq).lowerBound as Tensor;
  result.idxPut_(pLow.lt(qLow), Infinity);
  return result;
});

registerPair(Poisson, Poisson)((p, q) => p.rate.mul(p.rate.log().sub(q.rate.log())).sub(p.rate.sub(q.rate)));

registerPair(TransformedDistribution, TransformedDistribution)((p, q) => {
  const same = p.transforms.length === q.transforms.length && p.transforms.every((t, i) => t.equals(q.transforms[i]!));
  if (!same) throw new Error("KL between TransformedDistributions with different transforms is not implemented");
  if (!sameShape(p.eventShape, q.eventShape)) throw new Error("KL between TransformedDistributions with different event shapes is not implemented");
  return klDivergence(p.baseDist, q.baseDist);
});

registerPair(Uniform, Uniform)((p, q) => {
  const result = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  result.idxPut_(q.low.gt(p.low).bitwiseOr(q.high.lt(p.high)), Infinity);
  return result;
});

// ---- cross-family divergences ----

registerPair(Bernoulli, Poisson)((p, q) => p.entropy().neg().sub(p.probs.mul(q.rate.log()).sub(q.rate)));

registerPair(Beta, ContinuousBernoulli)((p, q) =>
  p.entropy().neg().sub(p.mean.mul(q.logits)).sub(ops.log1p(q.probs.neg())).sub(q._contBernLogNorm()),
);

registerPair(Beta, Pareto)((p) => infiniteLike(p.concentration1));

registerPair(Beta, Exponential)((p, q) =>
  p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration1.div(p.concentration1.add(p.concentration0)))),
);

registerPair(Beta, Gamma)((p, q) => {
  const t1 = p.entropy().neg();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.sub(1).mul(p.concentration1.digamma().sub(p.concentration1.add(p.concentration0).digamma()));
  const t4 = q.rate.mul(p.concentration1).div(p.concentration1.add(p.concentration0));
  return t1.add(t2).sub(t3).add(t4);
});

registerPair(Beta, Normal)((p, q) => {
  const eBeta = p.concentration1.div(p.concentration1.add(p.concentration0));
  const varNormal = q.scale.pow(2);
  const t1 = p.entropy().neg();
  const t2 = varNormal.mul(2).mul(Math.PI).log().mul(0.5);
  const t3 = eBeta.mul(rsub(eBeta, 1)).div(p.concentration1.add(p.concentration0).add(1)).add(eBeta.pow(2)).mul(0.5);
  const t4 = q.loc.mul(eBeta);
  const t5 = q.loc.pow(2).mul(0.5);
  return t1.add(t2).add(t3.sub(t4).add(t5).div(varNormal));
});

registerPair(Beta, Uniform)((p, q) => {
  const result = p.entropy().neg().add(q.high.sub(q.low).log());
  const s = p.support as Interval;
  result.idxPut_(q.low.gt(s.lowerBound as number).bitwiseOr(q.high.lt(s.upperBound as number)), Infinity);
  return result;
});

registerPair(ContinuousBernoulli, Pareto)((p) => infiniteLike(p.probs));

registerPair(ContinuousBernoulli, Exponential)((p, q) => p.entropy().neg().sub(ops.log(q.rate)).add(q.rate.mul(p.mean)));

registerPair(ContinuousBernoulli, Normal)((p, q) => {
  const t1 = p.entropy().neg();
  const t2 = ops.square(q.loc.div(q.scale)).add(Math.log(2.0 * Math.PI)).mul(0.5).add(ops.log(q.scale));
  const t3 = p.variance.add(ops.square(p.mean)).sub(q.loc.mul(2.0).mul(p.mean)).div(ops.square(q.scale).mul(2.0));
  return t1.add(t2).add(t3);
});

registerPair(ContinuousBernoulli, Uniform)((p, q) => {
  const result = p.entropy().neg().add(q.high.sub(q.low).log());
  const s = p.support as Interval;
  const outside = ops.maximum(ops.ge(q.low, s.lowerBound as number), ops.le(q.high, s.upperBound as number));
  return ops.where(outside, onesLike(result).mul(Infinity), result);
});

for (const Q of [Beta, ContinuousBernoulli, Pareto, Uniform]) registerPair(Exponential, Q as DistributionClass)((p) => infiniteLike(p.rate));

registerPair(Exponential, Gamma)((p, q) => {
  const ratio = q.rate.div(p.rate);
  const t1 = q.concentration.neg().mul(ops.log(ratio));
  return t1.add(ratio).add(q.concentration.lgamma()).add(q.concentration.mul(eulerConstant)).sub(1 + eulerConstant);
});

registerPair(Exponential, Gumbel)((p, q) => {
  const scaleRateProd = p.rate.mul(q.scale);
  const locScaleRatio = q.loc.div(q.scale);
  const t1 = scaleRateProd.log().sub(1);
  const t2 = ops.exp(locScaleRatio).mul(scaleRateProd).div(scaleRateProd.add(1));
  const t3 = scaleRateProd.reciprocal();
  return t1.sub(locScaleRatio).add(t2).add(t3);
});

registerPair(Exponential, Normal)((p, q) => {
  const varNormal = q.scale.pow(2);
  const rateSqr = p.rate.pow(2);
  const t1 = ops.log(rateSqr.mul(varNormal).mul(2).mul(Math.PI)).mul(0.5);
  const t2 = rateSqr.reciprocal();
  const t3 = q.loc.div(p.rate);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.sub(1).add(t2.sub(t3).add(t4).div(varNormal));
});

for (const Q of [Beta, ContinuousBernoulli, Pareto, Uniform]) registerPair(Gamma, Q as DistributionClass)((p) => infiniteLike(p.concentration));

registerPair(Gamma, Exponential)((p, q) => p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration).div(p.rate)));

registerPair(Gamma, Gumbel)((p, q) => {
  const betaScaleProd = p.rate.mul(q.scale);
  const locScaleRatio = q.loc.div(q.scale);
  const t1 = p.concentration.sub(1).mul(p.concentration.digamma()).sub(p.concentration.lgamma()).sub(p.concentration);
  const t2 = betaScaleProd.log().add(p.concentration.div(betaScaleProd));
  const t3 = ops.exp(locScaleRatio).mul(betaScaleProd.reciprocal().add(1).pow(p.concentration.neg())).sub(locScaleRatio);
  return t1.add(t2).add(t3);
});

registerPair(Gamma, Normal)((p, q) => {
  const varNormal = q.scale.pow(2);
  const betaSqr = p.rate.pow(2);
  const t1 = ops.log(betaSqr.mul(varNormal).mul(2).mul(Math.PI)).mul(0.5).sub(p.concentration).sub(p.concentration.lgamma());
  const t2 = p.concentration.pow(2).add(p.concentration).mul(0.5).div(betaSqr);
  const t3 = q.loc.mul(p.concentration).div(p.rate);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.add(p.concentration.sub(1).mul(p.concentration.digamma())).add(t2.sub(t3).add(t4).div(varNormal));
});

for (const Q of [Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform]) registerPair(Gumbel, Q as DistributionClass)((p) => infiniteLike(p.loc));

registerPair(Gumbel, Normal)((p, q) => {
  const paramRatio = p.scale.div(q.scale);
  const t1 = paramRatio.div(Math.sqrt(2 * Math.PI)).log();
  const t2 = paramRatio.mul(Math.PI).mul(0.5).pow(2).div(3);
  const t3 = p.loc.add(p.scale.mul(eulerConstant)).sub(q.loc).div(q.scale).pow(2).mul(0.5);
  return t1.neg().add(t2).add(t3).sub(eulerConstant + 1);
});

for (const Q of [Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform]) registerPair(Laplace, Q as DistributionClass)((p) => infiniteLike(p.loc));

registerPair(Laplace, Normal)((p, q) => {
  const varNormal = q.scale.pow(2);
  const scaleSqrVarRatio = p.scale.pow(2).div(varNormal);
  const t1 = ops.log(scaleSqrVarRatio.mul(2).div(Math.PI)).mul(0.5);
  const t2 = p.loc.pow(2).mul(0.5);
  const t3 = p.loc.mul(q.loc);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.neg().add(scaleSqrVarRatio).add(t2.sub(t3).add(t4).div(varNormal)).sub(1);
});

for (const Q of [Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform]) registerPair(Normal, Q as DistributionClass)((p) => infiniteLike(p.loc));

registerPair(Normal, Gumbel)((p, q) => {
  const meanScaleRatio = p.loc.div(q.scale);
  const varScaleSqrRatio = p.scale.div(q.scale).pow(2);
  const locScaleRatio = q.loc.div(q.scale);
  const t1 = varScaleSqrRatio.log().mul(0.5);
  const t2 = meanScaleRatio.sub(locScaleRatio);
  const t3 = ops.exp(meanScaleRatio.neg().add(varScaleSqrRatio.mul(0.5)).add(locScaleRatio));
  return t1.neg().add(t2).add(t3).sub(0.5 * (1 + Math.log(2 * Math.PI)));
});

registerPair(Normal, Laplace)((p, q) => {
  const locDiff = p.loc.sub(q.loc);
  const scaleRatio = p.scale.div(q.scale);
  const locDiffScaleRatio = locDiff.div(p.scale);
  const t1 = ops.log(scaleRatio);
  const t2 = p.scale.mul(Math.sqrt(2 / Math.PI)).mul(ops.exp(locDiffScaleRatio.pow(2).mul(-0.5)));
  const t3 = locDiff.mul(ops.erf(locDiffScaleRatio.mul(Math.sqrt(0.5))));
  return t1.neg().add(t2.add(t3).div(q.scale)).sub(0.5 * (1 + Math.log(0.5 * Math.PI)));
});

for (const Q of [Beta, ContinuousBernoulli, Uniform]) registerPair(Pareto, Q as DistributionClass)((p) => infiniteLike(p.scale));

registerPair(Pareto, Exponential)((p, q) => {
  const scaleRateProd = p.scale.mul(q.rate);
  const t1 = p.alpha.div(scaleRateProd).log();
  const t2 = p.alpha.reciprocal();
  const t3 = p.alpha.mul(scaleRateProd).div(p.alpha.sub(1));
  const result = t1.sub(t2).add(t3).sub(1);
  result.idxPut_(p.alpha.le(1), Infinity);
  return result;
});

registerPair(Pareto, Gamma)((p, q) => {
  const commonTerm = p.scale.log().add(p.alpha.reciprocal());
  const t1 = p.alpha.log().sub(commonTerm);
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = rsub(q.concentration, 1).mul(commonTerm);
  const t4 = q.rate.mul(p.alpha).mul(p.scale).div(p.alpha.sub(1));
  const result = t1.add(t2).add(t3).add(t4).sub(1);
  result.idxPut_(p.alpha.le(1), Infinity);
  return result;
});

registerPair(Pareto, Normal)((p, q) => {
  const varNormal = q.scale.pow(2).mul(2);
  const commonTerm = p.scale.div(p.alpha.sub(1));
  const t1 = q.scale.mul(Math.sqrt(2 * Math.PI)).mul(p.alpha).div(p.scale).log();
  const t2 = p.alpha.reciprocal();
  const t3 = p.alpha.mul(commonTerm.pow(2)).div(p.alpha.sub(2));
  const t4 = p.alpha.mul(commonTerm).sub(q.loc).pow(2);
  const result = t1.sub(t2).add(t3.add(t4).div(varNormal)).sub(1);
  result.idxPut_(p.alpha.le(2), Infinity);
  return result;
});

for (const Q of [Bernoulli, Binomial]) registerPair(Poisson, Q as DistributionClass)((p) => infiniteLike(p.rate));

registerPair(Uniform, Beta)((p, q) => {
  const commonTerm = p.high.sub(p.low);
  const t1 = ops.log(commonTerm);
  const t2 = q.concentration1.sub(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(commonTerm)).div(commonTerm);
  const t3 = q.concentration0.sub(1).mul(xLogX(rsub(p.high, 1)).sub(xLogX(rsub(p.low, 1))).add(commonTerm)).div(commonTerm);
  const t4 = q.concentration1.lgamma().add(q.concentration0.lgamma()).sub(q.concentration1.add(q.concentration0).lgamma());
  const result = t3.add(t4).sub(t1).sub(t2);
  const s = q.support as Interval;
  result.idxPut_(p.high.gt(s.upperBound as number).bitwiseOr(p.low.lt(s.lowerBound as number)), Infinity);
  return result;
});

registerPair(Uniform, ContinuousBernoulli)((p, q) => {
  const result = p.entropy().neg().sub(p.mean.mul(q.logits)).sub(ops.log1p(q.probs.neg())).sub(q._contBernLogNorm());
  const s = q.support as Interval;
  const outside = ops.maximum(ops.ge(p.high, s.upperBound as number), ops.le(p.low, s.lowerBound as number));
  return ops.where(outside, onesLike(result).mul(Infinity), result);
});

registerPair(Uniform, Exponential)((p, q) => {
  const result = q.rate.mul(p.high.add(p.low)).div(2).sub(p.high.sub(p.low).mul(q.rate).log());
  result.idxPut_(p.low.lt((q.support as GreaterThanEq).lowerBound as number), Infinity);
  return result;
});

registerPair(Uniform, Gamma)((p, q) => {
  const commonTerm = p.high.sub(p.low);
  const t1 = commonTerm.log();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = rsub(q.concentration, 1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(commonTerm)).div(commonTerm);
  const t4 = q.rate.mul(p.high.add(p.low)).div(2);
  const result = t1.neg().add(t2).add(t3).add(t4);
  result.idxPut_(p.low.lt((q.support as GreaterThanEq).lowerBound as number), Infinity);
  return result;
});

registerPair(Uniform, Gumbel)((p, q) => {
  const commonTerm = q.scale.div(p.high.sub(p.low));
  const highLocDiff = p.high.sub(q.loc).div(q.scale);
  const lowLocDiff = p.low.sub(q.loc).div(q.scale);
  const t1 = commonTerm.log().add(highLocDiff.add(lowLocDiff).mul(0.5));
  const t2 = commonTerm.mul(ops.exp(highLocDiff.neg()).sub(ops.exp(lowLocDiff.neg())));
  return t1.sub(t2);
});

registerPair(Uniform, Normal)((p, q) => {
  const commonTerm = p.high.sub(p.low);
  const t1 = q.scale.mul(Math.sqrt(Math.PI * 2)).div(commonTerm).log();
  const t2 = commonTerm.pow(2).div(12);
  const t3 = p.high.add(p.low).sub(q.loc.mul(2)).div(2).pow(2);
  return t1.add(t2.add(t3).mul(0.5).div(q.scale.pow(2)));
});

registerPair(Uniform, Pareto)((p, q) => {
  const supportUniform = p.high.sub(p.low);
  const t1 = q.alpha.mul(q.scale.pow(q.alpha)).mul(supportUniform).log();
  const t2 = xLogX(p.high).sub(xLogX(p.low)).sub(supportUniform).div(supportUniform);
  const result = t2.mul(q.alpha.add(1)).sub(t1);
  result.idxPut_(p.low.lt((q.support as GreaterThanEq).lowerBound as Tensor), Infinity);
  return result;
});

registerPair(Independent, Independent)((p, q) => {
  if (p.reinterpretedBatchNdims !== q.reinterpretedBatchNdims) {
    throw new Error("KL between Independent distributions with different reinterpretedBatchNdims is not implemented");
  }
  return sumRightmost(klDivergence(p.baseDist, q.baseDist), p.reinterpretedBatchNdims);
});

registerPair(Cauchy, Cauchy)((p, q) => {
  const t1 = p.scale.add(q.scale).pow(2).add(p.loc.sub(q.loc).pow(2)).log();
  const t2 = p.scale.mul(4).mul(q.scale).log();
  return t1.sub(t2);
});
