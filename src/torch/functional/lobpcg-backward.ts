// The gradient of lobpcg's eigenpairs with respect to A (torch/_lobpcg.py's _symeig_backward): the
// complete-eigenspace formula when U is square, else the partial-eigenspace one, which solves a
// Sylvester equation by the polynomial method of Hu and Cheng (2006), as Python's.
import type { Tensor } from "../tensor/tensor.js";
import { eye, randn } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import { Generator } from "../ops/generator.js";

function symeigBackwardCompleteEigenspace(DGrad: Tensor, UGrad: Tensor, D: Tensor, U: Tensor): Tensor {
  // F_ij = (d_j - d_i)^-1 for i != j, F_ii = 0
  const F = D.unsqueeze(-2).sub(D.unsqueeze(-1));
  F.diagonal({ dim1: -2, dim2: -1 }).fill_(Infinity);
  F.pow_(-1);
  // A.grad = U (D.grad + (U^T U.grad * F)) U^T
  const Ut = U.mT.contiguous();
  return ops.matmul(U, ops.matmul(ops.diagEmbed(DGrad).add(ops.matmul(Ut, UGrad).mul(F)), Ut));
}

/** The coefficients (a_0, ..., a_n = 1) of the polynomial with the given roots (Horner's rule on copies). */
function polynomialCoefficientsGivenRoots(roots: Tensor): Tensor {
  const order = roots.size(-1);
  const shape = [...roots.shape];
  // p(x) = x^n + a_{n-1} x^{n-1} + ... + a_0, with one extra coefficient for vectorization
  shape[shape.length - 1]! += 2;
  let coeffs = roots.newZeros(shape);
  coeffs.select(-1, 0).fill_(1);
  coeffs.select(-1, -1).fill_(1);
  for (let i = 1; i <= order; i++) {
    // Copies, not in-place steps, when roots need gradients: each step a node of the graph.
    const next = roots.requiresGrad ? coeffs.clone() : coeffs;
    const out = next.narrow(-1, order - i, i + 1);
    out.sub_(roots.narrow(-1, i - 1, 1).mul(coeffs.narrow(-1, order - i + 1, i + 1)));
    coeffs = next;
  }
  return coeffs.narrow(-1, 1, order + 1);
}

/** poly(x) by Horner's rule; `transition` is one step `x * acc + poly[..., k] * x^0`. */
function polynomialValue(poly: Tensor, x: Tensor, zeroPower: Tensor, transition: (acc: Tensor, x: Tensor, coeff: Tensor) => Tensor): Tensor {
  let res = zeroPower.clone();
  for (let k = poly.size(-1) - 2; k >= 0; k--) res = transition(res, x, poly.select(-1, k));
  return res;
}

function matrixPolynomialValue(poly: Tensor, x: Tensor): Tensor {
  const n = x.size(-1);
  const zeroPower = eye(n, n, { dtype: x.dtype, device: x.device }).view([...x.shape.slice(0, -2).map(() => 1), n, n]);
  return polynomialValue(poly, x, zeroPower, (acc, xx, coeff) => {
    const res = xx.matmul(acc);
    res.diagonal({ dim1: -2, dim2: -1 }).add_(coeff.unsqueeze(-1));
    return res;
  });
}

function vectorPolynomialValue(poly: Tensor, x: Tensor): Tensor {
  const zeroPower = x.newOnes([1]).expand(x.shape);
  return polynomialValue(poly, x, zeroPower, (acc, xx, coeff) => ops.addcmul(coeff.unsqueeze(-1), xx, acc));
}

function symeigBackwardPartialEigenspace(DGrad: Tensor, UGrad: Tensor, A: Tensor, D: Tensor, U: Tensor, largest: boolean): Tensor {
  // the projection onto the orthogonal complement of span(U): I - U U^T
  const Ut = U.mT.contiguous();
  const projUOrtho = U.matmul(Ut).neg();
  projUOrtho.diagonal({ dim1: -2, dim2: -1 }).add_(1);
  // a basis of the complement: a random [..., m, m - k] matrix projected (a fresh generator: determinism)
  const gen = new Generator();
  const UOrtho = projUOrtho.matmul(randn([...A.shape.slice(0, -1), A.size(-1) - D.size(-1)], { dtype: A.dtype, device: A.device, generator: gen }));
  const UOrthoT = UOrtho.mT.contiguous();
  // the characteristic polynomial of D, whose roots are D's diagonal
  const chrPolyD = polynomialCoefficientsGivenRoots(D);
  // the explicit solution of U_ortho^T A U_ortho dX - dX D = -U_ortho^T A U
  let UGradProjected = UGrad;
  const seriesAcc = UGradProjected.newZeros(UGradProjected.shape);
  let k = 0;
  for (k = 1; k < chrPolyD.size(-1); k++) {
    const polyD = vectorPolynomialValue(chrPolyD.narrow(-1, k, chrPolyD.size(-1) - k), D);
    seriesAcc.add_(UGradProjected.mul(polyD.unsqueeze(-2)));
    UGradProjected = A.matmul(UGradProjected);
  }
  k -= 1; // Python's loop variable: the last value of the range
  const chrPolyDAtA = matrixPolynomialValue(chrPolyD, A);
  const chrPolyDAtAToUOrtho = ops.matmul(UOrthoT, ops.matmul(chrPolyDAtA, UOrtho));
  // positive-definite unless largest with odd k (A's eigenvalues distinct): Cholesky then applies
  const sign = largest && k % 2 === 1 ? -1 : 1;
  const L = linalg.cholesky(chrPolyDAtAToUOrtho.mul(sign));
  const res = symeigBackwardCompleteEigenspace(DGrad, UGrad, D, U);
  res.sub_(UOrtho.matmul(ops.choleskySolve(UOrthoT.matmul(seriesAcc), L).mul(sign)).matmul(Ut));
  return res;
}

/** The gradient of the eigenpairs (D, U) of the symmetric A with respect to A. */
export function symeigBackward(DGrad: Tensor, UGrad: Tensor, A: Tensor, D: Tensor, U: Tensor, largest: boolean): Tensor {
  if (U.size(-1) === U.size(-2)) return symeigBackwardCompleteEigenspace(DGrad, UGrad, D, U);
  return symeigBackwardPartialEigenspace(DGrad, UGrad, A, D, U, largest);
}
