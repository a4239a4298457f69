// A napi_value is a v8::Local (Node's N-API converts them the same way): the hot paths read
// arguments and make tensor handles straight from V8, skipping N-API's per-call bookkeeping.
#pragma once
#include <node_api.h>
#include <v8.h>

#include <cstring>

namespace pst {

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value must be a v8::Local");

inline v8::Local<v8::Value> to_local(napi_value v) {
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void*>(&local), &v, sizeof(v));
  return local;
}

inline napi_value to_napi(v8::Local<v8::Value> local) {
  napi_value v;
  std::memcpy(&v, static_cast<void*>(&local), sizeof(v));
  return v;
}

}  // namespace pst
