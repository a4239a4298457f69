// The one translation of C++ exceptions into JS errors (binding/exports.h). Free of libtorch's
// headers: the signal-only addon (signals-addon.cpp) links it too.
#include "binding/exports.h"

#include "binding/napi.h"

namespace pst {
namespace {

std::string (*g_describe)(const std::exception&) = nullptr;

bool exception_pending(napi_env env) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  return pending;
}

// A JS error of `kind` unless a JS exception is already on its way.
void throw_to_js(napi_env env, const char* message, JsError::Kind kind = JsError::Plain) {
  if (kind == JsError::Pending || exception_pending(env)) return;  // a JS exception is already on its way
  switch (kind) {
    case JsError::Type: napi_throw_type_error(env, nullptr, message); break;
    case JsError::Range: napi_throw_range_error(env, nullptr, message); break;
    default: napi_throw_error(env, nullptr, message);
  }
}

}  // namespace

void set_exception_describer(std::string (*describe)(const std::exception&)) { g_describe = describe; }

void throw_current_exception(napi_env env) noexcept {
  try {
    throw;
  } catch (const Napi::Error& e) {
    // The JS value node-addon-api took from a failed call (a throwing getter or callback), as it was.
    if (!exception_pending(env)) {
      try {
        e.ThrowAsJavaScriptException();
      } catch (...) {
      }
    }
  } catch (const JsError& e) {
    throw_to_js(env, e.what(), e.kind);
  } catch (const std::exception& e) {
    try {
      throw_to_js(env, (g_describe != nullptr ? g_describe(e) : std::string(e.what())).c_str());
    } catch (...) {
      throw_to_js(env, e.what());
    }
  } catch (...) {
    throw_to_js(env, "unknown native exception");
  }
}

}  // namespace pst
