// torch.lobpcg: the k largest (or smallest) eigenpairs of a symmetric positive definite generalized
// eigenproblem A X = B X E by LOBPCG (torch/_lobpcg.py of the running version), dense, sparse or
// batched; with gradients with respect to A through Python's symeig backward.
import { Tensor } from "../tensor/tensor.js";
import { empty, randn, zerosLike } from "../tensor/creation.js";
import type { DType } from "../tensor/dtype.js";
import { AutogradFunction, type FunctionCtx } from "../autograd/function.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { toSnakeCase } from "../../util/naming.js";
import { LOBPCG, type BoolParams, type FloatParams, type IntParams, type LobpcgTracker } from "./lobpcg-worker.js";
import { symeigBackward } from "./lobpcg-backward.js";

export { LOBPCG, type LobpcgTracker } from "./lobpcg-worker.js";

/** The keys `orthoIparams` / `orthoFparams` / `orthoBparams` may set (Python's names; camelCase taken too). */
const ORTHO_KEYS = {
  orthoIparams: ["m", "n", "k", "niter", "ortho_i_max", "ortho_j_max"],
  orthoFparams: ["tol", "ortho_tol", "ortho_tol_drop", "ortho_tol_replace"],
  orthoBparams: ["largest", "ortho_use_drop"],
} as const;

interface LobpcgArgs {
  A: Tensor;
  k: number | null;
  B: Tensor | null;
  X: Tensor | null;
  n: number | null;
  iK: Tensor | null;
  niter: number | null;
  tol: number | null;
  largest: boolean | null;
  method: "basic" | "ortho" | null;
  tracker: LobpcgTracker | null;
  orthoIparams: IntParams | null;
  orthoFparams: FloatParams | null;
  orthoBparams: BoolParams | null;
}

/** _linalg_utils.get_floating_dtype: float16/32/64 stay, anything else computes in float32. */
function floatingDtype(A: Tensor): DType {
  const d = A.dtype;
  return d === "float16" || d === "float32" || d === "float64" ? d : "float32";
}

const shapeText = (s: readonly number[]): string => `torch.Size([${s.join(", ")}])`;

/** An ortho parameter dictionary with Python's keys, checked against the keys the iteration reads. */
function orthoParams<T>(name: keyof typeof ORTHO_KEYS, value: unknown, valid: (v: unknown) => v is T, what: string): Record<string, T> {
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new TypeError(`lobpcg(): argument '${name}' must be an object, got ${typeof value}`);
  const out: Record<string, T> = {};
  const known: readonly string[] = ORTHO_KEYS[name];
  const entries = value instanceof Map ? [...(value as Map<unknown, unknown>).entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(value);
  for (const [key, v] of entries) {
    const python = toSnakeCase(key);
    if (!known.includes(python)) throw new TypeError(`lobpcg(): unknown key '${key}' in '${name}' (its keys are ${known.join(", ")})`);
    if (!valid(v)) throw new TypeError(`lobpcg(): '${name}.${key}' must be ${what}`);
    out[python] = v;
  }
  return out;
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isNumber = (v: unknown): v is number => typeof v === "number";
const isBool = (v: unknown): v is boolean => typeof v === "boolean";

/** Python's _lobpcg: parameters, then one worker per matrix of the batch. */
function lobpcgImpl(a: LobpcgArgs): [Tensor, Tensor] {
  const { A, B, iK } = a;
  const shape = A.shape;
  if (shape.length < 2 || shape[shape.length - 2] !== shape[shape.length - 1]) throw new Error(`lobpcg(): A must be square, got ${shapeText(shape)}`);
  if (B !== null && shapeText(B.shape) !== shapeText(shape)) throw new Error(`lobpcg(): A and B must have the same shape, got ${shapeText(shape)} and ${shapeText(B.shape)}`);
  const dtype = floatingDtype(A);
  const feps: Partial<Record<DType, number>> = { float32: 1.2e-7, float64: 2.23e-16 };
  if (a.tol === null && feps[dtype] === undefined) throw new Error(`lobpcg(): no default tolerance for ${dtype}; give tol`);
  const tol = a.tol ?? Math.sqrt(feps[dtype]!);
  const m = shape[shape.length - 1]!;
  const X = a.X;
  const k = a.k ?? (X === null ? 1 : X.size(-1));
  const n = X === null ? a.n ?? k : X.size(-1);
  if (m < 3 * n) {
    throw new Error(`LPBPCG algorithm is not applicable when the number of A rows (=${m}) is smaller than 3 x the number of requested eigenpairs (=${n})`);
  }
  const method = a.method ?? "ortho";
  if (method !== "ortho" && method !== "basic") throw new Error(`lobpcg(): method must be "ortho" or "basic", got "${String(method)}"`);
  const iparams: IntParams = { m, n, k, niter: a.niter ?? 1000 };
  const fparams: FloatParams = { tol };
  const bparams: BoolParams = { largest: a.largest ?? true };
  if (method === "ortho") {
    Object.assign(iparams, orthoParams("orthoIparams", a.orthoIparams, isInt, "an integer"));
    Object.assign(fparams, orthoParams("orthoFparams", a.orthoFparams, isNumber, "a number"));
    Object.assign(bparams, orthoParams("orthoBparams", a.orthoBparams, isBool, "a boolean"));
    iparams.ortho_i_max ??= 3;
    iparams.ortho_j_max ??= 3;
    fparams.ortho_tol ??= tol;
    fparams.ortho_tol_drop ??= tol;
    fparams.ortho_tol_replace ??= tol;
    bparams.ortho_use_drop ??= false;
  }
  const checkX = (x: Tensor): void => {
    if (x.dim() !== 2 || x.size(0) !== m || x.size(1) !== n) throw new Error(`lobpcg(): X must have shape (${m}, ${n}), got ${shapeText(x.shape)}`);
  };
  if (shape.length > 2) {
    const batch = shape.slice(0, -2);
    const N = batch.reduce((p, d) => p * d, 1);
    const bA = A.reshape([N, m, m]);
    const bB = B?.reshape([N, m, m]) ?? null;
    const bX = X?.reshape([N, ...X.shape.slice(-2)]) ?? null;
    const bE = empty([N, k], { dtype, device: A.device });
    const bXret = empty([N, m, k], { dtype, device: A.device });
    for (let i = 0; i < N; i++) {
      const Xi = bX === null ? randn([m, n], { dtype, device: A.device }) : bX.select(0, i);
      checkX(Xi);
      iparams.batch_index = i;
      const worker = new LOBPCG(bA.select(0, i), bB?.select(0, i) ?? null, Xi, iK, iparams, fparams, bparams, method, a.tracker);
      worker.run();
      bE.select(0, i).copy_(worker.E.narrow(0, 0, k));
      bXret.select(0, i).copy_(worker.X.narrow(1, 0, k));
    }
    return [bE.reshape([...batch, k]), bXret.reshape([...batch, m, k])];
  }
  const X0 = X ?? randn([m, n], { dtype, device: A.device });
  checkX(X0);
  const worker = new LOBPCG(A, B, X0, iK, iparams, fparams, bparams, method, a.tracker);
  worker.run();
  return [worker.E.narrow(0, 0, k), worker.X.narrow(1, 0, k)];
}

const isSparse = (t: Tensor | null): boolean => t !== null && t.layout !== "strided";
const isComplex = (t: Tensor | null): boolean => t !== null && t.dtype.startsWith("complex");

/** Python's LOBPCGAutogradFunction: the eigenpairs, differentiable with respect to A (B: an error). */
class LOBPCGAutogradFunction extends AutogradFunction {
  static override forward(ctx: FunctionCtx, A: Tensor, B: Tensor | null, args: LobpcgArgs): [Tensor, Tensor] {
    // contiguous input for efficiency (sparse inputs stay as they are)
    const a = { ...args, A: isSparse(A) ? A : A.contiguous(), B: B === null || isSparse(B) ? B : B.contiguous() };
    const [D, U] = lobpcgImpl(a);
    ctx.saveForBackward(a.A, D, U);
    ctx.B = a.B;
    ctx.largest = args.largest;
    return [D, U];
  }

  static override backward(ctx: FunctionCtx, DGrad?: Tensor, UGrad?: Tensor): [Tensor, null, null] {
    const [A, D, U] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    const B = ctx.B as Tensor | null;
    if (isSparse(A) || (B !== null && isSparse(B) && ctx.needsInputGrad[1])) {
      throw new Error("lobpcg.backward does not support sparse input yet.Note that lobpcg.forward does though.");
    }
    if (isComplex(A) || isComplex(B)) throw new Error("lobpcg.backward does not support complex input yet.Note that lobpcg.forward does though.");
    if (B !== null) throw new Error("lobpcg.backward does not support backward with B != I yet.");
    const largest = (ctx.largest as boolean | null) ?? true;
    // An output without a gradient contributes zeros, as Python materializes them.
    return [symeigBackward(DGrad ?? zerosLike(D), UGrad ?? zerosLike(U), A, D, U, largest), null, null];
  }
}

/**
 * The `k` largest (or smallest, `largest: false`) eigenvalues and eigenvectors of the symmetric
 * positive definite generalized eigenproblem `A X = B X E`, by matrix-free LOBPCG
 * (torch.lobpcg): `[E (*, k), X (*, m, k)]`. `method: "ortho"` (default, robust) or `"basic"`;
 * A (and B, iK) dense, sparse, or batches of dense matrices. Without `X` the start is
 * `randn(m, n)`, repeatable under `torch.manualSeed`. When A requires grad, gradients flow to A
 * (symmetrized as `(A + Aᵀ) / 2` first, as Python's); B must then be absent.
 *
 * Args (positionally or by name, Python's order): A, k, B, X, n, iK, niter (1000; -1: until
 * convergence), tol (√eps of the dtype), largest (true), method, tracker (called each step with
 * the LOBPCG worker; `worker.bvars.force_stop = true` stops), orthoIparams, orthoFparams,
 * orthoBparams (Python's keys: ortho_i_max, ortho_tol, ortho_use_drop, ...).
 *
 * @example
 * const [E, X] = torch.lobpcg(A, { k: 2 });
 */
export function lobpcg(...args: ArgsOf<"torch.lobpcg">): [Tensor, Tensor] {
  const bound = bind("torch.lobpcg", args);
  const a: LobpcgArgs = {
    A: bound.A,
    k: bound.k,
    B: bound.B,
    X: bound.X,
    n: bound.n,
    iK: bound.iK,
    niter: bound.niter,
    tol: bound.tol,
    largest: bound.largest,
    method: bound.method as LobpcgArgs["method"],
    tracker: bound.tracker as LobpcgTracker | null,
    orthoIparams: bound.orthoIparams as IntParams | null,
    orthoFparams: bound.orthoFparams as FloatParams | null,
    orthoBparams: bound.orthoBparams as BoolParams | null,
  };
  if (a.tracker !== null && typeof a.tracker !== "function") throw new TypeError("lobpcg(): argument 'tracker' must be a function or null");
  if (isSparse(a.X)) throw new TypeError("lobpcg(): X must be a dense tensor");
  if (a.A.requiresGrad || (a.B !== null && a.B.requiresGrad)) {
    // A.grad is not symmetric in general; symmetrizing A first makes it so (and B likewise).
    const Asym = a.A.add(a.A.mT).div(2);
    const Bsym = a.B === null ? null : a.B.add(a.B.mT).div(2);
    return LOBPCGAutogradFunction.apply(Asym, Bsym, a);
  }
  return lobpcgImpl(a);
}
