// The Tensor core: creation, properties (the TensorImpl facts Python's Tensor reads included),
// copies out to JS, device and dtype moves.
#include "binding/binding.h"

#include <cstring>
#include <sstream>

namespace pst {
namespace {

// Every export here is registered with define_op (a pending signal is thrown first).
#define FN(name) Napi::Value name(const Napi::CallbackInfo& info)

Napi::Array int_array(Napi::Env env, c10::IntArrayRef values) {
  auto arr = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) arr.Set(static_cast<uint32_t>(i), Napi::Number::New(env, values[i]));
  return arr;
}

Napi::ArrayBuffer copy_to_array_buffer(Napi::Env env, const void* data, size_t n) {
  auto ab = Napi::ArrayBuffer::New(env, n);
  if (n) std::memcpy(ab.Data(), data, n);
  return ab;
}

// ---- creation ----

// fromBuffer(typedArray, sourceDtype, shape, dtype?, device?, requiresGrad)
FN(from_buffer) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) throw JsError("tensor data must be a TypedArray", JsError::Type);
  auto typed = info[0].As<Napi::TypedArray>();
  size_t byte_len = typed.ByteLength();
  const uint8_t* data = static_cast<const uint8_t*>(typed.ArrayBuffer().Data()) + typed.ByteOffset();
  at::ScalarType src = dtype_arg(env, info[1], "sourceDtype");
  auto shape = int_list_arg(env, info[2], "shape");
  int64_t numel = 1;
  for (auto s : shape) {
    if (s < 0) throw JsError("tensor: negative dimension in shape", JsError::Range);
    numel *= s;
  }
  int64_t itemsize = static_cast<int64_t>(c10::elementSize(src));
  if (static_cast<int64_t>(byte_len) != numel * itemsize) {
    throw JsError("tensor: data has " + std::to_string(byte_len / itemsize) + " elements but shape " +
                      c10::str(c10::IntArrayRef(shape)) + " needs " + std::to_string(numel),
                  JsError::Range);
  }
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(src));
  if (byte_len) std::memcpy(t.data_ptr(), data, byte_len);
  at::TensorOptions o = options_arg(env, info[3], info[4]);
  if (o.has_dtype() || o.has_device()) {
    t = t.to(o.device_opt().value_or(at::kCPU), o.has_dtype() ? c10::typeMetaToScalarType(o.dtype()) : src);
  }
  if (!is_nullish(env, info[5]) && bool_arg(env, info[5], "requiresGrad")) t.requires_grad_(true);
  return tensor_value(env, std::move(t));
}

at::TensorOptions creation_options(const Napi::CallbackInfo& info, size_t at) {
  return options_arg(info.Env(), info[at], info[at + 1]);
}

// kind(shape, dtype?, device?)
FN(empty) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::empty(int_list_arg(env, info[0], "size"), creation_options(info, 1)));
}
FN(zeros) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::zeros(int_list_arg(env, info[0], "size"), creation_options(info, 1)));
}
FN(ones) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::ones(int_list_arg(env, info[0], "size"), creation_options(info, 1)));
}
FN(rand) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::rand(int_list_arg(env, info[0], "size"), creation_options(info, 1)));
}
FN(randn) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::randn(int_list_arg(env, info[0], "size"), creation_options(info, 1)));
}
// full(shape, value, dtype?, device?)
FN(full) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::full(int_list_arg(env, info[0], "size"), scalar_arg(env, info[1], "fillValue"),
                                   creation_options(info, 2)));
}
// randint(low, high, shape, dtype?, device?)
FN(randint) {
  Napi::Env env = info.Env();
  auto o = creation_options(info, 3);
  if (!o.has_dtype()) o = o.dtype(at::kLong);
  return tensor_value(env, at::randint(int_arg(env, info[0], "low"), int_arg(env, info[1], "high"),
                                      int_list_arg(env, info[2], "size"), o));
}
// eye(n, m, dtype?, device?)
FN(eye) {
  Napi::Env env = info.Env();
  int64_t n = int_arg(env, info[0], "n");
  int64_t m = is_nullish(env, info[1]) ? n : int_arg(env, info[1], "m");
  return tensor_value(env, at::eye(n, m, creation_options(info, 2)));
}
// arange(start, end, step, dtype?, device?): integer arguments give int64, as PyTorch.
FN(arange) {
  Napi::Env env = info.Env();
  auto start = scalar_arg(env, info[0], "start");
  auto end = scalar_arg(env, info[1], "end");
  auto step = scalar_arg(env, info[2], "step");
  return tensor_value(env, at::arange(start, end, step, creation_options(info, 3)));
}
// linspace(start, end, steps, dtype?, device?)
FN(linspace) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::linspace(scalar_arg(env, info[0], "start"), scalar_arg(env, info[1], "end"),
                                       int_arg(env, info[2], "steps"), creation_options(info, 3)));
}
// scalarTensor(value, dtype?, device?)
FN(scalar_tensor) {
  Napi::Env env = info.Env();
  return tensor_value(env, at::scalar_tensor(scalar_arg(env, info[0], "value"), creation_options(info, 1)));
}

// ---- properties ----

FN(shape) {
  Napi::Env env = info.Env();
  return int_array(env, tensor_arg(env, info[0], "self").sizes());
}
FN(strides) {
  Napi::Env env = info.Env();
  return int_array(env, tensor_arg(env, info[0], "self").strides());
}
FN(storage_offset) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, tensor_arg(env, info[0], "self").storage_offset());
}
FN(dtype) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, static_cast<int64_t>(tensor_arg(env, info[0], "self").scalar_type()));
}
FN(device) {
  Napi::Env env = info.Env();
  return Napi::String::New(env, device_string(tensor_arg(env, info[0], "self").device()));
}
FN(numel) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, tensor_arg(env, info[0], "self").numel());
}
FN(dim) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, tensor_arg(env, info[0], "self").dim());
}
FN(is_contiguous) {
  Napi::Env env = info.Env();
  return Napi::Boolean::New(env, tensor_arg(env, info[0], "self").is_contiguous());
}
FN(requires_grad) {
  Napi::Env env = info.Env();
  return Napi::Boolean::New(env, tensor_arg(env, info[0], "self").requires_grad());
}
FN(set_requires_grad) {
  Napi::Env env = info.Env();
  tensor_arg(env, info[0], "self").set_requires_grad(bool_arg(env, info[1], "requiresGrad"));
  return env.Undefined();
}
FN(is_leaf) {
  Napi::Env env = info.Env();
  return Napi::Boolean::New(env, tensor_arg(env, info[0], "self").is_leaf());
}
FN(grad) {
  Napi::Env env = info.Env();
  return Napi::Value(env, wrap_existing(env, tensor_arg(env, info[0], "self").grad()));
}
FN(set_grad) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  if (is_nullish(env, info[1])) {
    t.mutable_grad().reset();
  } else {
    t.mutable_grad() = tensor_arg(env, info[1], "grad");
  }
  return env.Undefined();
}
FN(grad_fn_name) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  const auto& fn = t.grad_fn();
  return fn ? Napi::String::New(env, fn->name()) : env.Null();
}
FN(element_size) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, static_cast<int64_t>(tensor_arg(env, info[0], "self").element_size()));
}
// An id of the storage under a tensor: equal for handles that share it (torch.save writes a
// shared storage once).
FN(storage_id) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  if (!t.has_storage()) return env.Null();
  return Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(t.storage().unsafeGetStorageImpl())));
}

// tensorFacts(self): what Python's Tensor properties read from the TensorImpl and no op returns.
FN(tensor_facts) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  auto facts = Napi::Object::New(env);
  std::ostringstream layout;
  layout << t.layout();  // "Strided", "Sparse", "SparseCsr", "Mkldnn", ...
  facts.Set("layout", layout.str());
  bool has_data = t.has_storage() && t.layout() == at::kStrided;
  facts.Set("dataPtr", has_data ? static_cast<double>(reinterpret_cast<uintptr_t>(t.data_ptr())) : 0.0);
  facts.Set("isQuantized", t.is_quantized());
  facts.Set("isNested", t.is_nested());
  facts.Set("isMkldnn", t.is_mkldnn());
  return facts;
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
  Napi::Env env = info.Env();
  at::Tensor t = js_readable(tensor_arg(env, info[0], "self").detach());
  return copy_to_array_buffer(env, t.data_ptr(), t.nbytes());
}

// The whole storage under a tensor as bytes, for checkpoints: zero-copy for CPU storages (the
// ArrayBuffer keeps the storage alive), a host copy for device storages.
void release_storage(node_api_basic_env, void*, void* hint) {
  delete static_cast<c10::Storage*>(hint);
}
FN(storage_bytes) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  if (!t.has_storage()) throw JsError("this tensor has no storage (sparse or opaque layout) and cannot be saved");
  const c10::Storage& storage = t.storage();
  size_t n = storage.nbytes();
  if (n == 0) return Napi::ArrayBuffer::New(env, 0);
  if (storage.device().is_cpu()) {
    auto* keep = new c10::Storage(storage);
    // Raw: a plain function finalizer that frees inside the GC, without node-addon-api's FinalizeData box.
    napi_value ab;
    napi_status st = napi_create_external_arraybuffer(env, const_cast<void*>(keep->data()), n, release_storage, keep, &ab);
    if (st == napi_ok) return Napi::Value(env, ab);
    delete keep;  // external buffers disallowed (e.g. a sandboxed runtime): copy below
  }
  // A flat view of the whole storage, moved to the host.
  at::Tensor flat = at::empty({0}, t.options().dtype(at::kByte)).set_(
      c10::Storage(storage), 0, {static_cast<int64_t>(n)}, {1});
  at::Tensor host = flat.to(at::kCPU);
  return copy_to_array_buffer(env, host.data_ptr(), n);
}
// storageView(self): an ArrayBuffer over a CPU tensor's storage that does NOT keep it alive (for
// torch.load, which holds the tensor while it reads into the view and detaches the view after).
// Node runs the finalizer of an owning external ArrayBuffer (storageBytes) only at the next turn
// of the event loop, so a loop of loads that never yields would never free a loaded storage.
FN(storage_view) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  if (!t.has_storage() || !t.storage().device().is_cpu()) throw JsError("storageView: expected a CPU tensor with storage");
  size_t n = t.storage().nbytes();
  if (n == 0) return Napi::ArrayBuffer::New(env, 0);
  napi_value ab;
  if (napi_create_external_arraybuffer(env, const_cast<void*>(t.storage().data()), n, nullptr, nullptr, &ab) != napi_ok) {
    throw Napi::Error::New(env);
  }
  return Napi::Value(env, ab);
}
// asStrided(self, shape, stride, offset): a view into self's storage (checkpoint loading).
FN(as_strided) {
  Napi::Env env = info.Env();
  return tensor_value(env, tensor_arg(env, info[0], "self").as_strided(int_list_arg(env, info[1], "size"),
                                                                        int_list_arg(env, info[2], "stride"),
                                                                        int_arg(env, info[3], "storageOffset")));
}

FN(item) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  if (t.numel() != 1) {
    throw JsError("item(): a Tensor with " + std::to_string(t.numel()) +
                  " elements cannot be converted to a number (it needs exactly one)");
  }
  return Napi::Value(env, scalar_to_js(env, t.item()));
}

// ---- copies and moves ----

FN(clone) {
  Napi::Env env = info.Env();
  return tensor_value(env, tensor_arg(env, info[0], "self").clone());
}
FN(contiguous) {
  Napi::Env env = info.Env();
  return tensor_value(env, tensor_arg(env, info[0], "self").contiguous());
}
FN(detach) {
  Napi::Env env = info.Env();
  return tensor_value(env, tensor_arg(env, info[0], "self").detach());
}
// to(self, dtype?, device?, copy): returns self's own handle data when nothing changes, as
// PyTorch returns self (the JS side then returns the same Tensor object).
FN(to) {
  Napi::Env env = info.Env();
  auto& t = tensor_arg(env, info[0], "self");
  auto dtype = is_nullish(env, info[1]) ? t.scalar_type() : dtype_arg(env, info[1]);
  auto device = is_nullish(env, info[2]) ? t.device() : device_arg(env, info[2]);
  bool copy = !is_nullish(env, info[3]) && bool_arg(env, info[3], "copy");
  if (device.is_cuda() && !at::globalContext().hasCUDA()) {
    throw JsError(
        "CUDA is not available: this libtorch was built without CUDA (or no GPU is visible). "
        "Point LIBTORCH at a CUDA build of libtorch (e.g. the torch folder of a pip CUDA install) "
        "and rebuild with `npm run build:native`.");
  }
  at::Tensor r = t.to(device, dtype, /*non_blocking=*/false, copy);
  if (r.unsafeGetTensorImpl() == t.unsafeGetTensorImpl()) return env.Null();
  return tensor_value(env, std::move(r));
}

}  // namespace

void register_tensor_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define_op<from_buffer>(ex, "fromBuffer");
  define_op<empty>(ex, "empty");
  define_op<zeros>(ex, "zeros");
  define_op<ones>(ex, "ones");
  define_op<rand>(ex, "rand");
  define_op<randn>(ex, "randn");
  define_op<full>(ex, "full");
  define_op<randint>(ex, "randint");
  define_op<eye>(ex, "eye");
  define_op<arange>(ex, "arange");
  define_op<linspace>(ex, "linspace");
  define_op<scalar_tensor>(ex, "scalarTensor");
  define_op<shape>(ex, "shape");
  define_op<strides>(ex, "strides");
  define_op<storage_offset>(ex, "storageOffset");
  define_op<dtype>(ex, "dtype");
  define_op<device>(ex, "device");
  define_op<numel>(ex, "numel");
  define_op<dim>(ex, "dim");
  define_op<is_contiguous>(ex, "isContiguous");
  define_op<requires_grad>(ex, "requiresGrad");
  define_op<set_requires_grad>(ex, "setRequiresGrad");
  define_op<is_leaf>(ex, "isLeaf");
  define_op<grad>(ex, "grad");
  define_op<set_grad>(ex, "setGrad");
  define_op<grad_fn_name>(ex, "gradFnName");
  define_op<element_size>(ex, "elementSize");
  define_op<storage_id>(ex, "storageId");
  define_op<tensor_facts>(ex, "tensorFacts");
  define_op<to_buffer>(ex, "toBuffer");
  define_op<storage_bytes>(ex, "storageBytes");
  define_op<storage_view>(ex, "storageView");
  define_op<as_strided>(ex, "asStrided");
  define_op<item>(ex, "item");
  define_op<clone>(ex, "clone");
  define_op<contiguous>(ex, "contiguous");
  define_op<detach>(ex, "detach");
  define_op<to>(ex, "to");
}

}  // namespace pst
