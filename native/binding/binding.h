// What every libtorch-facing translation unit of the binding uses: node-addon-api and the export
// helper, the raw N-API helpers of the hot paths, conversions, tensor handles, and each concern's
// export registration (called from addon.cpp).
#pragma once
#include "pch.h"

#include "binding/convert.h"
#include "binding/exports.h"
#include "binding/handles.h"
#include "binding/napi.h"
#include "interrupt.h"

namespace pst {

// node-addon-api faces of the handle functions (binding/handles.h) for the binding's surface.
inline Napi::Value tensor_value(Napi::Env env, at::Tensor t) { return Napi::Value(env, wrap_tensor(env, std::move(t))); }
inline Napi::Value optional_tensor_value(Napi::Env env, const at::Tensor& t) {
  return Napi::Value(env, wrap_optional(env, t));
}
inline at::Tensor& tensor_arg(const Napi::CallbackInfo& info, size_t i, const char* name = "self") {
  return tensor_arg(info.Env(), info[i], name);
}
// tensors[] argument; `allow_missing`: null/undefined entries stay undefined tensors.
std::vector<at::Tensor> tensor_list_arg(Napi::Value v, const char* name, bool allow_missing = false);
// Tensors (undefined ones as undefined) as a JS array of handles.
Napi::Array tensor_array(Napi::Env env, const std::vector<at::Tensor>& ts);

void install_error_handling();  // binding/errors.cpp
// A libtorch error's message without its C++ context (binding/errors.cpp).
std::string clean_torch_message(const c10::Error& e);
void register_tensor_exports(napi_env env, napi_value exports);      // tensor.cpp
void register_runtime_exports(napi_env env, napi_value exports);     // runtime.cpp
void register_autograd_exports(napi_env env, napi_value exports);    // autograd.cpp
void register_op_exports(napi_env env, napi_value exports);          // ops/engine.cpp
void register_hot_op_exports(napi_env env, napi_value exports);      // ops/hot-ops.generated.cpp
void register_indexing_exports(napi_env env, napi_value exports);    // ops/indexing.cpp
void register_generator_exports(napi_env env, napi_value exports);   // ops/generator.cpp
void register_distributed_exports(napi_env env, napi_value exports); // distributed/c10d.cpp
void register_io_exports(napi_env env, napi_value exports);          // io/exports.cpp
void register_context_settings_exports(napi_env env, napi_value exports);  // context_settings.cpp
void register_interrupt_exports(napi_env env, napi_value exports);   // interrupt.cpp

}  // namespace pst
