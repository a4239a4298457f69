// The Tensor core: creation, properties, copies out to JS, device and dtype moves.
#include "binding/binding.h"

#include <cstring>

namespace pst {
namespace {

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define BEGIN           \
  PST_TRY               \
  check_interrupt(env); \
  Args args(env, info);

// ---- creation ----

// fromBuffer(typedArray, sourceDtype, shape, dtype?, device?, requiresGrad)
FN(from_buffer) {
  BEGIN
  bool is_typed = false;
  napi_is_typedarray(env, args[0], &is_typed);
  if (!is_typed) throw JsError("tensor data must be a TypedArray", JsError::Type);
  napi_typedarray_type ttype;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  check(napi_get_typedarray_info(env, args[0], &ttype, &length, &data, &buffer, &offset), "typedarray info");
  at::ScalarType src = dtype_arg(env, args[1], "sourceDtype");
  auto shape = int_list_arg(env, args[2], "shape");
  int64_t numel = 1;
  for (auto s : shape) {
    if (s < 0) throw JsError("tensor: negative dimension in shape", JsError::Range);
    numel *= s;
  }
  int64_t itemsize = static_cast<int64_t>(c10::elementSize(src));
  size_t byte_len = length * (ttype == napi_int8_array || ttype == napi_uint8_array || ttype == napi_uint8_clamped_array ? 1
                              : ttype == napi_int16_array || ttype == napi_uint16_array                               ? 2
                              : ttype == napi_int32_array || ttype == napi_uint32_array || ttype == napi_float32_array ? 4
                                                                                                                      : 8);
  if (static_cast<int64_t>(byte_len) != numel * itemsize) {
    throw JsError("tensor: data has " + std::to_string(byte_len / itemsize) + " elements but shape " +
                      c10::str(c10::IntArrayRef(shape)) + " needs " + std::to_string(numel),
                  JsError::Range);
  }
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(src));
  if (byte_len) std::memcpy(t.data_ptr(), data, byte_len);
  at::TensorOptions o = options_arg(env, args[3], args[4]);
  if (o.has_dtype() || o.has_device()) {
    t = t.to(o.device_opt().value_or(at::kCPU), o.has_dtype() ? c10::typeMetaToScalarType(o.dtype()) : src);
  }
  if (!is_nullish(env, args[5]) && bool_arg(env, args[5], "requiresGrad")) t.requires_grad_(true);
  return wrap_tensor(env, std::move(t));
  PST_CATCH(env)
}

at::TensorOptions creation_options(napi_env env, const Args& args, size_t at) {
  return options_arg(env, args[at], args[at + 1]);
}

// kind(shape, dtype?, device?)
FN(empty) {
  BEGIN
  return wrap_tensor(env, at::empty(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
FN(zeros) {
  BEGIN
  return wrap_tensor(env, at::zeros(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
FN(ones) {
  BEGIN
  return wrap_tensor(env, at::ones(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
FN(rand) {
  BEGIN
  return wrap_tensor(env, at::rand(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
FN(randn) {
  BEGIN
  return wrap_tensor(env, at::randn(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
// full(shape, value, dtype?, device?)
FN(full) {
  BEGIN
  return wrap_tensor(env, at::full(int_list_arg(env, args[0], "size"), scalar_arg(env, args[1], "fillValue"),
                                   creation_options(env, args, 2)));
  PST_CATCH(env)
}
// randint(low, high, shape, dtype?, device?)
FN(randint) {
  BEGIN
  auto o = creation_options(env, args, 3);
  if (!o.has_dtype()) o = o.dtype(at::kLong);
  return wrap_tensor(env, at::randint(int_arg(env, args[0], "low"), int_arg(env, args[1], "high"),
                                      int_list_arg(env, args[2], "size"), o));
  PST_CATCH(env)
}
// eye(n, m, dtype?, device?)
FN(eye) {
  BEGIN
  int64_t n = int_arg(env, args[0], "n");
  int64_t m = is_nullish(env, args[1]) ? n : int_arg(env, args[1], "m");
  return wrap_tensor(env, at::eye(n, m, creation_options(env, args, 2)));
  PST_CATCH(env)
}
// arange(start, end, step, dtype?, device?): integer arguments give int64, as PyTorch.
FN(arange) {
  BEGIN
  auto start = scalar_arg(env, args[0], "start");
  auto end = scalar_arg(env, args[1], "end");
  auto step = scalar_arg(env, args[2], "step");
  return wrap_tensor(env, at::arange(start, end, step, creation_options(env, args, 3)));
  PST_CATCH(env)
}
// linspace(start, end, steps, dtype?, device?)
FN(linspace) {
  BEGIN
  return wrap_tensor(env, at::linspace(scalar_arg(env, args[0], "start"), scalar_arg(env, args[1], "end"),
                                       int_arg(env, args[2], "steps"), creation_options(env, args, 3)));
  PST_CATCH(env)
}
// scalarTensor(value, dtype?, device?)
FN(scalar_tensor) {
  BEGIN
  return wrap_tensor(env, at::scalar_tensor(scalar_arg(env, args[0], "value"), creation_options(env, args, 1)));
  PST_CATCH(env)
}

// ---- properties ----

FN(shape) {
  BEGIN
  return make_int_array(env, tensor_arg(env, args[0], "self").sizes());
  PST_CATCH(env)
}
FN(strides) {
  BEGIN
  return make_int_array(env, tensor_arg(env, args[0], "self").strides());
  PST_CATCH(env)
}
FN(storage_offset) {
  BEGIN
  return make_int(env, tensor_arg(env, args[0], "self").storage_offset());
  PST_CATCH(env)
}
FN(dtype) {
  BEGIN
  return make_int(env, static_cast<int64_t>(tensor_arg(env, args[0], "self").scalar_type()));
  PST_CATCH(env)
}
FN(device) {
  BEGIN
  return make_string(env, device_string(tensor_arg(env, args[0], "self").device()));
  PST_CATCH(env)
}
FN(numel) {
  BEGIN
  return make_int(env, tensor_arg(env, args[0], "self").numel());
  PST_CATCH(env)
}
FN(dim) {
  BEGIN
  return make_int(env, tensor_arg(env, args[0], "self").dim());
  PST_CATCH(env)
}
FN(is_contiguous) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").is_contiguous());
  PST_CATCH(env)
}
FN(requires_grad) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").requires_grad());
  PST_CATCH(env)
}
FN(set_requires_grad) {
  BEGIN
  tensor_arg(env, args[0], "self").set_requires_grad(bool_arg(env, args[1], "requiresGrad"));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(is_leaf) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").is_leaf());
  PST_CATCH(env)
}
FN(grad) {
  BEGIN
  return wrap_existing(env, tensor_arg(env, args[0], "self").grad());
  PST_CATCH(env)
}
FN(set_grad) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (is_nullish(env, args[1])) {
    t.mutable_grad().reset();
  } else {
    t.mutable_grad() = tensor_arg(env, args[1], "grad");
  }
  return make_undefined(env);
  PST_CATCH(env)
}
FN(grad_fn_name) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  const auto& fn = t.grad_fn();
  return fn ? make_string(env, fn->name()) : make_null(env);
  PST_CATCH(env)
}
FN(element_size) {
  BEGIN
  return make_int(env, static_cast<int64_t>(tensor_arg(env, args[0], "self").element_size()));
  PST_CATCH(env)
}
// An id of the storage under a tensor: equal for handles that share it (torch.save writes a
// shared storage once).
FN(storage_id) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (!t.has_storage()) return make_null(env);
  return make_number(env, static_cast<double>(reinterpret_cast<uintptr_t>(t.storage().unsafeGetStorageImpl())));
  PST_CATCH(env)
}

// ---- copies out ----

// The bytes of a tensor as JS reads them (float16/bfloat16 as float32, complex as
// interleaved (re, im), bool as uint8): a CPU, contiguous copy in a fresh ArrayBuffer.
at::Tensor js_readable(at::Tensor t) {
  auto st = t.scalar_type();
  if (st == at::kHalf || st == at::kBFloat16) t = t.to(at::kFloat);
  else if (st == at::kComplexHalf) t = at::view_as_real(t.to(at::kComplexFloat));
  else if (st == at::kComplexFloat || st == at::kComplexDouble) t = at::view_as_real(t.resolve_conj());
  if (t.is_neg()) t = t.resolve_neg();
  return t.to(at::kCPU).contiguous();
}

FN(to_buffer) {
  BEGIN
  at::Tensor t = js_readable(tensor_arg(env, args[0], "self").detach());
  size_t n = t.nbytes();
  void* dst;
  napi_value ab;
  check(napi_create_arraybuffer(env, n, &dst, &ab), "create arraybuffer");
  if (n) std::memcpy(dst, t.data_ptr(), n);
  return ab;
  PST_CATCH(env)
}

// The whole storage under a tensor as bytes, for checkpoints: zero-copy for CPU storages (the
// ArrayBuffer keeps the storage alive), a host copy for device storages.
void release_storage(node_api_basic_env, void*, void* hint) {
  delete static_cast<c10::Storage*>(hint);
}
FN(storage_bytes) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (!t.has_storage()) throw JsError("this tensor has no storage (sparse or opaque layout) and cannot be saved");
  const c10::Storage& storage = t.storage();
  size_t n = storage.nbytes();
  napi_value ab;
  if (storage.device().is_cpu()) {
    if (n == 0) {
      void* unused;
      check(napi_create_arraybuffer(env, 0, &unused, &ab), "arraybuffer");
      return ab;
    }
    auto* keep = new c10::Storage(storage);
    napi_status st = napi_create_external_arraybuffer(env, const_cast<void*>(keep->data()), n, release_storage, keep, &ab);
    if (st == napi_ok) return ab;
    delete keep;  // external buffers disallowed (e.g. a sandboxed runtime): copy below
  }
  // A flat view of the whole storage, moved to the host.
  at::Tensor flat = at::empty({0}, t.options().dtype(at::kByte)).set_(
      c10::Storage(storage), 0, {static_cast<int64_t>(n)}, {1});
  at::Tensor host = flat.to(at::kCPU);
  void* dst;
  check(napi_create_arraybuffer(env, n, &dst, &ab), "arraybuffer");
  if (n) std::memcpy(dst, host.data_ptr(), n);
  return ab;
  PST_CATCH(env)
}
// storageView(self): an ArrayBuffer over a CPU tensor's storage that does NOT keep it alive (for
// torch.load, which holds the tensor while it reads into the view and detaches the view after).
// Node runs the finalizer of an owning external ArrayBuffer (storageBytes) only at the next turn
// of the event loop, so a loop of loads that never yields would never free a loaded storage.
FN(storage_view) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (!t.has_storage() || !t.storage().device().is_cpu()) throw JsError("storageView: expected a CPU tensor with storage");
  size_t n = t.storage().nbytes();
  napi_value ab;
  void* unused;
  if (n == 0) {
    check(napi_create_arraybuffer(env, 0, &unused, &ab), "arraybuffer");
  } else {
    check(napi_create_external_arraybuffer(env, const_cast<void*>(t.storage().data()), n, nullptr, nullptr, &ab),
          "external arraybuffer");
  }
  return ab;
  PST_CATCH(env)
}
// asStrided(self, shape, stride, offset): a view into self's storage (checkpoint loading).
FN(as_strided) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").as_strided(int_list_arg(env, args[1], "size"),
                                                                        int_list_arg(env, args[2], "stride"),
                                                                        int_arg(env, args[3], "storageOffset")));
  PST_CATCH(env)
}

FN(item) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (t.numel() != 1) {
    throw JsError("item(): a Tensor with " + std::to_string(t.numel()) +
                  " elements cannot be converted to a number (it needs exactly one)");
  }
  return scalar_to_js(env, t.item());
  PST_CATCH(env)
}

// ---- copies and moves ----

FN(clone) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").clone());
  PST_CATCH(env)
}
FN(contiguous) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").contiguous());
  PST_CATCH(env)
}
FN(detach) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").detach());
  PST_CATCH(env)
}
// to(self, dtype?, device?, copy): returns self's own handle data when nothing changes, as
// PyTorch returns self (the JS side then returns the same Tensor object).
FN(to) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  auto dtype = is_nullish(env, args[1]) ? t.scalar_type() : dtype_arg(env, args[1]);
  auto device = is_nullish(env, args[2]) ? t.device() : device_arg(env, args[2]);
  bool copy = !is_nullish(env, args[3]) && bool_arg(env, args[3], "copy");
  if (device.is_cuda() && !at::globalContext().hasCUDA()) {
    throw JsError(
        "CUDA is not available: this libtorch was built without CUDA (or no GPU is visible). "
        "Point LIBTORCH at a CUDA build of libtorch (e.g. the torch folder of a pip CUDA install) "
        "and rebuild with `npm run build:native`.");
  }
  at::Tensor r = t.to(device, dtype, /*non_blocking=*/false, copy);
  if (r.unsafeGetTensorImpl() == t.unsafeGetTensorImpl()) return make_null(env);
  return wrap_tensor(env, std::move(r));
  PST_CATCH(env)
}

}  // namespace

void register_tensor_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"fromBuffer", from_buffer},
                     {"empty", empty},
                     {"zeros", zeros},
                     {"ones", ones},
                     {"rand", rand},
                     {"randn", randn},
                     {"full", full},
                     {"randint", randint},
                     {"eye", eye},
                     {"arange", arange},
                     {"linspace", linspace},
                     {"scalarTensor", scalar_tensor},
                     {"shape", shape},
                     {"strides", strides},
                     {"storageOffset", storage_offset},
                     {"dtype", dtype},
                     {"device", device},
                     {"numel", numel},
                     {"dim", dim},
                     {"isContiguous", is_contiguous},
                     {"requiresGrad", requires_grad},
                     {"setRequiresGrad", set_requires_grad},
                     {"isLeaf", is_leaf},
                     {"grad", grad},
                     {"setGrad", set_grad},
                     {"gradFnName", grad_fn_name},
                     {"elementSize", element_size},
                     {"storageId", storage_id},
                     {"toBuffer", to_buffer},
                     {"storageBytes", storage_bytes},
                     {"storageView", storage_view},
                     {"asStrided", as_strided},
                     {"item", item},
                     {"clone", clone},
                     {"contiguous", contiguous},
                     {"detach", detach},
                     {"to", to}
                 });
}

}  // namespace pst
