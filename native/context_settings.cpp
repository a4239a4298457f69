// libtorch's process-wide settings that Python's torch.* reaches through torch._C: deterministic
// algorithms, float32 matmul precision, inter-op threads, denormal flushing, warn-always.
// Self-contained: one registration call in addon.cpp's Init.
#include "binding/binding.h"

#include <ATen/Parallel.h>

#include <torch/version.h>

// libtorch 2.x moved warn-always from namespace c10::Warning to c10::WarningUtils.
#if TORCH_VERSION_MAJOR >= 2
namespace pst_warnings = c10::WarningUtils;
#else
namespace pst_warnings = c10::Warning;
#endif

namespace pst {
namespace {

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define BEGIN \
  PST_TRY     \
  Args args(env, info);

// setDeterministicAlgorithms(mode, warnOnly)
FN(set_deterministic_algorithms) {
  BEGIN
  at::globalContext().setDeterministicAlgorithms(bool_arg(env, args[0], "mode"), bool_arg(env, args[1], "warnOnly"));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(deterministic_algorithms) {
  BEGIN
  return make_bool(env, at::globalContext().deterministicAlgorithms());
  PST_CATCH(env)
}
FN(deterministic_algorithms_warn_only) {
  BEGIN
  return make_bool(env, at::globalContext().deterministicAlgorithmsWarnOnly());
  PST_CATCH(env)
}
// setFloat32MatmulPrecision("highest" | "high" | "medium"): libtorch checks the name.
FN(set_float32_matmul_precision) {
  BEGIN
  at::globalContext().setFloat32MatmulPrecision(string_arg(env, args[0], "precision"));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(float32_matmul_precision) {
  BEGIN
  switch (at::globalContext().float32MatmulPrecision()) {
    case at::Float32MatmulPrecision::HIGHEST:
      return make_string(env, "highest");
    case at::Float32MatmulPrecision::HIGH:
      return make_string(env, "high");
    case at::Float32MatmulPrecision::MEDIUM:
      return make_string(env, "medium");
  }
  throw JsError("float32MatmulPrecision: unknown precision");
  PST_CATCH(env)
}
FN(set_num_interop_threads) {
  BEGIN
  int64_t n = int_arg(env, args[0], "nthreads");
  if (n < 1) throw JsError("setNumInteropThreads(): Expected positive number of threads", JsError::Range);
  at::set_num_interop_threads(static_cast<int>(n));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(get_num_interop_threads) {
  BEGIN
  return make_int(env, at::get_num_interop_threads());
  PST_CATCH(env)
}
FN(init_num_threads) {
  BEGIN
  at::init_num_threads();
  return make_undefined(env);
  PST_CATCH(env)
}
// setFlushDenormal(on): whether the CPU supports it (SSE3), as torch.set_flush_denormal.
FN(set_flush_denormal) {
  BEGIN
  return make_bool(env, at::globalContext().setFlushDenormal(bool_arg(env, args[0], "mode")));
  PST_CATCH(env)
}
FN(set_warn_always) {
  BEGIN
  pst_warnings::set_warnAlways(bool_arg(env, args[0], "b"));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(get_warn_always) {
  BEGIN
  return make_bool(env, pst_warnings::get_warnAlways());
  PST_CATCH(env)
}

}  // namespace

void register_context_settings_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"setDeterministicAlgorithms", set_deterministic_algorithms},
                     {"deterministicAlgorithms", deterministic_algorithms},
                     {"deterministicAlgorithmsWarnOnly", deterministic_algorithms_warn_only},
                     {"setFloat32MatmulPrecision", set_float32_matmul_precision},
                     {"float32MatmulPrecision", float32_matmul_precision},
                     {"setNumInteropThreads", set_num_interop_threads},
                     {"getNumInteropThreads", get_num_interop_threads},
                     {"initNumThreads", init_num_threads},
                     {"setFlushDenormal", set_flush_denormal},
                     {"setWarnAlways", set_warn_always},
                     {"getWarnAlways", get_warn_always},
                 });
}

}  // namespace pst
