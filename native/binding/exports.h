// How each concern registers its exports: `define<fn>(exports, "name")` for a node-addon-api
// function, `define_op<fn>` for one that first takes a pending signal (interrupt.h), and one
// translation of C++ exceptions into JS errors shared with the raw N-API hot paths (PST_CATCH).
#pragma once
#include <napi.h>

#include "interrupt.h"

#include <exception>
#include <string>

namespace pst {

// Inside a catch block: throws the caught C++ exception into JS. A JS exception already pending
// (a throwing getter, a callback, the InterruptError) is left as it is; a Napi::Error is its JS
// value rethrown unchanged; a JsError keeps its JS type; other exceptions become an Error with
// their message (libtorch's cleaned by errors.cpp's describer).
void throw_current_exception(napi_env env) noexcept;
// How a std::exception reads in JS; errors.cpp installs libtorch's (the signal-only addon has none).
void set_exception_describer(std::string (*describe)(const std::exception&));

using Method = Napi::Value (*)(const Napi::CallbackInfo&);

template <Method F, bool kTakesSignals>
napi_value entry(napi_env env, napi_callback_info cb) noexcept {
  try {
    if constexpr (kTakesSignals) check_interrupt(env);
    Napi::CallbackInfo info(env, cb);
    Napi::Value result = F(info);
    return result;
  } catch (...) {
    throw_current_exception(env);
    return nullptr;
  }
}

inline void define_raw(Napi::Object exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_status status = napi_create_function(exports.Env(), name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  if (status != napi_ok) throw Napi::Error::New(exports.Env());
  exports.Set(name, Napi::Value(exports.Env(), f));
}

template <Method F>
void define(Napi::Object exports, const char* name) {
  define_raw(exports, name, entry<F, false>);
}

// An export that does work a user may be waiting to interrupt (tensor creation, backward): a
// pending SIGINT/SIGTERM is thrown before it starts.
template <Method F>
void define_op(Napi::Object exports, const char* name) {
  define_raw(exports, name, entry<F, true>);
}

}  // namespace pst
