// L-BFGS (torch.optim.LBFGS), ported line by line from torch/optim/lbfgs.py, with its optional
// strong-Wolfe line search. As in Python, some scalars are 0-d float32 tensors (the curvature
// `ys`, `H_diag`, the directional derivatives `gtd`) and some are numbers (losses, `lr`): the
// `Num` helpers below apply Python's arithmetic to either, so the iterates equal Python's.
import { Tensor } from "../tensor/tensor.js";
import { cat } from "../generated/torch.js";
import { zeros } from "../tensor/creation.js";
import { tidy, untrack } from "../tensor/scope.js";
import { enableGrad, noGrad } from "../tensor/runtime.js";
import { bindOptimizer, Optimizer, type OptimizerArgs } from "./optimizer.js";

export interface LBFGSOptions {
  /** Learning rate (default 1). */
  lr: number;
  /** Iterations per `step` (default 20). */
  maxIter: number;
  /** Closure evaluations per `step` (default maxIter · 5/4). */
  maxEval: number | null;
  /** Stop when every gradient entry is at most this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the loss or the step changes less than this (default 1e-9). */
  toleranceChange: number;
  /** Directions kept (default 100). */
  historySize: number;
  /** null (a fixed step `lr`) or "strong_wolfe". */
  lineSearchFn: "strong_wolfe" | null;
}

/** A Python number that may be a float or a 0-d tensor. */
type Num = number | Tensor;

const value = (x: Num): number => (typeof x === "number" ? x : Number(x.item()));
const add = (a: Num, b: Num): Num => (typeof a === "number" ? (typeof b === "number" ? a + b : b.add(a)) : a.add(b));
const sub = (a: Num, b: Num): Num => (typeof a === "number" ? (typeof b === "number" ? a - b : b.neg().add(a)) : a.sub(b));
const mul = (a: Num, b: Num): Num => (typeof a === "number" ? (typeof b === "number" ? a * b : b.mul(a)) : a.mul(b));
// Python's `number / tensor` is `tensor.reciprocal() * number`
const div = (a: Num, b: Num): Num => (typeof a === "number" ? (typeof b === "number" ? a / b : b.reciprocal().mul(a)) : a.div(b));
const abs = (a: Num): Num => (typeof a === "number" ? Math.abs(a) : a.abs());
const maxOf = (a: Num, b: Num): Num => (value(b) > value(a) ? b : a);
const minOf = (a: Num, b: Num): Num => (value(b) < value(a) ? b : a);

/** The minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), within bounds. */
function cubicInterpolate(x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num]): Num {
  const [xminBound, xmaxBound] = bounds ?? (value(x1) <= value(x2) ? [x1, x2] : [x2, x1]);
  const d1 = sub(add(g1, g2), div(mul(3, sub(f1, f2)), sub(x1, x2)));
  const d2Square = sub(mul(d1, d1), mul(g1, g2));
  if (value(d2Square) >= 0) {
    const d2: Num = typeof d2Square === "number" ? Math.sqrt(d2Square) : d2Square.sqrt();
    const minPos =
      value(x1) <= value(x2)
        ? sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(2, d2)))))
        : sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(2, d2)))));
    return minOf(maxOf(minPos, xminBound), xmaxBound);
  }
  return div(add(xminBound, xmaxBound), 2);
}

type Objective = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

/** The strong-Wolfe line search of torch/optim/lbfgs.py: [loss, flat gradient, step, evaluations]. */
function strongWolfe(obj: Objective, x: Tensor[], t0: Num, d: Tensor, f: number, g0: Tensor, gtd: Tensor, c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25): [number, Tensor, Num, number] {
  let t = t0;
  const dNorm = value(d.abs().max());
  const g = g0.clone();
  let [fNew, gNew] = obj(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew: Tensor = gNew.dot(d);
  let tPrev: Num = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev: Num = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: Num[] = [];
  while (lsIter < maxLs) {
    if (fNew > value(add(f, mul(mul(c1, t), gtd))) || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew.clone()];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (value(abs(gtdNew)) <= value(mul(-c2, gtd))) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (value(gtdNew) >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew.clone()];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = add(t, mul(0.01, sub(t, tPrev)));
    const maxStep = mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d);
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (value(abs(sub(bracket[1]!, bracket[0]!))) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    const hi = maxOf(bracket[0]!, bracket[1]!);
    const lo = minOf(bracket[0]!, bracket[1]!);
    const eps = mul(0.1, sub(hi, lo));
    if (value(minOf(sub(hi, t), sub(t, lo))) < value(eps)) {
      if (insufProgress || value(t) >= value(hi) || value(t) <= value(lo)) {
        t = value(abs(sub(t, hi))) < value(abs(sub(t, lo))) ? sub(hi, eps) : add(lo, eps);
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    [fNew, gNew] = obj(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d);
    lsIter += 1;
    if (fNew > value(add(f, mul(mul(c1, t), gtd))) || fNew >= bracketF[lowPos]!) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (value(abs(gtdNew)) <= value(mul(-c2, gtd))) done = true;
      else if (value(mul(gtdNew, sub(bracket[highPos]!, bracket[lowPos]!))) >= 0) {
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos]!, bracketG[lowPos]!, bracket[lowPos]!, lsFuncEvals];
}

/** LBFGS's state, kept on its first parameter (Python's `state[params[0]]`). */
interface LBFGSState {
  func_evals: number;
  n_iter: number;
  d?: Tensor;
  t?: Num;
  old_dirs?: Tensor[];
  old_stps?: Tensor[];
  ro?: Num[];
  H_diag?: Num;
  prev_flat_grad?: Tensor;
  prev_loss?: number;
  al?: (Num | null)[];
}

/**
 * L-BFGS (torch.optim.LBFGS): a quasi-Newton method that re-evaluates the model through a
 * closure several times per `step`. One parameter group only.
 *
 * @param params - the tensors to optimize
 * @param lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize - positionally or by name
 * @param lineSearchFn - null (a fixed step) or "strong_wolfe"
 * @example
 * const opt = new optim.LBFGS(model.parameters(), { lr: 1, lineSearchFn: "strong_wolfe" });
 * opt.step(() => { opt.zeroGrad(); const loss = lossFn(model.call(x), y); loss.backward(); return loss; });
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  private numelCache: number | null = null;

  constructor(...args: OptimizerArgs<"torch.optim.LBFGS", LBFGSOptions>) {
    const { params, options: o } = bindOptimizer<LBFGSOptions>("torch.optim.LBFGS", args);
    if (o.lineSearchFn !== null && o.lineSearchFn !== "strong_wolfe") {
      throw new TypeError(`LBFGS(): lineSearchFn must be null or "strong_wolfe", not ${JSON.stringify(o.lineSearchFn)}`);
    }
    const maxEval = o.maxEval ?? Math.floor((o.maxIter * 5) / 4);
    super(params, {
      lr: o.lr,
      maxIter: o.maxIter,
      maxEval,
      toleranceGrad: o.toleranceGrad,
      toleranceChange: o.toleranceChange,
      historySize: o.historySize,
      lineSearchFn: o.lineSearchFn,
    });
    if (this.paramGroups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
  }

  private get params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  private numel(): number {
    return (this.numelCache ??= this.params.reduce((n, p) => n + p.numel(), 0));
  }

  private gatherFlatGrad(): Tensor {
    return cat(
      this.params.map((p) => {
        const g = p.grad;
        return g === undefined ? zeros([p.numel()], { dtype: p.dtype }) : g.reshape([-1]);
      }),
      0,
    );
  }

  private addGrad(stepSize: Num, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.add_(update.slice(0, offset, offset + n).viewAs(p), { alpha: value(stepSize) });
      offset += n;
    }
    if (offset !== this.numel()) throw new Error("LBFGS: the parameters changed size");
  }

  private directionalEvaluate(closure: () => Tensor | number, x: Tensor[], t: Num, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = value(enableGrad(closure));
    const flatGrad = this.gatherFlatGrad();
    this.params.forEach((p, i) => p.copy_(x[i]!));
    return [loss, flatGrad];
  }

  /**
   * Runs up to `maxIter` iterations, each evaluating `closure` (which clears the gradients,
   * computes the loss, calls `backward()` and returns the loss). Returns the first loss.
   */
  override step<L extends Tensor | number>(closure: () => L): L {
    if (typeof closure !== "function") throw new TypeError("LBFGS.step(): closure is required (it re-evaluates the model and returns the loss)");
    return noGrad(() => tidy(() => this.iterate(closure)));
  }

  private iterate<L extends Tensor | number>(closure: () => L): L {
    const group = this.paramGroups[0]!;
    const { lr, maxIter, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const maxEval = group.maxEval as number;
    const state = this.state.get(this.params[0]!) as unknown as LBFGSState;
    state.func_evals ??= 0;
    state.n_iter ??= 0;
    const origLoss = enableGrad(closure);
    let loss = value(origLoss);
    let currentEvals = 1;
    state.func_evals += 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = value(flatGrad.abs().max()) <= toleranceGrad;
    if (optCond) return origLoss;

    let d = state.d;
    let t = state.t;
    let oldDirs = state.old_dirs;
    let oldStps = state.old_stps;
    let ro = state.ro;
    let hDiag = state.H_diag;
    let prevFlatGrad = state.prev_flat_grad;
    let prevLoss = state.prev_loss;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter += 1;
      if (state.n_iter === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d!.mul(value(t!));
        const ys = y.dot(s);
        if (value(ys) > 1e-10) {
          if (oldDirs!.length === historySize) {
            oldDirs!.shift();
            oldStps!.shift();
            ro!.shift();
          }
          oldDirs!.push(y);
          oldStps!.push(s);
          ro!.push(div(1, ys));
          hDiag = ys.div(y.dot(y));
        }
        const numOld = oldDirs!.length;
        state.al ??= new Array<Num | null>(historySize).fill(null);
        const al = state.al;
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = mul(oldStps![i]!.dot(q), ro![i]!);
          q.add_(oldDirs![i]!, { alpha: -value(al[i]!) });
        }
        const r = typeof hDiag === "number" ? q.mul(hDiag) : q.mul(hDiag!);
        d = r;
        for (let i = 0; i < numOld; i++) {
          const be = mul(oldDirs![i]!.dot(r), ro![i]!);
          r.add_(oldStps![i]!, { alpha: value(sub(al[i]!, be)) });
        }
      }
      if (prevFlatGrad === undefined) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;
      if (state.n_iter === 1) t = mul(minOf(1, div(1, flatGrad.abs().sum())), lr);
      else t = lr;
      const gtd = flatGrad.dot(d!);
      if (value(gtd) > -toleranceChange) break;
      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        const xInit = this.params.map((p) => p.clone());
        const obj: Objective = (x, tt, dd) => this.directionalEvaluate(closure, x, tt, dd);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(obj, xInit, t, d!, loss, flatGrad, gtd);
        this.addGrad(t, d!);
        optCond = value(flatGrad.abs().max()) <= toleranceGrad;
      } else {
        this.addGrad(t, d!);
        if (nIter !== maxIter) {
          loss = value(enableGrad(closure));
          flatGrad = this.gatherFlatGrad();
          optCond = value(flatGrad.abs().max()) <= toleranceGrad;
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.func_evals += lsFuncEvals;
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (value(d!.mul(value(t)).abs().max()) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    // what the next step continues from outlives this step's scope (and any scope of the caller's)
    const kept = (x: Num | undefined): Num | undefined => {
      if (x instanceof Tensor) untrack(x);
      return x;
    };
    state.d = kept(d) as Tensor | undefined;
    state.t = kept(t);
    state.old_dirs = oldDirs?.map((x) => kept(x) as Tensor);
    state.old_stps = oldStps?.map((x) => kept(x) as Tensor);
    state.ro = ro?.map((x) => kept(x)!);
    state.H_diag = kept(hDiag);
    state.prev_flat_grad = kept(prevFlatGrad) as Tensor | undefined;
    state.prev_loss = prevLoss;
    if (state.al) state.al = state.al.map((x) => (x === null ? null : kept(x)!));
    return origLoss;
  }
}
