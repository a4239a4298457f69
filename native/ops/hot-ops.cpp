// Hand-unboxed hot ops: the most common ops skip the boxed engine (ops/engine.cpp).
#include "binding/binding.h"
#include "compat/autocast.h"

#include <ATen/CPUFunctions.h>

namespace pst {
namespace {

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
// Every hot op enters here.
#define BEGIN \
  PST_TRY     \
  check_interrupt(env); \
  Args args(env, info);

// ---- hand-unboxed hot ops ----
//
// The most common ops skip the boxed dispatcher path of ops.cpp: argument conversion is the
// cost that dominates a 1-element op. A number operand becomes a Scalar (integral -> int).

// plain_cpu (binding/convert.h) tensors, and no autocast.
inline bool fast_path(const at::Tensor& a) {
  return plain_cpu(a) && !compat::cpu_autocast_enabled();
}
inline bool fast_path(const at::Tensor& a, const at::Tensor& b) {
  return fast_path(a) && plain_cpu(b);
}

#define BINARY_OP(NAME, CALL_FAST, CALL_TT, CALL_TS)            \
  FN(NAME) {                                                    \
    BEGIN                                                       \
    auto& a = tensor_arg(env, args[0], "self");                 \
    if (is_tensor_handle(env, args[1])) {                       \
      auto& b = tensor_arg(env, args[1], "other");              \
      return wrap_into(env, args[2], fast_path(a, b) ? CALL_FAST : CALL_TT); \
    }                                                           \
    auto s = scalar_arg(env, args[1], "other");                 \
    return wrap_into(env, args[2], CALL_TS);                    \
    PST_CATCH(env)                                              \
  }

BINARY_OP(add, at::cpu::add(a, b), at::add(a, b), at::add(a, s))
BINARY_OP(sub, at::cpu::sub(a, b), at::sub(a, b), at::sub(a, s))
BINARY_OP(mul, at::cpu::mul(a, b), at::mul(a, b), at::mul(a, s))
BINARY_OP(div, at::cpu::div(a, b), at::div(a, b), at::div(a, s))

// In-place variants return nothing: the JS method returns `this`, as PyTorch returns self.
#define INPLACE_OP(NAME, METHOD)                   \
  FN(NAME) {                                       \
    BEGIN                                          \
    auto& a = tensor_arg(env, args[0], "self");    \
    if (is_tensor_handle(env, args[1])) {          \
      a.METHOD(tensor_arg(env, args[1], "other")); \
    } else {                                       \
      a.METHOD(scalar_arg(env, args[1], "other")); \
    }                                              \
    return make_undefined(env);                    \
    PST_CATCH(env)                                 \
  }

INPLACE_OP(add_, add_)
INPLACE_OP(sub_, sub_)
INPLACE_OP(mul_, mul_)
INPLACE_OP(div_, div_)

// Two plain matrices: matmul is mm (at::matmul's own 2-D case), called at the CPU kernel.
FN(matmul) {
  BEGIN
  auto& a = tensor_arg(env, args[0], "self");
  auto& b = tensor_arg(env, args[1], "other");
  bool mm = a.dim() == 2 && b.dim() == 2 && fast_path(a, b);
  return wrap_into(env, args[2], mm ? at::cpu::mm(a, b) : at::matmul(a, b));
  PST_CATCH(env)
}
FN(relu) {
  BEGIN
  return wrap_into(env, args[1], at::relu(tensor_arg(env, args[0], "self")));
  PST_CATCH(env)
}
FN(neg) {
  BEGIN
  auto& a = tensor_arg(env, args[0], "self");
  return wrap_into(env, args[1], fast_path(a) ? at::cpu::neg(a) : at::neg(a));
  PST_CATCH(env)
}
// sum(self) / mean(self): whole-tensor reductions (dims go through the generated ops).
FN(sum) {
  BEGIN
  // Not at::cpu::sum: the all-dims overload's own path is faster (docs/performance.md).
  return wrap_into(env, args[1], at::sum(tensor_arg(env, args[0], "self")));
  PST_CATCH(env)
}
FN(mean) {
  BEGIN
  return wrap_into(env, args[1], at::mean(tensor_arg(env, args[0], "self")));
  PST_CATCH(env)
}
// select(self, dim, index): t[i] without the boxed path.
FN(select) {
  BEGIN
  return wrap_into(env, args[3], tensor_arg(env, args[0], "self").select(int_arg(env, args[1], "dim"),
                                                                           int_arg(env, args[2], "index")));
  PST_CATCH(env)
}
FN(reshape) {
  BEGIN
  return wrap_into(env, args[2], tensor_arg(env, args[0], "self").reshape(int_list_arg(env, args[1], "shape")));
  PST_CATCH(env)
}
FN(copy_) {
  BEGIN
  tensor_arg(env, args[0], "self").copy_(tensor_arg(env, args[1], "src"));
  return make_undefined(env);
  PST_CATCH(env)
}

}  // namespace

void register_hot_op_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"add", add},
                     {"sub", sub},
                     {"mul", mul},
                     {"div", div},
                     {"add_", add_},
                     {"sub_", sub_},
                     {"mul_", mul_},
                     {"div_", div_},
                     {"matmul", matmul},
                     {"relu", relu},
                     {"neg", neg},
                     {"sum", sum},
                     {"mean", mean},
                     {"select", select},
                     {"reshape", reshape},
                     {"copy_", copy_}
                 });
}

}  // namespace pst
