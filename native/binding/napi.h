// Raw N-API helpers for the per-op hot paths (ops/engine.cpp, ops/hot-ops.cpp, ops/indexing.cpp,
// binding/handles.cpp): argument reading straight from V8 and JS value making. The rest of the
// binding uses node-addon-api (binding/exports.h). Free of libtorch's headers.
#pragma once
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pst {

// A JS-facing error: thrown as a JS Error (or TypeError / RangeError) by throw_current_exception
// (binding/exports.h), from raw and node-addon-api exports alike.
struct JsError : std::runtime_error {
  // Pending: a JS exception (a throwing getter) is already on its way; throw nothing more.
  enum Kind { Plain, Type, Range, Pending } kind;
  JsError(const std::string& msg, Kind k = Plain) : std::runtime_error(msg), kind(k) {}
};

inline void check(napi_status status, const char* what) {
  if (status != napi_ok) throw JsError(std::string("internal N-API failure: ") + what);
}

// binding/exports.cpp: the caught exception into JS (declared again here for the raw files).
void throw_current_exception(napi_env env) noexcept;

// Every raw exported function body runs inside this: C++ exceptions never reach N-API, and reach
// JS through the same translation as node-addon-api exports.
#define PST_TRY try {
#define PST_CATCH(env)                      \
  }                                         \
  catch (...) {                             \
    ::pst::throw_current_exception(env);    \
  }                                         \
  return nullptr;

struct Args {
  napi_env env;
  size_t argc;
  napi_value argv[12];
  napi_value self;
  Args(napi_env env_, napi_callback_info info) : env(env_), argc(12) {
    check(napi_get_cb_info(env, info, &argc, argv, &self, nullptr), "get_cb_info");
  }
  napi_value operator[](size_t i) const { return i < argc ? argv[i] : nullptr; }
};

// A JS number holding an integer that int64 and double both represent exactly (|d| <= 2^53).
constexpr double kMaxSafeInteger = 9007199254740992.0;
inline bool is_safe_integer(double d) { return std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= kMaxSafeInteger; }

napi_valuetype type_of(napi_env env, napi_value v);
bool is_nullish(napi_env env, napi_value v);
bool is_array(napi_env env, napi_value v);
uint32_t array_length(napi_env env, napi_value arr);  // arr: an array (is_array)
napi_value array_element(napi_env env, napi_value arr, uint32_t i);
// A JS number's value; false (nothing read) for anything else.
bool read_number(napi_env env, napi_value v, double* out);
double number_arg(napi_env env, napi_value v, const char* name);
int64_t int_arg(napi_env env, napi_value v, const char* name);
bool bool_arg(napi_env env, napi_value v, const char* name);
std::string string_arg(napi_env env, napi_value v, const char* name);
std::vector<int64_t> int_list_arg(napi_env env, napi_value v, const char* name);

napi_value make_number(napi_env env, double v);
napi_value make_int(napi_env env, int64_t v);
napi_value make_bool(napi_env env, bool v);
napi_value make_string(napi_env env, const std::string& s);
napi_value make_undefined(napi_env env);
napi_value make_null(napi_env env);

// Registration of exported functions, one table per concern.
struct Export {
  const char* name;
  napi_callback fn;
};
void define_exports(napi_env env, napi_value exports, const std::vector<Export>& table);

}  // namespace pst
