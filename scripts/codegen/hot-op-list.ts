// The declared hot ops: the overloads whose Tensor methods call an unboxed export generated from
// their schema (scripts/codegen/hot-ops.ts) instead of the boxed engine (native/ops/engine.cpp),
// as tch-rs generates its C shims. Every other op, and every other call form of these, stays on
// the boxed path. What qualifies: per-call overhead dominates a small op (docs/performance.md).

/** Schema names, `aten::<name>[.<overload>]`, in the order the methods try them. */
export const HOT_OVERLOADS: readonly string[] = [
  // arithmetic (scripts/bench/ops.ts measures add/sub/mul/div) and its in-place forms
  "aten::add.Tensor", "aten::add.Scalar", "aten::sub.Tensor", "aten::sub.Scalar",
  "aten::mul.Tensor", "aten::mul.Scalar", "aten::div.Tensor", "aten::div.Scalar",
  "aten::add_.Tensor", "aten::add_.Scalar", "aten::sub_.Tensor", "aten::sub_.Scalar",
  "aten::mul_.Tensor", "aten::mul_.Scalar", "aten::div_.Tensor", "aten::div_.Scalar",
  // reductions, activations and shape ops of a training step
  "aten::sum", "aten::mean", "aten::matmul", "aten::relu", "aten::neg", "aten::sigmoid", "aten::tanh", "aten::exp",
  "aten::select.int", "aten::reshape", "aten::t", "aten::transpose.int", "aten::unsqueeze", "aten::copy_",
];

// No per-op or per-device shortcut: the exports call the op's C++ API (the dispatcher), below the
// autograd kernels when no operand has autograd state. A uniform `at::cpu::<op>` rule for plain
// CPU operands of ops with a CPU kernel was measured and dropped: it bought nothing over that on
// libtorch 1.13 or 2.6 (docs/performance.md).
