// Python-style indexing: Tensor.idx / idxPut_ (src/torch/tensor/indexing.ts).
// Raw N-API on purpose: t.idx(i) is a per-op hot path (docs/architecture.md, "The binding").
#include "binding/binding.h"
#include "compat/indexing.h"

namespace pst {
namespace {

// Index items from JS: integer, null (None: a new axis), "..." (Ellipsis), boolean, a tensor
// handle (integer or boolean mask), or [start, stop, step] (a slice; null parts default).

c10::optional<int64_t> slice_part(napi_env env, napi_value arr, uint32_t i, const char* what) {
  napi_value v = array_element(env, arr, i);
  if (is_nullish(env, v)) return c10::nullopt;
  return int_arg(env, v, what);
}

std::vector<at::indexing::TensorIndex> index_items(napi_env env, napi_value v) {
  if (!is_array(env, v)) throw JsError("idx: indices must be an array", JsError::Type);
  uint32_t n = array_length(env, v);
  std::vector<at::indexing::TensorIndex> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e = array_element(env, v, i);
    switch (type_of(env, e)) {
      case napi_number: out.emplace_back(int_arg(env, e, "index")); break;
      case napi_null:
      case napi_undefined: out.emplace_back(at::indexing::None); break;
      case napi_boolean: out.emplace_back(bool_arg(env, e, "index")); break;
      case napi_external: out.emplace_back(tensor_arg(env, e, "index")); break;
      case napi_string: {
        if (string_arg(env, e, "index") != "...") throw JsError("idx: the only string index is \"...\"", JsError::Type);
        out.emplace_back(at::indexing::Ellipsis);
        break;
      }
      case napi_object: {
        if (!is_array(env, e)) throw JsError("idx: unsupported index item", JsError::Type);
        out.emplace_back(at::indexing::Slice(slice_part(env, e, 0, "slice start"), slice_part(env, e, 1, "slice stop"),
                                             slice_part(env, e, 2, "slice step")));
        break;
      }
      default: throw JsError("idx: unsupported index item", JsError::Type);
    }
  }
  return out;
}

napi_value index_get(napi_env env, napi_callback_info info) {
  PST_TRY
  check_interrupt(env);
  Args args(env, info);
  const at::Tensor& self = tensor_arg(env, args[0], "self");
  // t.idx(i), the commonest form, without an item list: the step of libtorch's get_item for one
  // integer (Python's t[i]: its checks and messages, then select), without the item list and
  // device guard a general index needs (select makes a view: no kernel runs on a device).
  double number;
  if (read_number(env, args[1], &number)) {
    int64_t index = int_arg(env, args[1], "index");
    at::Tensor r;
    {
      BelowIfPlain<at::AutoDispatchBelowAutograd> below({&self});  // ADInplaceOrView still runs: the result is a true view
      r = compat::select_item(self, index);
    }
    return wrap_into(env, args[2], std::move(r));
  }
  return wrap_into(env, args[2], self.index(index_items(env, args[1])));
  PST_CATCH(env)
}

// indexPut(self, items, value: handle | scalar): writes in place.
napi_value index_put(napi_env env, napi_callback_info info) {
  PST_TRY
  check_interrupt(env);
  Args args(env, info);
  at::Tensor& self = tensor_arg(env, args[0], "self");
  auto items = index_items(env, args[1]);
  if (is_tensor_handle(env, args[2])) self.index_put_(items, tensor_arg(env, args[2], "value"));
  else self.index_put_(items, scalar_arg(env, args[2], "value"));
  return make_undefined(env);
  PST_CATCH(env)
}

}  // namespace

void register_indexing_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"indexGet", index_get},
                     {"indexPut", index_put},
                 });
}

}  // namespace pst
