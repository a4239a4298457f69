// The LOBPCG iteration (torch/_lobpcg.py's LOBPCG class, with the torch/_linalg_utils.py helpers it
// uses), step for step as Python's of the running version: the basic method [Knyazev2001] and the
// orthogonal-basis one [StathopoulosEtal2002, DuerschEtal2018].
import { Tensor } from "../tensor/tensor.js";
import { eye, zeros } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import { aten } from "../ops/aten.js";
import { version } from "../version.js";
import { norm } from "./norm.js";

/** Integer parameters of the iteration (Python's `iparams`: m, n, k, niter, ortho_i_max, ...). */
export type IntParams = Record<string, number>;
/** Float parameters (Python's `fparams`: tol, ortho_tol, ortho_tol_drop, ortho_tol_replace). */
export type FloatParams = Record<string, number>;
/** Boolean parameters (Python's `bparams`: largest, ortho_use_drop). */
export type BoolParams = Record<string, boolean>;

/** Called once per iteration with the worker; setting `worker.bvars.force_stop = true` stops it. */
export type LobpcgTracker = (worker: LOBPCG) => void;

/** _linalg_utils.matmul: `A @ B`, A sparse or dense; a missing A is the identity. */
export function matmulB(A: Tensor | null, B: Tensor): Tensor {
  if (A === null) return B;
  if (A.layout === "sparse_coo") return aten._sparse_mm!(A, B) as Tensor;
  return ops.matmul(A, B);
}

/** _linalg_utils.qform: `S^T A S`. */
function qform(A: Tensor | null, S: Tensor): Tensor {
  return ops.matmul(S.mT, matmulB(A, S));
}

/** _linalg_utils.basis: an orthonormal basis of A's columns (1.13 on CPU: orgqr of geqrf). */
function basis(A: Tensor): Tensor {
  if (version.major < 2 && !A.isCuda) {
    const [a, tau] = ops.geqrf(A);
    return ops.orgqr(a, tau);
  }
  return linalg.qr(A)[0];
}

/** _linalg_utils.symeig: eigenpairs of a symmetric matrix, descending when `largest`. */
export function symeig(A: Tensor, largest: boolean | null = false): [Tensor, Tensor] {
  const [E, Z] = linalg.eigh(A, "U");
  return largest ? [E.flip([-1]), Z.flip([-1])] : [E, Z];
}

/** `t[:, start:end]` (a view, as Python's slice). */
function cols(t: Tensor, start: number, end: number): Tensor {
  const from = Math.min(start, t.size(1));
  return t.narrow(1, from, Math.max(0, Math.min(end, t.size(1)) - from));
}

/**
 * The state of one LOBPCG run, as Python's worker: `iparams`, `fparams`, `bparams` (inputs),
 * `ivars`, `fvars`, `bvars`, `tvars` (iteration variables, Python's keys: `istep`,
 * `converged_count`, `rerr`, ...), `A`, `B`, `iK`, and the iterates `X`, `E`, `R`, `S`.
 */
export class LOBPCG {
  readonly ivars: Record<string, number> = { istep: 0 };
  readonly fvars: Record<string, number> = { _: 0.0 };
  readonly bvars: Record<string, boolean> = { _: false };
  readonly tvars: Record<string, Tensor> = {};
  X: Tensor;
  E: Tensor;
  R: Tensor;
  S: Tensor;

  constructor(
    readonly A: Tensor | null,
    readonly B: Tensor | null,
    X: Tensor,
    readonly iK: Tensor | null,
    readonly iparams: IntParams,
    readonly fparams: FloatParams,
    readonly bparams: BoolParams,
    readonly method: "basic" | "ortho",
    readonly tracker: LobpcgTracker | null,
  ) {
    const m = iparams.m!;
    const n = iparams.n!;
    this.X = X;
    this.E = zeros([n], { dtype: X.dtype, device: X.device });
    this.R = zeros([m, n], { dtype: X.dtype, device: X.device });
    this.S = zeros([m, 3 * n], { dtype: X.dtype, device: X.device });
  }

  /** Sets and updates the iteration variables (one step). */
  update(): void {
    if (this.ivars.istep === 0) {
      const xNorm = norm(this.X).item<number>();
      const ixNorm = 1 / xNorm;
      this.fvars.X_norm = xNorm;
      this.fvars.A_norm = norm(matmulB(this.A, this.X)).item<number>() * ixNorm;
      this.fvars.B_norm = norm(matmulB(this.B, this.X)).item<number>() * ixNorm;
      this.ivars.iterations_left = this.iparams.niter!;
      this.ivars.converged_count = 0;
      this.ivars.converged_end = 0;
    }
    if (this.method === "ortho") this.updateOrtho();
    else this.updateBasic();
    this.ivars.iterations_left = this.ivars.iterations_left! - 1;
    this.ivars.istep = this.ivars.istep! + 1;
  }

  /** R = A X - B X E. */
  updateResidual(): void {
    this.R = matmulB(this.A, this.X).sub(matmulB(this.B, this.X).mul(this.E));
  }

  /** The number of leading converged eigenpairs, by the backward stable criterion of [DuerschEtal2018] 4.3. */
  updateConvergedCount(): number {
    const prev = this.ivars.converged_count!;
    const tol = this.fparams.tol!;
    const { X, R } = this;
    const scale = this.E.narrow(0, 0, X.size(-1)).mul(this.fvars.B_norm!).add(this.fvars.A_norm!);
    const rerr = norm(R, 2, [0]).mul(norm(X, 2, [0]).mul(scale).pow(-1));
    const converged = rerr.lt(tol).toArray() as boolean[];
    let count = 0;
    for (const b of converged) {
      if (!b) break; // the following pairs wait, to keep the eigenpairs strictly ordered
      count++;
    }
    if (count < prev) throw new Error(`the number of converged eigenpairs (was ${prev}, got ${count}) cannot decrease`);
    this.ivars.converged_count = count;
    this.tvars.rerr = rerr;
    return count;
  }

  /** Whether to stop: forced by the tracker, out of iterations, or k pairs converged. */
  stopIteration(): boolean {
    return (this.bvars.force_stop ?? false) || this.ivars.iterations_left === 0 || this.ivars.converged_count! >= this.iparams.k!;
  }

  /** Runs the iterations. */
  run(): void {
    this.update();
    this.tracker?.(this);
    while (!this.stopIteration()) {
      this.update();
      this.tracker?.(this);
    }
  }

  private updateBasic(): void {
    const mm = ops.matmul;
    let ns = this.ivars.converged_end!;
    let nc = this.ivars.converged_count!;
    const n = this.iparams.n!;
    const largest = this.bparams.largest!;
    if (this.ivars.istep === 0) {
      const Ri = this.rayleighRitzTransform(this.X);
      const M = qform(qform(this.A, this.X), Ri);
      const [E, Z] = symeig(M, largest);
      this.X.copy_(mm(this.X, mm(Ri, Z)));
      this.E.copy_(E);
      const np = 0;
      this.updateResidual();
      nc = this.updateConvergedCount();
      cols(this.S, 0, n).copy_(this.X);
      const W = matmulB(this.iK, this.R);
      this.ivars.converged_end = ns = n + np + W.size(-1);
      cols(this.S, n + np, ns).copy_(W);
    } else {
      const S_ = cols(this.S, nc, ns);
      const Ri = this.rayleighRitzTransform(S_);
      const M = qform(qform(this.A, S_), Ri);
      const [E_, Z] = symeig(M, largest);
      cols(this.X, nc, this.X.size(1)).copy_(mm(S_, mm(Ri, cols(Z, 0, n - nc))));
      this.E.narrow(0, nc, this.E.size(0) - nc).copy_(E_.narrow(0, 0, Math.min(n - nc, E_.size(0))));
      const P = mm(S_, mm(Ri, cols(Z, n, 2 * n - nc)));
      const np = P.size(-1);
      this.updateResidual();
      nc = this.updateConvergedCount();
      cols(this.S, 0, n).copy_(this.X);
      cols(this.S, n, n + np).copy_(P);
      const W = matmulB(this.iK, cols(this.R, nc, this.R.size(1)));
      this.ivars.converged_end = ns = n + np + W.size(-1);
      cols(this.S, n + np, ns).copy_(W);
    }
  }

  private updateOrtho(): void {
    const mm = ops.matmul;
    let ns = this.ivars.converged_end!;
    let nc = this.ivars.converged_count!;
    const n = this.iparams.n!;
    const largest = this.bparams.largest!;
    if (this.ivars.istep === 0) {
      const Ri = this.rayleighRitzTransform(this.X);
      const M = qform(qform(this.A, this.X), Ri);
      const [, Z] = symeig(M, largest);
      // Python rebinds X here and leaves E at zeros until the next step.
      this.X = mm(this.X, mm(Ri, Z));
      this.updateResidual();
      const np = 0;
      nc = this.updateConvergedCount();
      cols(this.S, 0, n).copy_(this.X);
      const W = this.getOrtho(this.R, this.X);
      ns = this.ivars.converged_end = n + np + W.size(-1);
      cols(this.S, n + np, ns).copy_(W);
    } else {
      const S_ = cols(this.S, nc, ns);
      // Rayleigh-Ritz procedure
      const [E_, Z] = symeig(qform(this.A, S_), largest);
      // Update E, X, P
      cols(this.X, nc, this.X.size(1)).copy_(mm(S_, cols(Z, 0, n - nc)));
      this.E.narrow(0, nc, this.E.size(0) - nc).copy_(E_.narrow(0, 0, Math.min(n - nc, E_.size(0))));
      const zTail = cols(Z, n - nc, Z.size(1));
      const P = mm(S_, mm(zTail, basis(zTail.narrow(0, 0, n - nc).mT)));
      const np = P.size(-1);
      // check convergence
      this.updateResidual();
      nc = this.updateConvergedCount();
      // update S
      cols(this.S, 0, n).copy_(this.X);
      cols(this.S, n, n + np).copy_(P);
      const W = this.getOrtho(cols(this.R, nc, this.R.size(1)), cols(this.S, 0, n + np));
      ns = this.ivars.converged_end = n + np + W.size(-1);
      cols(this.S, n + np, ns).copy_(W);
    }
  }

  /**
   * The upper-triangular Ri reducing `(S^T A S) C = (S^T B S) C E` to the standard problem
   * `(Ri^T S^T A S Ri) Z = Z E` with `C = Ri Z` (Python's _get_rayleigh_ritz_transform).
   */
  private rayleighRitzTransform(S: Tensor): Tensor {
    const SBS = qform(this.B, S);
    const dRow = SBS.diagonal(0, -2, -1).pow(-0.5);
    const dCol = dRow.reshape([dRow.size(0), 1]);
    const R = linalg.cholesky(SBS.mul(dRow).mul(dCol), { upper: true });
    return linalg.solveTriangular(R, dRow.diagEmbed(), { upper: true, left: false });
  }

  /** B-orthonormal columns of U, dropping the negligible ones when `drop` (Python's _get_svqb). */
  private svqb(U: Tensor, drop: boolean, tau: number): Tensor {
    if (U.numel() === 0) return U;
    let UBU = qform(this.B, U);
    let d = UBU.diagonal(0, -2, -1);
    // Exact zero columns are dropped first (d ** -0.5 below would fail on them).
    let nz = d.abs().ne(0.0).nonzero().flatten();
    if (nz.size(0) < d.size(0)) {
      U = U.indexSelect(1, nz);
      if (U.numel() === 0) return U;
      UBU = qform(this.B, U);
      d = UBU.diagonal(0, -2, -1);
      nz = d.abs().ne(0.0).nonzero().flatten();
      if (nz.size(0) !== d.size(0)) throw new Error("lobpcg: zero columns remained after dropping them");
    }
    // Algorithm 4 of [DuerschPhD2015].
    let dCol = d.pow(-0.5).reshape([d.size(0), 1]);
    const DUBUD = UBU.mul(dCol).mul(dCol.mT);
    let [E, Z] = symeig(DUBUD);
    const t = E.abs().max().mul(tau);
    if (drop) {
      const keep = E.gt(t).nonzero().flatten();
      E = E.indexSelect(0, keep);
      Z = Z.indexSelect(1, keep);
      dCol = dCol.indexSelect(0, keep);
    } else {
      E.indexPut_([E.lt(t).nonzero().flatten()], t);
    }
    return ops.matmul(U.mul(dCol.mT), Z.mul(E.pow(-0.5)));
  }

  /** B-orthonormal U whose columns are B-orthogonal to V (Python's _get_ortho). */
  private getOrtho(U: Tensor, V: Tensor): Tensor {
    const mm = ops.matmul;
    const m = this.iparams.m!;
    const tauOrtho = this.fparams.ortho_tol!;
    const tauDrop = this.fparams.ortho_tol_drop!;
    const tauReplace = this.fparams.ortho_tol_replace!;
    const iMax = this.iparams.ortho_i_max!;
    const jMax = this.iparams.ortho_j_max!;
    // With use_drop, U columns of small contribution to span([U, V]) are dropped.
    const useDrop = this.bparams.ortho_use_drop!;
    // clean up the variables of the previous call
    for (const key of Object.keys(this.fvars)) if (key.startsWith("ortho_") && key.endsWith("_rerr")) delete this.fvars[key];
    delete this.ivars.ortho_i;
    delete this.ivars.ortho_j;
    const BVNorm = norm(matmulB(this.B, V));
    let BU = matmulB(this.B, U);
    let VBU = mm(V.mT, BU);
    let i = 0;
    let j = 0;
    for (i = 0; i < iMax; i++) {
      U = U.sub(mm(V, VBU));
      let drop = false;
      let tauSvqb = tauDrop;
      for (j = 0; j < jMax; j++) {
        if (useDrop) {
          U = this.svqb(U, drop, tauSvqb);
          drop = true;
          tauSvqb = tauReplace;
        } else {
          U = this.svqb(U, false, tauReplace);
        }
        if (U.numel() === 0) {
          // all initial U columns are B-collinear to V
          this.ivars.ortho_i = i;
          this.ivars.ortho_j = j;
          return U;
        }
        BU = matmulB(this.B, U);
        const UBU = mm(U.mT, BU);
        const UNorm = norm(U);
        const BUNorm = norm(BU);
        const R = UBU.sub(eye(UBU.size(-1), { device: UBU.device, dtype: UBU.dtype }));
        const rerr = norm(R).item<number>() * (1 / BUNorm.mul(UNorm).item<number>());
        this.fvars[`ortho_UBUmI_rerr[${i}, ${j}]`] = rerr;
        if (rerr < tauOrtho) break;
      }
      VBU = mm(V.mT, BU);
      const VBUNorm = norm(VBU);
      const UNorm = norm(U);
      const rerr = VBUNorm.item<number>() * (1 / BVNorm.mul(UNorm).item<number>());
      this.fvars[`ortho_VBU_rerr[${i}]`] = rerr;
      if (rerr < tauOrtho) break;
      if (m < U.size(-1) + V.size(-1)) {
        const B = this.B;
        if (B === null) throw new Error("lobpcg: the overdetermined check needs B");
        throw new Error(`Overdetermined shape of U: #B-cols(=${B.size(-1)}) >= #U-cols(=${U.size(-1)}) + #V-cols(=${V.size(-1)}) must hold`);
      }
    }
    // Python's loop variables keep their last value (range's, not one past it).
    this.ivars.ortho_i = iMax > 0 ? Math.min(i, iMax - 1) : 0;
    this.ivars.ortho_j = jMax > 0 ? Math.min(j, jMax - 1) : 0;
    return U;
  }
}
