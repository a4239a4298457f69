// N-API helpers (binding/napi.h). Raw V8 reads: every argument of every op passes here, and
// node-addon-api's wrappers cost ~5 ns more per argument (docs/architecture.md, "The binding").
#include "binding/napi.h"

#include "binding/v8-access.h"

namespace pst {

// ---- argument reading (hot path: raw V8, see the file comment) ----

napi_valuetype type_of(napi_env env, napi_value v) {
  if (v != nullptr) {  // napi_typeof's order: an External is also an Object
    v8::Local<v8::Value> l = to_local(v);
    if (l->IsNumber()) return napi_number;
    if (l->IsBigInt()) return napi_bigint;
    if (l->IsString()) return napi_string;
    if (l->IsFunction()) return napi_function;
    if (l->IsExternal()) return napi_external;
    if (l->IsObject()) return napi_object;
    if (l->IsBoolean()) return napi_boolean;
    if (l->IsUndefined()) return napi_undefined;
    if (l->IsSymbol()) return napi_symbol;
    if (l->IsNull()) return napi_null;
  }
  napi_valuetype t;
  check(napi_typeof(env, v, &t), "typeof");
  return t;
}

bool is_array(napi_env env, napi_value v) {
  if (v == nullptr) return false;
  return to_local(v)->IsArray();
}

uint32_t array_length(napi_env env, napi_value arr) {
  return to_local(arr).As<v8::Array>()->Length();
}

napi_value array_element(napi_env env, napi_value arr, uint32_t i) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::Value> e;
  // A getter may throw: V8 keeps its exception for the return to JS.
  if (!to_local(arr).As<v8::Object>()->Get(isolate->GetCurrentContext(), i).ToLocal(&e)) {
    throw JsError("array element getter threw", JsError::Pending);
  }
  return to_napi(e);
}

bool read_number(napi_env env, napi_value v, double* out) {
  if (v == nullptr) return false;
  v8::Local<v8::Value> l = to_local(v);
  if (!l->IsNumber()) return false;
  *out = l.As<v8::Number>()->Value();
  return true;
}

bool is_nullish(napi_env env, napi_value v) {
  if (v == nullptr) return true;
  auto t = type_of(env, v);
  return t == napi_undefined || t == napi_null;
}

double number_arg(napi_env env, napi_value v, const char* name) {
  double out;
  if (!read_number(env, v, &out)) {
    throw JsError(std::string("argument '") + name + "' must be a number", JsError::Type);
  }
  return out;
}

int64_t int_arg(napi_env env, napi_value v, const char* name) {
  double d;
  if (!read_number(env, v, &d)) {
    if (v != nullptr && type_of(env, v) == napi_bigint) {
      int64_t out;
      bool lossless;
      check(napi_get_value_bigint_int64(env, v, &out, &lossless), "bigint");
      if (!lossless) throw JsError(std::string("argument '") + name + "' does not fit in int64", JsError::Range);
      return out;
    }
    d = number_arg(env, v, name);  // throws: neither a number nor a bigint
  }
  if (!std::isfinite(d) || std::floor(d) != d) {
    throw JsError(std::string("argument '") + name + "' must be an integer, got " + std::to_string(d),
                  JsError::Type);
  }
  if (std::fabs(d) > kMaxSafeInteger) {
    throw JsError(std::string("argument '") + name + "' is beyond 2^53: pass a bigint", JsError::Range);
  }
  return static_cast<int64_t>(d);
}

bool bool_arg(napi_env env, napi_value v, const char* name) {
  bool out;
  if (v == nullptr || napi_get_value_bool(env, v, &out) != napi_ok) {
    throw JsError(std::string("argument '") + name + "' must be a boolean", JsError::Type);
  }
  return out;
}

std::string string_arg(napi_env env, napi_value v, const char* name) {
  size_t len;
  if (v == nullptr || napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) {
    throw JsError(std::string("argument '") + name + "' must be a string", JsError::Type);
  }
  std::string s(len, '\0');
  check(napi_get_value_string_utf8(env, v, s.data(), len + 1, &len), "string");
  return s;
}

std::vector<int64_t> int_list_arg(napi_env env, napi_value v, const char* name) {
  if (!is_array(env, v)) {
    // A single integer stands for a one-element list, as in PyTorch (`sum(dim=1)`).
    if (v != nullptr && (type_of(env, v) == napi_number || type_of(env, v) == napi_bigint)) {
      return {int_arg(env, v, name)};
    }
    throw JsError(std::string("argument '") + name + "' must be an array of integers", JsError::Type);
  }
  uint32_t n = array_length(env, v);
  std::vector<int64_t> out(n);
  for (uint32_t i = 0; i < n; i++) out[i] = int_arg(env, array_element(env, v, i), name);
  return out;
}

// ---- JS values ----

napi_value make_number(napi_env env, double v) {
  napi_value r;
  check(napi_create_double(env, v, &r), "create double");
  return r;
}
napi_value make_int(napi_env env, int64_t v) {
  napi_value r;
  check(napi_create_int64(env, v, &r), "create int");
  return r;
}
napi_value make_bool(napi_env env, bool v) {
  napi_value r;
  check(napi_get_boolean(env, v, &r), "create bool");
  return r;
}
napi_value make_string(napi_env env, const std::string& s) {
  napi_value r;
  check(napi_create_string_utf8(env, s.data(), s.size(), &r), "create string");
  return r;
}
napi_value make_undefined(napi_env env) {
  napi_value r;
  napi_get_undefined(env, &r);
  return r;
}
napi_value make_null(napi_env env) {
  napi_value r;
  napi_get_null(env, &r);
  return r;
}

void define_exports(napi_env env, napi_value exports, const std::vector<Export>& table) {
  for (const auto& e : table) {
    napi_value fn;
    check(napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn), "create function");
    check(napi_set_named_property(env, exports, e.name, fn), "set export");
  }
}

}  // namespace pst
