// Tensor-list arguments and results of the binding's surface (binding/binding.h).
#include "binding/binding.h"

namespace pst {

std::vector<at::Tensor> tensor_list_arg(Napi::Value v, const char* name, bool allow_missing) {
  if (!v.IsArray()) throw JsError(std::string("argument '") + name + "' must be an array of tensors", JsError::Type);
  auto array = v.As<Napi::Array>();
  uint32_t n = array.Length();
  std::vector<at::Tensor> out(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value e = array.Get(i);
    if (allow_missing && is_nullish(v.Env(), e)) continue;
    out[i] = tensor_arg(v.Env(), e, name);
  }
  return out;
}

Napi::Array tensor_array(Napi::Env env, const std::vector<at::Tensor>& ts) {
  auto array = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); i++) array.Set(static_cast<uint32_t>(i), optional_tensor_value(env, ts[i]));
  return array;
}

}  // namespace pst
