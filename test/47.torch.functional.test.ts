// torch/functional.py's helpers under their public names give Python's values on the same
// inputs (scripts/fixtures/torch_functions.py), take Python's calling convention, and the raw
// ATen ops stay reachable as torch.ops.aten.<name>.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { assertTensorMatches, assertTensorsMatch, readFixture, type Encoded } from "./fixtures/torch-values.js";

const F = readFixture<{ functional: Record<string, Encoded & Encoded[]> }>("torch", "functions.json").functional;

const a = torch.arange(12, { dtype: "float32" }).reshape(3, 4).div(3).sub(1);
const b = torch.arange(20, { dtype: "float32" }).reshape(4, 5).div(7);
const x = torch.sin(torch.arange(64, { dtype: "float32" }).mul(0.3)).add(torch.arange(64, { dtype: "float32" }).mul(0.1));
const window = torch.hannWindow(16);
const u = torch.tensor([3, 1, 2, 3, 1, 1, 5, 2]);
const rows = torch.tensor([[1, 2], [3, 4], [1, 2], [0, 0]]);

test("einsum: equation with varargs or one list, and the sublist form", () => {
  assertTensorMatches(torch.einsum("ij,jk->ik", a, b), F.einsum_mm, "einsum mm");
  assertTensorMatches(torch.einsum("ij,jk->ik", [a, b]), F.einsum_mm, "einsum list");
  assertTensorMatches(torch.einsum("ii", torch.eye(3).mul(2)), F.einsum_trace, "einsum trace");
  assertTensorMatches(torch.einsum(a, [0, 1], b, [1, 2], [0, 2]), F.einsum_sublist, "einsum sublist");
  assertTensorMatches(torch.einsum("bij,bjk->bik", a.reshape(1, 3, 4), b.reshape(1, 4, 5)), F.einsum_batch, "einsum batch");
  assert.throws(() => torch.einsum("ij"), /einsum\(\): must specify/);
  assert.throws(() => (torch.einsum as (...a: unknown[]) => Tensor)("ij", 3), /einsum\(\): operand 0 must be a Tensor/);
});

test("meshgrid, broadcastTensors, broadcastShapes, blockDiag, cartesianProd, atleast*", () => {
  assertTensorsMatch(torch.meshgrid(torch.arange(2), torch.arange(3)), F.meshgrid_ij, "meshgrid default ij");
  assertTensorsMatch(torch.meshgrid([torch.arange(2), torch.arange(3)], { indexing: "xy" }), F.meshgrid_xy, "meshgrid xy");
  assert.throws(() => torch.meshgrid(torch.arange(2), { indexing: "yx" as "xy" }), /indexing must be one of/);
  assert.throws(() => torch.meshgrid(torch.arange(2), { indexng: "xy" } as never), /TypeError|unknown option 'indexng'/);
  assertTensorsMatch(torch.broadcastTensors(torch.arange(3).reshape(3, 1), torch.arange(4)), F.broadcast_tensors, "broadcastTensors");
  assert.deepEqual(torch.broadcastShapes([2], [3, 1], [1, 1, 1]), F.broadcast_shapes);
  assert.deepEqual(torch.broadcastShapes(2, [3, 1]), [3, 2]);
  assert.throws(() => torch.broadcastShapes([2], [3]), /Shape mismatch/);
  assertTensorMatches(
    torch.blockDiag(a.narrow(0, 0, 2).narrow(1, 0, 2), torch.tensor([[5.0]]), torch.tensor([1.0, 2.0])),
    F.block_diag,
    "blockDiag",
  );
  assertTensorMatches(torch.cartesianProd(torch.tensor([1, 2]), torch.tensor([3, 4, 5])), F.cartesian_prod, "cartesianProd");
  assertTensorMatches(torch.atleast1d(torch.tensor(1.5)), F.atleast_1d as Encoded, "atleast1d");
  assertTensorsMatch(torch.atleast2d(torch.tensor(1, { dtype: "float32" }), torch.ones(3)), F.atleast_2d_many, "atleast2d");
  assertTensorMatches(torch.atleast3d(a), F.atleast_3d as Encoded, "atleast3d");
});

test("tensordot with an integer dims or two lists; chainMatmul; cdist", () => {
  const t3 = torch.arange(24, { dtype: "float32" }).reshape(2, 3, 4);
  const t4 = torch.arange(60, { dtype: "float32" }).reshape(3, 4, 5).div(10);
  assertTensorMatches(torch.tensordot(t3, t4), F.tensordot_2, "tensordot default 2");
  assertTensorMatches(torch.tensordot(a, b, 1), F.tensordot_1, "tensordot 1");
  assertTensorMatches(torch.tensordot(a, b, { dims: 1 }), F.tensordot_1, "tensordot { dims }");
  assertTensorMatches(torch.tensordot(a, a, [[0, 1], [0, 1]]), F.tensordot_lists, "tensordot lists");
  assert.throws(() => torch.tensordot(a, b, -1), /dims >= 0/);
  assertTensorMatches(torch.chainMatmul(a, b, b.t()), F.chain_matmul, "chainMatmul");
  const bt = b.t().narrow(0, 0, 2).reshape(1, 2, 4);
  assertTensorMatches(torch.cdist(a.reshape(1, 3, 4), bt), F.cdist, "cdist");
  assertTensorMatches(torch.cdist(a.reshape(1, 3, 4), bt, { p: 1 }), F.cdist_p1, "cdist p=1");
  assert.throws(() => torch.cdist(a, a, 2, "fast"), /not a valid value for computeMode/);
});

test("split by a size or a list of sizes, positionally or by name", () => {
  const t = torch.arange(10).reshape(5, 2);
  assertTensorsMatch(torch.split(t, 2), F.split_int, "split 2");
  assertTensorsMatch(torch.split(t, [1, 4]), F.split_sizes, "split sizes");
  assertTensorsMatch(torch.split(torch.arange(12).reshape(2, 6), 4, 1), F.split_dim1, "split dim 1");
  assertTensorsMatch(torch.split(torch.arange(12).reshape(2, 6), 4, { dim: 1 }), F.split_dim1, "split { dim }");
  assertTensorsMatch(torch.split({ tensor: t, splitSizeOrSections: 2 }), F.split_int, "split all by name");
  assert.throws(() => torch.split(t, 2, 0, 1 as never), /takes from 2 to 3 positional arguments but 4 were given/);
});

test("norm follows Python's dispatch: fro, nuc, p over all or some dims, keepdim", () => {
  assertTensorMatches(torch.norm(a), F.norm_default as Encoded, "norm default");
  assertTensorMatches(torch.norm(a, 1, 0), F.norm_p1_dim0 as Encoded, "norm p=1 dim 0");
  assertTensorMatches(torch.norm(a, Infinity), F.norm_inf as Encoded, "norm inf");
  assertTensorMatches(torch.norm(a, "nuc"), F.norm_nuc as Encoded, "norm nuc", 1e-4);
  assertTensorMatches(torch.norm(a, "fro", 1, true), F.norm_fro_dim1_keepdim as Encoded, "norm fro dim keepdim");
  assertTensorMatches(torch.norm(a, { p: "fro", dim: 1, keepdim: true }), F.norm_fro_dim1_keepdim as Encoded, "norm options");
  assertTensorMatches(torch.norm(a.reshape(3, 2, 2), 3, [1, 2]), F.norm_p3_dims as Encoded, "norm p=3 dims");
  assertTensorMatches(a.norm(1, 0), F.norm_p1_dim0 as Encoded, "Tensor.norm");
  assert.throws(() => torch.norm(a, "max" as "fro"), /only valid string values are 'fro' and 'nuc'/);
});

test("stft centres frames by default (center=True, reflect padding), as Python; istft inverts", () => {
  assertTensorMatches(torch.stft(x, 16, { returnComplex: true }), F.stft_default as Encoded, "stft default", 1e-4);
  assertTensorMatches(x.stft(16, { returnComplex: true }), F.stft_default as Encoded, "Tensor.stft default", 1e-4);
  assertTensorMatches(
    torch.stft(x, 16, 5, null, window, { returnComplex: true }),
    F.stft_window_hop as Encoded,
    "stft positional hop and window",
    1e-4,
  );
  assertTensorMatches(torch.stft(x, 16, { center: false, returnComplex: true }), F.stft_no_center as Encoded, "stft no center", 1e-4);
  assertTensorMatches(
    torch.stft(x, 16, { padMode: "constant", normalized: true, returnComplex: true }),
    F.stft_constant_pad as Encoded,
    "stft constant pad, normalized",
    1e-4,
  );
  assertTensorMatches(torch.stft(x, 16, { returnComplex: false }), F.stft_real as Encoded, "stft real view", 1e-4);
  const spec = torch.stft(x, 16, { window, returnComplex: true });
  assertTensorMatches(torch.istft(spec, 16, { window, length: 64 }), F.istft as Encoded, "istft", 1e-4);
  assert.throws(() => torch.stft(x, 16, { centre: true } as never), /unknown option 'centre'/);
  // The raw op (no centring in 1.13's default overload) stays reachable.
  assert.deepEqual((torch.ops.aten.stft!(x, 16, { returnComplex: true }) as Tensor).shape, [9, 13]);
});

test("unique and uniqueConsecutive return what was asked for, sorted or not, along dim", () => {
  assertTensorMatches(torch.unique(u), F.unique as Encoded, "unique");
  assertTensorMatches(torch.unique(u, false), F.unique_unsorted as Encoded, "unique unsorted");
  assertTensorsMatch(torch.unique(u, { returnInverse: true, returnCounts: true }), F.unique_all, "unique all");
  assertTensorsMatch(torch.unique(u, { returnCounts: true }), F.unique_counts, "unique counts");
  assertTensorsMatch(torch.unique(rows, { dim: 0, returnInverse: true }), F.unique_dim, "unique dim 0");
  assertTensorsMatch(u.unique({ returnInverse: true, returnCounts: true }), F.unique_all, "Tensor.unique");
  assertTensorMatches(torch.uniqueConsecutive(u), F.unique_consecutive as Encoded, "uniqueConsecutive");
  assertTensorsMatch(
    torch.uniqueConsecutive(u, { returnInverse: true, returnCounts: true }),
    F.unique_consecutive_all,
    "uniqueConsecutive all",
  );
  assert.throws(() => torch.unique(u, { sorte: true } as never), /unknown option 'sorte'/);
});

test("lu gives Python's LU and pivots", () => {
  const A = torch.tensor([[4, 3, 1], [6, 3, 2], [1, 5, 7]], { dtype: "float64" });
  assertTensorsMatch(torch.lu(A), F.lu, "lu");
  assert.equal(torch.lu(A, { getInfos: true }).length, 3);
});

test("the raw ATen ops are torch.ops.aten.<name>", () => {
  assert.equal(typeof torch.ops.aten.einsum, "function");
  const [values, , counts] = torch.ops.aten._unique2!(u, { returnCounts: true }) as Tensor[];
  assert.deepEqual(values!.tolist(), [1, 2, 3, 5]);
  assert.deepEqual(counts!.tolist(), [3, 2, 2, 1]);
  assert.throws(() => torch.ops.aten.noSuchOp, /no such ATen operator/);
});
