// Conversions between JS values and libtorch's argument types (binding/convert.cpp).
#pragma once
#include "pch.h"

#include "binding/napi.h"

#include <initializer_list>

namespace pst {

// dtype codes shared with src/torch/tensor/dtype.ts (c10::ScalarType numbering).
at::ScalarType dtype_arg(napi_env env, napi_value v, const char* name = "dtype");
c10::Scalar scalar_arg(napi_env env, napi_value v, const char* name);
at::Device device_arg(napi_env env, napi_value v);
// Creation options {dtype, device} passed as (dtype code|undefined, device|undefined).
at::TensorOptions options_arg(napi_env env, napi_value dtype, napi_value device);

// Scalar value to JS: number, boolean, or throws for int64 beyond 2^53.
napi_value scalar_to_js(napi_env env, const c10::Scalar& s);
std::string device_string(const at::Device& d);

// Plain CPU tensors that autograd, autocast and the conj/neg/named/zero-tensor wrappers would
// all pass through untouched can go straight to the CPU kernel.
inline bool plain_cpu(const at::Tensor& t) {
  return t.device().is_cpu() && t.layout() == at::kStrided && !t.requires_grad() && !t.is_conj() &&
         !t.is_neg() && !t.has_names() && !t.is_quantized() && !t._is_zerotensor();
}

// No autograd state at all (no grad, no forward grad, not a view of one).
inline bool has_autograd_state(const at::Tensor& t) { return t.unsafeGetTensorImpl()->autograd_meta() != nullptr; }

// Enters below `Guard`'s key (at::AutoDispatchBelowAutograd or at::AutoDispatchBelowADInplaceOrView)
// when no tensor given has autograd state: the kernels above would only find that out and
// redispatch. Which guard an op may take: docs/architecture.md (the op path).
template <typename Guard>
class BelowIfPlain {
  c10::optional<Guard> guard_;

 public:
  explicit BelowIfPlain(std::initializer_list<const at::Tensor*> tensors) {
    for (const at::Tensor* t : tensors) {
      if (has_autograd_state(*t)) return;
    }
    guard_.emplace();
  }
};

}  // namespace pst
