// Tensor handles: a tensor crosses into JS as a bare V8 External owning a TensorBox, held by the
// JS `Tensor` class (src/torch/tensor/tensor.ts). Native functions take and return handles, never
// wrapped objects. The handle's weak callback only frees memory, so it runs inside the GC.
#pragma once
#include "pch.h"

#include "binding/napi.h"

namespace pst {

struct TensorBox {
  static constexpr uint64_t kMagic = 0x7073742d74656e73;  // "pst-tens": tells tensor handles from other externals
  uint64_t magic = kMagic;
  at::Tensor tensor;      // undefined once disposed
  int64_t accounted = 0;  // bytes reported to V8 for this handle (memory/accounting.cpp)
  explicit TensorBox(at::Tensor t) : tensor(std::move(t)) {}
};

// The box of a tensor handle (disposed or not), nullptr for any other value.
TensorBox* box_of(napi_env env, napi_value v);
bool is_tensor_handle(napi_env env, napi_value v);
// Tensor from a handle; clear errors for non-tensors and disposed tensors.
at::Tensor& tensor_arg(napi_env env, napi_value v, const char* name = "tensor");
napi_value wrap_tensor(napi_env env, at::Tensor t);
// `t` in the empty handle `into` when one is given (a recycled handle), else in a new handle.
napi_value wrap_into(napi_env env, napi_value into, at::Tensor t);
// A tensor or undefined (optional results).
napi_value wrap_optional(napi_env env, const at::Tensor& t);
// A handle to a tensor something else holds (a .grad): its data is not counted again.
napi_value wrap_existing(napi_env env, const at::Tensor& t);

void register_handle_exports(napi_env env, napi_value exports);

}  // namespace pst
