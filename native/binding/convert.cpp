// Conversions between JS values and libtorch's argument types (dtype, Scalar, device, sizes).
#include "binding/convert.h"

namespace pst {

at::ScalarType dtype_arg(napi_env env, napi_value v, const char* name) {
  int64_t code = int_arg(env, v, name);
  if (code < 0 || code >= static_cast<int64_t>(at::ScalarType::NumOptions)) {
    throw JsError(std::string("argument '") + name + "' is not a known dtype", JsError::Type);
  }
  return static_cast<at::ScalarType>(code);
}

c10::Scalar scalar_arg(napi_env env, napi_value v, const char* name) {
  switch (v == nullptr ? napi_undefined : type_of(env, v)) {
    case napi_number: {
      double d;
      read_number(env, v, &d);
      // JS has one number type: integral values act as Python ints (keep integer dtypes),
      // others as floats.
      if (is_safe_integer(d)) {
        return c10::Scalar(static_cast<int64_t>(d));
      }
      return c10::Scalar(d);
    }
    case napi_boolean: return c10::Scalar(bool_arg(env, v, name));
    case napi_bigint: return c10::Scalar(int_arg(env, v, name));
    default:
      throw JsError(std::string("argument '") + name + "' must be a number, boolean or bigint", JsError::Type);
  }
}

at::Device device_arg(napi_env env, napi_value v) {
  std::string s = string_arg(env, v, "device");
  try {
    return at::Device(s);
  } catch (const c10::Error&) {
    throw JsError("invalid device '" + s + "': expected 'cpu', 'cuda' or 'cuda:N'", JsError::Type);
  }
}

at::TensorOptions options_arg(napi_env env, napi_value dtype, napi_value device) {
  at::TensorOptions o;
  if (!is_nullish(env, dtype)) o = o.dtype(dtype_arg(env, dtype));
  if (!is_nullish(env, device)) o = o.device(device_arg(env, device));
  return o;
}

napi_value scalar_to_js(napi_env env, const c10::Scalar& s) {
  if (s.isBoolean()) return make_bool(env, s.toBool());
  if (s.isIntegral(false)) {
    int64_t v = s.toLong();
    if (v > 9007199254740991LL || v < -9007199254740991LL) {
      throw JsError("item(): the int64 value " + std::to_string(v) +
                        " is beyond 2^53 and cannot be a JS number exactly; use toTypedArray() (BigInt64Array)",
                    JsError::Range);
    }
    return make_number(env, static_cast<double>(v));
  }
  if (s.isComplex()) throw JsError("item(): complex values have no JS number; use toTypedArray()", JsError::Type);
  return make_number(env, s.toDouble());
}

std::string device_string(const at::Device& d) {
  return d.str();  // "cpu", "cuda:0"
}

}  // namespace pst
