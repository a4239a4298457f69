// libtorch's process-wide settings that Python's torch.* reaches through torch._C: deterministic
// algorithms, float32 matmul precision, denormal flushing, warn-always (thread counts: runtime.cpp).
#include "binding/binding.h"

#include <torch/version.h>

// libtorch 2.x moved warn-always from namespace c10::Warning to c10::WarningUtils.
#if TORCH_VERSION_MAJOR >= 2
namespace pst_warnings = c10::WarningUtils;
#else
namespace pst_warnings = c10::Warning;
#endif

namespace pst {
namespace {

// setDeterministicAlgorithms(mode, warnOnly)
Napi::Value set_deterministic_algorithms(const Napi::CallbackInfo& info) {
  at::globalContext().setDeterministicAlgorithms(bool_arg(info.Env(), info[0], "mode"),
                                                 bool_arg(info.Env(), info[1], "warnOnly"));
  return info.Env().Undefined();
}
Napi::Value deterministic_algorithms(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::globalContext().deterministicAlgorithms());
}
Napi::Value deterministic_algorithms_warn_only(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::globalContext().deterministicAlgorithmsWarnOnly());
}
// setFloat32MatmulPrecision("highest" | "high" | "medium"): libtorch checks the name.
Napi::Value set_float32_matmul_precision(const Napi::CallbackInfo& info) {
  at::globalContext().setFloat32MatmulPrecision(string_arg(info.Env(), info[0], "precision"));
  return info.Env().Undefined();
}
Napi::Value float32_matmul_precision(const Napi::CallbackInfo& info) {
  switch (at::globalContext().float32MatmulPrecision()) {
    case at::Float32MatmulPrecision::HIGHEST: return Napi::String::New(info.Env(), "highest");
    case at::Float32MatmulPrecision::HIGH: return Napi::String::New(info.Env(), "high");
    case at::Float32MatmulPrecision::MEDIUM: return Napi::String::New(info.Env(), "medium");
  }
  throw JsError("float32MatmulPrecision: unknown precision");
}
// setFlushDenormal(on): whether the CPU supports it (SSE3), as torch.set_flush_denormal.
Napi::Value set_flush_denormal(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::globalContext().setFlushDenormal(bool_arg(info.Env(), info[0], "mode")));
}
Napi::Value set_warn_always(const Napi::CallbackInfo& info) {
  pst_warnings::set_warnAlways(bool_arg(info.Env(), info[0], "b"));
  return info.Env().Undefined();
}
Napi::Value get_warn_always(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pst_warnings::get_warnAlways());
}

}  // namespace

void register_context_settings_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define<set_deterministic_algorithms>(ex, "setDeterministicAlgorithms");
  define<deterministic_algorithms>(ex, "deterministicAlgorithms");
  define<deterministic_algorithms_warn_only>(ex, "deterministicAlgorithmsWarnOnly");
  define<set_float32_matmul_precision>(ex, "setFloat32MatmulPrecision");
  define<float32_matmul_precision>(ex, "float32MatmulPrecision");
  define<set_flush_denormal>(ex, "setFlushDenormal");
  define<set_warn_always>(ex, "setWarnAlways");
  define<get_warn_always>(ex, "getWarnAlways");
}

}  // namespace pst
