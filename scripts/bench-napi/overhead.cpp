// The cost of one call into the addon through each way an export can be written: raw N-API (as
// the per-op hot paths are) and node-addon-api through binding/exports.h (the rest of the
// binding). Built and timed by scripts/bench-napi/run.mjs.
#include "binding/exports.h"
#include "binding/napi.h"

namespace {

napi_value raw_empty(napi_env env, napi_callback_info info) { return nullptr; }

// As a raw hot-path export reads its arguments (binding/napi.h's Args and int_arg).
napi_value raw_int_arg(napi_env env, napi_callback_info info) {
  PST_TRY
  pst::Args args(env, info);
  return pst::make_int(env, pst::int_arg(env, args[0], "x") + 1);
  PST_CATCH(env)
}

// Three numbers read straight from V8 (binding/napi.h), as the hot paths read op arguments.
napi_value raw_three_numbers(napi_env env, napi_callback_info info) {
  PST_TRY
  pst::Args args(env, info);
  double sum = 0;
  for (size_t i = 0; i < 3; i++) sum += pst::number_arg(env, args[i], "x");
  return pst::make_number(env, sum);
  PST_CATCH(env)
}

Napi::Value addon_api_empty(const Napi::CallbackInfo& info) { return info.Env().Undefined(); }

Napi::Value addon_api_int_arg(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(pst::int_arg(info.Env(), info[0], "x") + 1));
}

// The same three numbers through node-addon-api's wrappers (napi_typeof, napi_get_value_double).
Napi::Value addon_api_three_numbers(const Napi::CallbackInfo& info) {
  double sum = 0;
  for (size_t i = 0; i < 3; i++) {
    if (!info[i].IsNumber()) throw pst::JsError("argument 'x' must be a number", pst::JsError::Type);
    sum += info[i].As<Napi::Number>().DoubleValue();
  }
  return Napi::Number::New(info.Env(), sum);
}

napi_value Init(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  pst::define_raw(ex, "rawEmpty", raw_empty);
  pst::define_raw(ex, "rawIntArg", raw_int_arg);
  pst::define<addon_api_empty>(ex, "addonApiEmpty");
  pst::define_op<addon_api_empty>(ex, "addonApiEmptyOp");
  pst::define<addon_api_int_arg>(ex, "addonApiIntArg");
  pst::define_raw(ex, "rawThreeNumbers", raw_three_numbers);
  pst::define<addon_api_three_numbers>(ex, "addonApiThreeNumbers");
  return exports;
}

}  // namespace

NAPI_MODULE(napi_overhead, Init)
