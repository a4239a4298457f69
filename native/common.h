// Shared pieces of the native layer: N-API helpers, error translation and the tensor handle.
//
// A tensor crosses into JS as an External owning a heap TensorBox. The JS `Tensor` class holds
// that external; native functions take and return externals, never wrapped objects
// (napi_get_value_external costs ~6 ns, napi_unwrap ~50 ns). Finalizers only free memory, so
// with NAPI_EXPERIMENTAL they run inside the GC (see CMakeLists.txt). Built with Node's V8
// headers (PST_V8_HANDLES), the external is a bare V8 External with one weak reference of ours
// (see wrap() in addon.cpp); otherwise a napi_external.
#pragma once
#include "pch.h"
#include "interrupt.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace pst {

struct TensorBox {
  static constexpr uint64_t kMagic = 0x7073742d74656e73;  // "pst-tens": tells tensor handles from other externals
  uint64_t magic = kMagic;
  at::Tensor tensor;      // undefined once disposed
  int64_t accounted = 0;  // bytes reported to V8 for this handle
  explicit TensorBox(at::Tensor t) : tensor(std::move(t)) {}
};

// A JS-facing error: thrown as a JS Error (or TypeError / RangeError) by the catch blocks.
struct JsError : std::runtime_error {
  // Pending: a JS exception (a throwing getter) is already on its way; throw nothing more.
  enum Kind { Plain, Type, Range, Pending } kind;
  JsError(const std::string& msg, Kind k = Plain) : std::runtime_error(msg), kind(k) {}
};

inline void check(napi_status status, const char* what) {
  if (status != napi_ok) throw JsError(std::string("internal N-API failure: ") + what);
}

void throw_to_js(napi_env env, const char* message, JsError::Kind kind = JsError::Plain);
std::string clean_torch_message(const c10::Error& e);

// Every exported function body runs inside this: C++ exceptions never reach N-API.
#define PST_TRY try {
#define PST_CATCH(env)                                                      \
  }                                                                         \
  catch (const ::pst::JsError& e) {                                         \
    ::pst::throw_to_js(env, e.what(), e.kind);                              \
  }                                                                         \
  catch (const c10::Error& e) {                                             \
    ::pst::throw_to_js(env, ::pst::clean_torch_message(e).c_str());         \
  }                                                                         \
  catch (const std::exception& e) {                                         \
    ::pst::throw_to_js(env, e.what());                                      \
  }                                                                         \
  return nullptr;

// ---- arguments ----
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

// Plain CPU tensors that autograd, autocast and the conj/neg/named/zero-tensor wrappers would
// all pass through untouched can go straight to the CPU kernel: what the dispatcher would
// reach after ~0.15 us of redispatching.
inline bool plain_cpu(const at::Tensor& t) {
  return t.device().is_cpu() && t.layout() == at::kStrided && !t.requires_grad() && !t.is_conj() &&
         !t.is_neg() && !t.has_names() && !t.is_quantized() && !t._is_zerotensor();
}

// A JS number holding an integer that int64 and double both represent exactly (|d| <= 2^53).
constexpr double kMaxSafeInteger = 9007199254740992.0;
inline bool is_safe_integer(double d) {
  return std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= kMaxSafeInteger;
}

// Skips the autograd kernels of a call whose tensor input carries no autograd state at all (no
// grad, no forward grad, not a view): they would only find that out and redispatch (~0.03-0.06
// us of a 1-element op). ADInplaceOrView still runs, so a view op's result is a true view.
// Measure before using it: the all-dims sum got slower under it (0.67 -> 0.78 us).
class SkipAutogradIfPlain {
  c10::optional<at::AutoDispatchBelowAutograd> guard_;

 public:
  explicit SkipAutogradIfPlain(const at::Tensor& t) {
    if (t.unsafeGetTensorImpl()->autograd_meta() == nullptr) guard_.emplace();
  }
};

// The box of a tensor handle (disposed or not), nullptr for any other value.
TensorBox* box_of(napi_env env, napi_value v);
// Tensor from an external handle; clear errors for non-tensors and disposed tensors.
at::Tensor& tensor_arg(napi_env env, napi_value v, const char* name = "tensor");
bool is_tensor_handle(napi_env env, napi_value v);
napi_value wrap_tensor(napi_env env, at::Tensor t);
// `t` in the empty handle `into` when one is given (a recycled handle), else in a new handle.
napi_value wrap_into(napi_env env, napi_value into, at::Tensor t);
// A tensor or undefined (optional results).
napi_value wrap_optional(napi_env env, const at::Tensor& t);
// A handle to a tensor something else holds (a .grad): its data is not counted again.
napi_value wrap_existing(napi_env env, const at::Tensor& t);

napi_valuetype type_of(napi_env env, napi_value v);
bool is_nullish(napi_env env, napi_value v);
// JS arrays. With V8's headers these read straight from V8: N-API's array calls open a
// TryCatch each, and a generated op reads its arguments from one.
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
at::ScalarType dtype_arg(napi_env env, napi_value v, const char* name = "dtype");
c10::Scalar scalar_arg(napi_env env, napi_value v, const char* name);
at::Device device_arg(napi_env env, napi_value v);
// Creation options {dtype, device, requiresGrad} passed as (dtype code|undefined, device|undefined).
at::TensorOptions options_arg(napi_env env, napi_value dtype, napi_value device);

napi_value make_number(napi_env env, double v);
napi_value make_int(napi_env env, int64_t v);
napi_value make_bool(napi_env env, bool v);
napi_value make_string(napi_env env, const std::string& s);
napi_value make_undefined(napi_env env);
napi_value make_null(napi_env env);
napi_value make_int_array(napi_env env, c10::IntArrayRef values);
// Scalar value to JS: number, boolean, or throws for int64 beyond 2^53.
napi_value scalar_to_js(napi_env env, const c10::Scalar& s);

// dtype codes shared with src/torch/tensor/dtype.ts (c10::ScalarType numbering).
std::string device_string(const at::Device& d);

// Registration of exported functions, one table per translation unit.
struct Export {
  const char* name;
  napi_callback fn;
};
void define_exports(napi_env env, napi_value exports, const std::vector<Export>& table);
void register_tensor_exports(napi_env env, napi_value exports);
void register_op_exports(napi_env env, napi_value exports);
void register_distributed_exports(napi_env env, napi_value exports);
void register_fileio_exports(napi_env env, napi_value exports);  // fileio.h
void register_context_settings_exports(napi_env env, napi_value exports);  // context_settings.cpp

}  // namespace pst
