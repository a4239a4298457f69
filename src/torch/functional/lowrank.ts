// torch.svd_lowrank and torch.pca_lowrank: randomized low-rank SVD and PCA (Halko et al., 2009),
// ported from torch/_lowrank.py of the running version (1.13 and 2.x differ in the basis
// iteration and in which side is sketched, so the random draws and results differ too).
import type { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { randn } from "../tensor/creation.js";
import { bindArgs } from "../binding/index.js";
import { version } from "../version.js";
import { atenTensor, atenTensors } from "./raw.js";

/** _linalg_utils.get_floating_dtype: float16/32/64 stay, anything else computes in float32. */
function floatingDtype(A: Tensor): DType {
  const d = A.dtype;
  return d === "float16" || d === "float32" || d === "float64" ? d : "float32";
}

function isComplex(A: Tensor): boolean {
  return A.dtype.startsWith("complex");
}

const matmul = (a: Tensor, b: Tensor): Tensor => atenTensor("matmul", a, b);
const qrQ = (x: Tensor): Tensor => atenTensors("linalg_qr", x)[0]!;
const mH = (x: Tensor): Tensor => atenTensor("mH", x);
/** _linalg_utils.transpose: the last two dimensions swapped. */
const transpose = (x: Tensor): Tensor => atenTensor("transpose", x, -1, -2);
const conjugate = (x: Tensor): Tensor => (isComplex(x) ? atenTensor("conj", x) : x);
const sub = (a: Tensor, b: Tensor): Tensor => atenTensor("sub", a, b);

function checkDense(fn: string, ...tensors: (Tensor | null)[]): void {
  for (const t of tensors) {
    if (t !== null && t.layout !== "strided") throw new TypeError(`${fn}(): sparse inputs are not supported`);
  }
}

/** get_approximate_basis: an orthonormal `(*, m, q)` basis approximating the range of A - M. */
function approximateBasis(A: Tensor, q: number, niter: number | null, M: Tensor | null): Tensor {
  const iterations = niter ?? 2;
  const shape = A.shape;
  if (version.major < 2) {
    const n = shape[shape.length - 1]!;
    const R = randn(n, q, { dtype: floatingDtype(A), device: A.device });
    const AH = conjugate(transpose(A));
    if (M === null) {
      let Q = qrQ(matmul(A, R));
      for (let i = 0; i < iterations; i++) {
        Q = qrQ(matmul(AH, Q));
        Q = qrQ(matmul(A, Q));
      }
      return Q;
    }
    const MH = conjugate(transpose(M));
    let Q = qrQ(sub(matmul(A, R), matmul(M, R)));
    for (let i = 0; i < iterations; i++) {
      Q = qrQ(sub(matmul(AH, Q), matmul(MH, Q)));
      Q = qrQ(sub(matmul(A, Q), matmul(M, Q)));
    }
    return Q;
  }
  const dtype = isComplex(A) ? A.dtype : floatingDtype(A);
  const R = randn(shape[shape.length - 1]!, q, { dtype, device: A.device });
  let X = matmul(A, R);
  if (M !== null) X = sub(X, matmul(M, R));
  let Q = qrQ(X);
  for (let i = 0; i < iterations; i++) {
    X = matmul(mH(A), Q);
    if (M !== null) X = sub(X, matmul(mH(M), Q));
    Q = qrQ(X);
    X = matmul(A, Q);
    if (M !== null) X = sub(X, matmul(M, Q));
    Q = qrQ(X);
  }
  return Q;
}

function svd(B: Tensor): [Tensor, Tensor, Tensor] {
  const [U, S, Vh] = atenTensors("linalg_svd", B, false);
  return [U!, S!, Vh!];
}

/** torch/_lowrank.py's _svd_lowrank of the running version. */
function svdLowrankImpl(A: Tensor, qGiven: number | null, niter: number | null, MGiven: Tensor | null): [Tensor, Tensor, Tensor] {
  const q = qGiven ?? 6;
  const shape = A.shape;
  const m = shape[shape.length - 2]!;
  const n = shape[shape.length - 1]!;
  if (version.major < 2) {
    const Mt = MGiven === null ? null : transpose(MGiven);
    const At = transpose(A);
    if (m < n || n > q) {
      const Q = approximateBasis(At, q, niter, Mt);
      const Qc = conjugate(Q);
      const Bt = MGiven === null ? matmul(A, Qc) : sub(matmul(A, Qc), matmul(MGiven, Qc));
      const [U, S, Vh] = svd(Bt);
      return [U, S, matmul(Q, mH(Vh))];
    }
    const Q = approximateBasis(A, q, niter, MGiven);
    const Qc = conjugate(Q);
    const B = Mt === null ? matmul(At, Qc) : sub(matmul(At, Qc), matmul(Mt, Qc));
    const [U, S, Vh] = svd(transpose(B));
    return [matmul(Q, U), S, mH(Vh)];
  }
  let M = MGiven === null ? null : atenTensor("broadcast_to", MGiven, shape);
  let X = A;
  if (m < n) {
    X = mH(X);
    if (M !== null) M = mH(M);
  }
  const Q = approximateBasis(X, q, niter, M);
  let B = matmul(mH(Q), X);
  if (M !== null) B = sub(B, matmul(mH(Q), M));
  const [U0, S, Vh] = svd(B);
  const V = mH(Vh);
  const U = matmul(Q, U0);
  return m < n ? [V, S, U] : [U, S, V];
}

/**
 * A rank-`q` approximation of the SVD of `A` (or of `A - M`): `[U, S, V]` with
 * `A ≈ U diag(S) Vᴴ`, from `niter` subspace iterations on a random sketch (torch.svd_lowrank).
 * Repeatable under the same `torch.manualSeed`.
 *
 * @example
 * const [U, S, V] = torch.svdLowrank(A, 3);
 */
export function svdLowrank(...args: unknown[]): [Tensor, Tensor, Tensor] {
  const a = bindArgs<{ A: Tensor; q: number | null; niter: number | null; M: Tensor | null }>("torch.svd_lowrank", args);
  checkDense("svdLowrank", a.A, a.M);
  return svdLowrankImpl(a.A, a.q, a.niter, a.M);
}

/**
 * Principal component analysis of a low-rank matrix (torch.pca_lowrank): `[U, S, V]`, the
 * columns of `V` the principal directions; the column means are subtracted first when `center`.
 *
 * @example
 * const [U, S, V] = torch.pcaLowrank(A, { q: 2 });
 */
export function pcaLowrank(...args: unknown[]): [Tensor, Tensor, Tensor] {
  const a = bindArgs<{ A: Tensor; q: number | null; center: boolean; niter: number }>("torch.pca_lowrank", args);
  checkDense("pcaLowrank", a.A);
  const shape = a.A.shape;
  const m = shape[shape.length - 2]!;
  const n = shape[shape.length - 1]!;
  let q = a.q;
  if (q === null) q = Math.min(6, m, n);
  else if (!(q >= 0 && q <= Math.min(m, n))) {
    throw new RangeError(`pcaLowrank(): q(=${q}) must be non-negative integer and not greater than min(m, n)=${Math.min(m, n)}`);
  }
  if (!(a.niter >= 0)) throw new RangeError(`pcaLowrank(): niter(=${a.niter}) must be non-negative integer`);
  if (!a.center) return svdLowrankImpl(a.A, q, a.niter, null);
  const C = atenTensor("mean", a.A, [-2], true);
  return svdLowrankImpl(sub(a.A, C), q, a.niter, null);
}
