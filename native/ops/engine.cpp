// The schema-driven op engine: every ATen operator reachable through one boxed path.
// Raw N-API on purpose: every generated op call passes here (docs/architecture.md, "The binding").
//
// The TypeScript layer (generated from native_functions.yaml) resolves an op group once,
// `opResolve("aten::add", ["Tensor", "Scalar"])` -> id, then calls `opCall(id, kwargs, self,
// into, ...positional)`. Here the overloads are tried in the given order, as Python's argument
// parser does: the first whose schema accepts the JS values (by type, count and keyword names) is
// converted to IValues, called through the dispatcher, and its returns converted back. The hot
// ops' common call forms skip this engine (ops/hot-ops.generated.cpp, scripts/codegen/hot-op-list.ts).
#include "binding/binding.h"
#include "ops/generator.h"
#include "ops/guards.h"

#include <unordered_map>

namespace pst {
namespace {

using c10::IValue;
using c10::TypeKind;

struct Overload {
  c10::OperatorHandle handle;
  const c10::FunctionSchema* schema;
  std::vector<std::string> camel_names;  // argument names as the TS options object spells them
  size_t num_positional;                 // arguments before the `*` marker
  int self_index;                        // the argument named `self` (methods bind `this` there), or -1
  std::vector<bool> dimname;             // str arguments that are Dimnames in native_functions.yaml
  ArgumentGuard guard = nullptr;  // checks a kernel lacks (ops/guards.h)
  // How far below autograd a call whose tensors carry no autograd state may enter (see op_call).
  enum class Plain { Autograd, AutogradAndInplaceOrView } plain = Plain::Autograd;
};

// An overload that writes nothing and returns only new tensors (no alias annotation), with a
// kernel of its own: called with plain tensors, it may skip ADInplaceOrView as well as autograd,
// as its autograd kernel does, so the views its kernel makes inside get no autograd metadata. A
// CompositeImplicitAutograd op (its kernel calls other ops, whose views may be returned) or one
// returning anything else keeps ADInplaceOrView.
Overload::Plain plain_entry(const c10::OperatorHandle& handle) {
  const auto& schema = handle.schema();
  auto writes = [](const c10::Argument& a) { return a.alias_info() != nullptr && a.alias_info()->isWrite(); };
  bool fresh = !schema.returns().empty() && !schema.is_vararg() && !schema.is_varret();
  for (const auto& r : schema.returns()) {
    fresh = fresh && r.alias_info() == nullptr && r.type()->kind() == c10::TypeKind::TensorType;
  }
  for (const auto& a : schema.arguments()) fresh = fresh && !writes(a);
  bool composite = handle.hasKernelForDispatchKey(c10::DispatchKey::CompositeImplicitAutograd);
  return fresh && !composite ? Overload::Plain::AutogradAndInplaceOrView : Overload::Plain::Autograd;
}

// No tensor in `v` (a tensor, a list of tensors or of optional tensors) carries autograd state.
bool plain_ivalue(const IValue& v) {
  if (v.isTensor()) return !has_autograd_state(v.toTensor());
  if (v.isTensorList()) {
    for (const at::Tensor& t : v.toTensorList()) {
      if (has_autograd_state(t)) return false;
    }
    return true;
  }
  if (v.isList()) {
    for (const IValue& e : v.toListRef()) {
      if (!plain_ivalue(e)) return false;
    }
  }
  return true;
}

struct OpGroup {
  std::string name;
  std::string display;  // how errors name the op: "torch.logSoftmax (aten::log_softmax)"
  std::vector<Overload> overloads;
};

// Per thread: each JS thread (main, workers) resolves its own op ids.
thread_local std::vector<OpGroup> g_groups;

std::string to_camel(const std::string& snake) {
  std::string out;
  bool upper = false;
  for (char c : snake) {
    if (c == '_' && !out.empty()) {
      upper = true;
    } else {
      out.push_back(upper ? static_cast<char>(std::toupper(c)) : c);
      upper = false;
    }
  }
  return out;
}

// ---- names for enum-like arguments ----

const std::unordered_map<std::string, at::ScalarType>& dtype_names() {
  static const std::unordered_map<std::string, at::ScalarType> m = {
      {"uint8", at::kByte},         {"int8", at::kChar},           {"int16", at::kShort},
      {"int32", at::kInt},          {"int64", at::kLong},          {"float16", at::kHalf},
      {"float32", at::kFloat},      {"float64", at::kDouble},      {"complex32", at::kComplexHalf},
      {"complex64", at::kComplexFloat}, {"complex128", at::kComplexDouble}, {"bool", at::kBool},
      {"bfloat16", at::kBFloat16},  {"half", at::kHalf},           {"float", at::kFloat},
      {"double", at::kDouble},      {"long", at::kLong},           {"int", at::kInt},
  };
  return m;
}

at::ScalarType parse_dtype(napi_env env, napi_value v, const std::string& arg) {
  if (type_of(env, v) == napi_number) return dtype_arg(env, v, arg.c_str());
  std::string s = string_arg(env, v, arg.c_str());
  auto it = dtype_names().find(s);
  if (it == dtype_names().end()) throw JsError("argument '" + arg + "': unknown dtype '" + s + "'", JsError::Type);
  return it->second;
}

at::Layout parse_layout(const std::string& s, const std::string& arg) {
  if (s == "strided") return at::kStrided;
  if (s == "sparse_coo" || s == "sparseCoo") return at::kSparse;
  if (s == "sparse_csr" || s == "sparseCsr") return at::kSparseCsr;
  throw JsError("argument '" + arg + "': unknown layout '" + s + "' (strided, sparse_coo, sparse_csr)", JsError::Type);
}

at::MemoryFormat parse_memory_format(const std::string& s, const std::string& arg) {
  if (s == "contiguous_format" || s == "contiguousFormat" || s == "contiguous") return at::MemoryFormat::Contiguous;
  if (s == "channels_last" || s == "channelsLast") return at::MemoryFormat::ChannelsLast;
  if (s == "channels_last_3d" || s == "channelsLast3d") return at::MemoryFormat::ChannelsLast3d;
  if (s == "preserve_format" || s == "preserveFormat") return at::MemoryFormat::Preserve;
  throw JsError("argument '" + arg + "': unknown memory format '" + s + "'", JsError::Type);
}

// ---- matching: can this JS value be passed as this schema type? ----

bool is_integral_number(napi_env env, napi_value v) {
  double d;
  if (read_number(env, v, &d)) return std::isfinite(d) && std::floor(d) == d;
  return v != nullptr && type_of(env, v) == napi_bigint;
}

bool matches(napi_env env, const c10::TypePtr& type, const c10::TypePtr& real, napi_value v);


bool matches_list(napi_env env, const c10::TypePtr& elem, const c10::TypePtr& real_elem, napi_value v) {
  if (!is_array(env, v)) {
    // int[N] and SymInt[N] accept one integer (expanded), as in PyTorch: `kernel_size=3`.
    auto k = elem->kind();
    return (k == TypeKind::IntType || k == TypeKind::SymIntType) && is_integral_number(env, v);
  }
  uint32_t n = array_length(env, v);
  for (uint32_t i = 0; i < n; i++) {
    if (!matches(env, elem, real_elem, array_element(env, v, i))) return false;
  }
  return true;
}

bool matches(napi_env env, const c10::TypePtr& type, const c10::TypePtr& real, napi_value v) {
  napi_valuetype t = v == nullptr ? napi_undefined : type_of(env, v);
  switch (real->kind()) {
    case TypeKind::ScalarTypeType: return t == napi_string || t == napi_number;
    case TypeKind::LayoutType:
    case TypeKind::MemoryFormatType: return t == napi_string;
    default: break;
  }
  switch (type->kind()) {
    case TypeKind::TensorType: return t == napi_external;
    case TypeKind::OptionalType: {
      if (t == napi_undefined || t == napi_null) return true;
      auto real_inner = real->kind() == TypeKind::OptionalType ? real->castRaw<c10::OptionalType>()->getElementType()
                                                               : real;
      return matches(env, type->castRaw<c10::OptionalType>()->getElementType(), real_inner, v);
    }
    case TypeKind::IntType:
    case TypeKind::SymIntType: return is_integral_number(env, v);
    case TypeKind::FloatType: return t == napi_number;
    case TypeKind::BoolType: return t == napi_boolean;
    case TypeKind::NumberType: return t == napi_number || t == napi_boolean || t == napi_bigint;
    case TypeKind::StringType: return t == napi_string;
    case TypeKind::DeviceObjType: return t == napi_string;
    case TypeKind::ListType: {
      auto elem = type->castRaw<c10::ListType>()->getElementType();
      auto real_elem = real->kind() == TypeKind::ListType ? real->castRaw<c10::ListType>()->getElementType() : elem;
      return matches_list(env, elem, real_elem, v);
    }
    case TypeKind::GeneratorType: return t == napi_object && unwrap_generator(env, v) != nullptr;
    default: return false;
  }
}

// ---- conversion JS -> IValue (after matching) ----

IValue to_ivalue(napi_env env, const c10::Argument& arg, const c10::TypePtr& type, const c10::TypePtr& real,
                 napi_value v, bool dimname);

template <typename T, typename F>
c10::List<T> convert_list(napi_env env, napi_value v, F convert) {
  uint32_t n = array_length(env, v);
  c10::List<T> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) out.push_back(convert(array_element(env, v, i)));
  return out;
}

// Dimnames travel as qualified symbols ("dimname::N"), as IValue::toDimname reads them.
std::string dimname_arg(napi_env env, napi_value v, const std::string& name) {
  std::string s = string_arg(env, v, name.c_str());
  return s.find("::") == std::string::npos ? "dimname::" + s : s;
}

IValue to_ivalue(napi_env env, const c10::Argument& arg, const c10::TypePtr& type, const c10::TypePtr& real,
                 napi_value v, bool dimname) {
  const std::string& name = arg.name();
  switch (real->kind()) {
    case TypeKind::ScalarTypeType: return IValue(static_cast<int64_t>(parse_dtype(env, v, name)));
    case TypeKind::LayoutType: return IValue(static_cast<int64_t>(parse_layout(string_arg(env, v, name.c_str()), name)));
    case TypeKind::MemoryFormatType:
      return IValue(static_cast<int64_t>(parse_memory_format(string_arg(env, v, name.c_str()), name)));
    default: break;
  }
  switch (type->kind()) {
    case TypeKind::TensorType: return IValue(tensor_arg(env, v, name.c_str()));
    case TypeKind::OptionalType: {
      if (is_nullish(env, v)) return IValue();
      auto real_inner = real->kind() == TypeKind::OptionalType ? real->castRaw<c10::OptionalType>()->getElementType()
                                                               : real;
      return to_ivalue(env, arg, type->castRaw<c10::OptionalType>()->getElementType(), real_inner, v, dimname);
    }
    case TypeKind::IntType:
    case TypeKind::SymIntType: return IValue(int_arg(env, v, name.c_str()));
    case TypeKind::FloatType: return IValue(number_arg(env, v, name.c_str()));
    case TypeKind::BoolType: return IValue(bool_arg(env, v, name.c_str()));
    case TypeKind::NumberType: return IValue(scalar_arg(env, v, name.c_str()));
    case TypeKind::StringType: return IValue(dimname ? dimname_arg(env, v, name) : string_arg(env, v, name.c_str()));
    case TypeKind::DeviceObjType: return IValue(device_arg(env, v));
    case TypeKind::GeneratorType: {
      at::Generator* gen = unwrap_generator(env, v);
      if (gen == nullptr) throw JsError("argument '" + name + "' must be a torch.Generator", JsError::Type);
      return IValue(*gen);
    }
    case TypeKind::ListType: {
      auto elem = type->castRaw<c10::ListType>()->getElementType();
      // One integer (or a one-element list) for int[N]: repeated N times (N from the schema; 1 when unsized).
      if (!is_array(env, v) || (arg.N().value_or(1) > 1 && array_length(env, v) == 1)) {
        int64_t x = int_arg(env, is_array(env, v) ? array_element(env, v, 0) : v, name.c_str());
        size_t n = arg.N().value_or(1);
        return IValue(std::vector<int64_t>(n, x));
      }
      switch (elem->kind()) {
        case TypeKind::IntType:
        case TypeKind::SymIntType:
          return IValue(convert_list<int64_t>(env, v, [&](napi_value e) { return int_arg(env, e, name.c_str()); }));
        case TypeKind::FloatType:
          return IValue(convert_list<double>(env, v, [&](napi_value e) { return number_arg(env, e, name.c_str()); }));
        case TypeKind::BoolType:
          return IValue(convert_list<bool>(env, v, [&](napi_value e) { return bool_arg(env, e, name.c_str()); }));
        case TypeKind::TensorType:
          return IValue(
              convert_list<at::Tensor>(env, v, [&](napi_value e) { return tensor_arg(env, e, name.c_str()); }));
        case TypeKind::NumberType:
          return IValue(
              convert_list<c10::Scalar>(env, v, [&](napi_value e) { return scalar_arg(env, e, name.c_str()); }));
        case TypeKind::StringType:
          return IValue(convert_list<std::string>(env, v, [&](napi_value e) {
            return dimname ? dimname_arg(env, e, name) : string_arg(env, e, name.c_str());
          }));
        case TypeKind::OptionalType:
          return IValue(convert_list<c10::optional<at::Tensor>>(env, v, [&](napi_value e) {
            return is_nullish(env, e) ? c10::optional<at::Tensor>() : c10::optional<at::Tensor>(tensor_arg(env, e, name.c_str()));
          }));
        default: break;
      }
      break;
    }
    default: break;
  }
  throw JsError("argument '" + name + "' has the unsupported type " + type->str(), JsError::Type);
}

// ---- conversion IValue -> JS ----

napi_value from_ivalue(napi_env env, const IValue& v) {
  if (v.isTensor()) return wrap_optional(env, v.toTensor());
  if (v.isNone()) return make_null(env);
  if (v.isBool()) return make_bool(env, v.toBool());
  if (v.isInt()) return make_number(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return make_number(env, v.toDouble());
  if (v.isString()) return make_string(env, v.toStringRef());
  if (v.isScalar()) return scalar_to_js(env, v.toScalar());
  if (v.isDevice()) return make_string(env, device_string(v.toDevice()));
  if (v.isList() || v.isTuple()) {
    std::vector<IValue> items;
    if (v.isTuple()) {
      const auto& e = v.toTupleRef().elements();
      items.assign(e.begin(), e.end());
    } else {
      auto l = v.toListRef();
      items.assign(l.begin(), l.end());
    }
    napi_value arr;
    check(napi_create_array_with_length(env, items.size(), &arr), "array");
    for (size_t i = 0; i < items.size(); i++) check(napi_set_element(env, arr, i, from_ivalue(env, items[i])), "set");
    return arr;
  }
  throw JsError(std::string("cannot convert a returned ") + v.tagKind() + " to a JS value");
}

// ---- matching an overload against (positional, kwargs) ----

// The argument's type as native_functions.yaml writes it: `int[2]` (c10 prints `int[]`), Dimname.
std::string schema_type_name(const Overload& ov, size_t j) {
  const auto& arg = ov.schema->arguments()[j];
  if (ov.dimname[j]) return arg.real_type()->kind() == TypeKind::ListType ? "Dimname[]" : "Dimname";
  std::string s = arg.real_type()->str();
  if (arg.N().has_value()) {
    auto pos = s.find("[]");
    if (pos != std::string::npos) s.replace(pos, 2, "[" + std::to_string(*arg.N()) + "]");
  }
  return s;
}

// A fixed-size int list (`int[2] kernel_size`, `SymInt[4] padding`) holds N integers, or one
// (expanded, as libtorch's kernels expand it), or none where the schema's default is `[]`
// ("same as another argument"). Kernels index the list up to N without checking: another length
// read out of bounds (SIGSEGV). `int[1]` (dims) takes any length.
bool fixed_length_fits(napi_env env, const c10::Argument& arg, napi_value v) {
  if (!arg.N().has_value() || *arg.N() <= 1 || !is_array(env, v)) return true;
  uint32_t n = array_length(env, v);
  if (n == static_cast<uint32_t>(*arg.N()) || n == 1) return true;
  const auto& d = arg.default_value();
  return n == 0 && d.has_value() && d->isList() && d->toListRef().empty();
}

// Returns "" on success, else why it does not match (for the error message). `self` (methods)
// binds to the argument named self; positional values fill the other slots in order.
std::string try_bind(napi_env env, const Overload& ov, napi_value self, napi_value* pos, uint32_t npos,
                     napi_value kwargs, c10::SmallVector<napi_value, 24>& bound, bool explain) {
// Without `explain` a mismatch returns "-" at once: building the messages costs more than the
// op when an earlier overload of a group does not match.
#define PST_NO_MATCH(message) return explain ? std::string(message) : std::string("-")
  const auto& args = ov.schema->arguments();
  bound.assign(args.size(), nullptr);
  size_t slots = ov.num_positional;
  if (self != nullptr) {
    if (ov.self_index < 0 || static_cast<size_t>(ov.self_index) >= ov.num_positional) PST_NO_MATCH("is not a method");
    bound[ov.self_index] = self;
    slots--;
  }
  napi_value packed = nullptr;
  if (npos > slots) {
    // Python's varargs sizes: `x.view(2, 3)`, `x.permute(1, 0)` for an overload whose one
    // positional argument (besides self) is an int list.
    int list_slot = -1;
    for (size_t j = 0; j < ov.num_positional; j++) {
      if (static_cast<int>(j) == ov.self_index && self != nullptr) continue;
      if (list_slot != -1) {
        list_slot = -2;
        break;
      }
      list_slot = static_cast<int>(j);
    }
    bool ints = list_slot >= 0 && args[list_slot].type()->kind() == TypeKind::ListType;
    if (ints) {
      auto k = args[list_slot].type()->castRaw<c10::ListType>()->getElementType()->kind();
      ints = k == TypeKind::IntType || k == TypeKind::SymIntType;
    }
    for (uint32_t i = 0; ints && i < npos; i++) ints = is_integral_number(env, pos[i]);
    if (!ints) {
      PST_NO_MATCH("takes " + std::to_string(slots) + " positional arguments but " + std::to_string(npos) + " were given");
    }
    check(napi_create_array_with_length(env, npos, &packed), "array");
    for (uint32_t i = 0; i < npos; i++) check(napi_set_element(env, packed, i, pos[i]), "set");
    bound[list_slot] = packed;
    npos = 0;
  }
  for (uint32_t i = 0, j = 0; i < npos; i++, j++) {
    if (self != nullptr && static_cast<int>(j) == ov.self_index) j++;
    bound[j] = pos[i];
  }
  if (kwargs != nullptr) {
    napi_value keys;
    check(napi_get_property_names(env, kwargs, &keys), "keys");
    uint32_t nk;
    napi_get_array_length(env, keys, &nk);
    for (uint32_t k = 0; k < nk; k++) {
      napi_value key;
      napi_get_element(env, keys, k, &key);
      std::string ks = string_arg(env, key, "key");
      napi_value val;
      napi_get_property(env, kwargs, key, &val);
      if (type_of(env, val) == napi_undefined) continue;  // `{dim: undefined}` means "not given"
      size_t j = 0;
      for (; j < args.size(); j++) {
        if (ov.camel_names[j] == ks || args[j].name() == ks) break;
      }
      if (j == args.size() && ks == "out" && is_array(env, val)) {
        // `out: [values, indices]` fills an overload's several out= tensors in order, as
        // Python's `out=(values, indices)`.
        std::vector<size_t> outs;
        for (size_t k = 0; k < args.size(); k++) {
          const auto* a = args[k].alias_info();
          if (args[k].kwarg_only() && a != nullptr && a->isWrite()) outs.push_back(k);
        }
        uint32_t n;
        napi_get_array_length(env, val, &n);
        if (outs.size() < 2 || n != outs.size()) PST_NO_MATCH("got an unexpected option 'out'");
        for (uint32_t k = 0; k < n; k++) {
          if (bound[outs[k]] != nullptr) PST_NO_MATCH("got argument '" + args[outs[k]].name() + "' twice");
          napi_get_element(env, val, k, &bound[outs[k]]);
        }
        continue;
      }
      if (j == args.size()) PST_NO_MATCH("got an unexpected option '" + ks + "'");
      if (bound[j] != nullptr) PST_NO_MATCH("got argument '" + ks + "' twice");
      bound[j] = val;
    }
  }
  for (size_t j = 0; j < args.size(); j++) {
    if (bound[j] == nullptr || type_of(env, bound[j]) == napi_undefined) {
      bound[j] = nullptr;
      if (!args[j].default_value().has_value() && args[j].type()->kind() != TypeKind::OptionalType) {
        PST_NO_MATCH("missing the required argument '" + args[j].name() + "'");
      }
      continue;
    }
    if (!matches(env, args[j].type(), args[j].real_type(), bound[j])) {
      PST_NO_MATCH("argument '" + args[j].name() + "' must be " + schema_type_name(ov, j));
    }
    if (!fixed_length_fits(env, args[j], bound[j])) {
      PST_NO_MATCH("argument '" + args[j].name() + "' must be " + schema_type_name(ov, j) + " (" +
                   std::to_string(*args[j].N()) + " integers, or one), got a list of " +
                   std::to_string(array_length(env, bound[j])));
    }
  }
  return "";
#undef PST_NO_MATCH
}

std::string js_type_name(napi_env env, napi_value v) {
  switch (type_of(env, v)) {
    case napi_external: return "Tensor";
    case napi_number: return "number";
    case napi_boolean: return "boolean";
    case napi_string: return "string";
    case napi_bigint: return "bigint";
    case napi_null: return "null";
    case napi_undefined: return "undefined";
    case napi_object: return is_array(env, v) ? "array" : "object";
    default: return "value";
  }
}

// opResolve(qualifiedName, overloadNames[], displayName?) -> group id. Overloads missing from
// this libtorch are skipped (the generated surface may be newer than the library). An overload
// name may carry `#i;j`: the indices of its Dimname arguments (the schema types them as str).
napi_value op_resolve(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  std::string name = string_arg(env, args[0], "name");
  OpGroup group{name, is_nullish(env, args[2]) ? name : string_arg(env, args[2], "displayName"), {}};
  uint32_t n;
  check(napi_get_array_length(env, args[1], &n), "overloads");
  auto& dispatcher = c10::Dispatcher::singleton();
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, args[1], i, &e);
    std::string overload = string_arg(env, e, "overload");
    std::vector<size_t> dimnames;
    auto hash = overload.find('#');
    if (hash != std::string::npos) {
      std::string list = overload.substr(hash + 1);
      overload.erase(hash);
      size_t p = 0;
      while (p < list.size()) {
        size_t q = list.find(';', p);
        if (q == std::string::npos) q = list.size();
        dimnames.push_back(std::stoul(list.substr(p, q - p)));
        p = q + 1;
      }
    }
    auto handle = dispatcher.findSchema({name, overload});
    if (!handle) continue;
    Overload ov{*handle, &handle->schema(), {}, 0, -1, {}};
    const auto& schema_args = ov.schema->arguments();
    ov.num_positional = schema_args.size();
    ov.dimname.assign(schema_args.size(), false);
    for (size_t d : dimnames) {
      if (d < schema_args.size()) ov.dimname[d] = true;
    }
    for (size_t j = 0; j < schema_args.size(); j++) {
      ov.camel_names.push_back(to_camel(schema_args[j].name()));
      if (schema_args[j].name() == "self") ov.self_index = static_cast<int>(j);
      if (schema_args[j].kwarg_only() && ov.num_positional == schema_args.size()) ov.num_positional = j;
    }
    ov.guard = guard_for(ov.schema->operator_name());
    ov.plain = plain_entry(*handle);
    group.overloads.push_back(std::move(ov));
  }
  if (group.overloads.empty()) throw JsError("operator " + name + " does not exist in this libtorch");
  g_groups.push_back(std::move(group));
  return make_int(env, static_cast<int64_t>(g_groups.size() - 1));
  PST_CATCH(env)
}

std::string describe_overload(const Overload& ov) {
  std::string s = ov.schema->name() + (ov.schema->overload_name().empty() ? "" : "." + ov.schema->overload_name()) + "(";
  const auto& args = ov.schema->arguments();
  for (size_t j = 0; j < args.size(); j++) {
    if (j) s += ", ";
    if (args[j].kwarg_only() && (j == 0 || !args[j - 1].kwarg_only())) s += "*, ";
    s += schema_type_name(ov, j) + " " + args[j].name();
  }
  return s + ")";
}

// opCall(id, kwargs?, self?, into?, ...positional) -> converted returns: a single value, or an
// array for several returns. A returned alias of a written input (in-place and out= variants)
// comes back as that input's own handle, so the TS wrapper can return the very Tensor it was
// given. With `self` (Tensor methods), only overloads with a `self` argument match and it binds
// there. Positional values come as call arguments, not in an array: reading an array element
// through V8 is a full property lookup (~25 ns each).
napi_value op_call(napi_env env, napi_callback_info info) {
  PST_TRY
  check_interrupt(env);
  constexpr size_t kFixed = 4, kMaxPositional = 16;
  size_t argc = kFixed + kMaxPositional + 1;
  napi_value argv[kFixed + kMaxPositional + 1];
  check(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr), "get_cb_info");
  for (size_t i = argc; i < kFixed; i++) argv[i] = nullptr;
  int64_t id = int_arg(env, argv[0], "op");
  if (id < 0 || id >= static_cast<int64_t>(g_groups.size())) throw JsError("opCall: unknown op id");
  const OpGroup& group = g_groups[id];
  if (argc > kFixed + kMaxPositional) throw JsError(group.display + ": too many arguments", JsError::Type);
  napi_value* pos_storage = argv + kFixed;
  uint32_t npos = argc > kFixed ? static_cast<uint32_t>(argc - kFixed) : 0;
  napi_value kwargs = is_nullish(env, argv[1]) ? nullptr : argv[1];
  TensorBox* self_box = box_of(env, argv[2]);
  napi_value self = self_box != nullptr || !is_nullish(env, argv[2]) ? argv[2] : nullptr;
  napi_value into = argv[3];

  c10::SmallVector<napi_value, 24> bound;  // no heap allocation per call
  const Overload* chosen = nullptr;
  std::string reasons;
  for (const auto& ov : group.overloads) {
    if (try_bind(env, ov, self, pos_storage, npos, kwargs, bound, false).empty()) {
      chosen = &ov;
      break;
    }
  }
  if (chosen == nullptr) {
    for (const auto& ov : group.overloads) {
      reasons += "\n  " + describe_overload(ov) + ": " + try_bind(env, ov, self, pos_storage, npos, kwargs, bound, true);
    }
    std::string given = self ? "self" : "";
    for (uint32_t i = 0; i < npos; i++) given += (given.empty() ? "" : ", ") + js_type_name(env, pos_storage[i]);
    if (kwargs) given += (given.empty() ? "" : ", ") + std::string("{options}");
    throw JsError(group.display + ": no overload accepts (" + given + "):" + reasons, JsError::Type);
  }

  const auto& schema_args = chosen->schema->arguments();
  // One stack per nesting level, reused: a fresh vector per call costs a malloc/free pair.
  static thread_local std::vector<std::unique_ptr<torch::jit::Stack>> stacks;  // per thread: workers may load the addon
  static thread_local size_t depth = 0;
  if (stacks.size() <= depth) stacks.push_back(std::make_unique<torch::jit::Stack>());
  torch::jit::Stack& stack = *stacks[depth];
  stack.clear();
  struct StackGuard {  // nothing stays referenced once the call returns or throws
    size_t& d;
    torch::jit::Stack& s;
    StackGuard(size_t& x, torch::jit::Stack& st) : d(x), s(st) { d++; }
    ~StackGuard() {
      s.clear();
      d--;
    }
  } stack_guard(depth, stack);
  for (size_t j = 0; j < schema_args.size(); j++) {
    if (bound[j] == nullptr) {
      stack.push_back(schema_args[j].default_value().value_or(IValue()));
    } else {
      try {
        stack.push_back(to_ivalue(env, schema_args[j], schema_args[j].type(), schema_args[j].real_type(), bound[j],
                                  chosen->dimname[j]));
      } catch (const JsError& e) {
        throw JsError(group.display + ": " + e.what(), e.kind);
      }
    }
  }
  if (chosen->guard != nullptr) chosen->guard(stack, group.display);
  {
    // No operand with autograd state: the autograd kernels would only find that out and
    // redispatch (ADInplaceOrView too, for the overloads plain_entry allows).
    bool plain = true;
    for (const IValue& v : stack) plain = plain && plain_ivalue(v);
    c10::optional<at::AutoDispatchBelowAutograd> below_autograd;
    c10::optional<at::AutoDispatchBelowADInplaceOrView> below_inplace_or_view;
    if (plain && chosen->plain == Overload::Plain::AutogradAndInplaceOrView) below_inplace_or_view.emplace();
    else if (plain) below_autograd.emplace();
    chosen->handle.callBoxed(&stack);
  }

  const auto& returns = chosen->schema->returns();
  auto convert = [&](size_t i) -> napi_value {
    const auto* alias = returns[i].alias_info();
    if (alias != nullptr && alias->isWrite()) {
      for (size_t j = 0; j < schema_args.size(); j++) {
        const auto* a = schema_args[j].alias_info();
        if (a != nullptr && a->isWrite() && a->beforeSets() == alias->beforeSets() && bound[j] != nullptr) {
          return bound[j];
        }
      }
    }
    return from_ivalue(env, stack[i]);
  };
  if (returns.empty()) return make_undefined(env);
  if (returns.size() == 1) {
    // A single new tensor or view goes into the recycled handle the caller offered (`into`), if
    // any; a written input (in-place, out=) comes back as its own handle (convert).
    const auto* alias = returns[0].alias_info();
    if (into != nullptr && (alias == nullptr || !alias->isWrite()) && stack[0].isTensor() &&
        stack[0].toTensor().defined()) {
      return wrap_into(env, into, std::move(stack[0]).toTensor());
    }
    return convert(0);
  }
  napi_value arr;
  check(napi_create_array_with_length(env, returns.size(), &arr), "array");
  for (size_t i = 0; i < returns.size(); i++) check(napi_set_element(env, arr, i, convert(i)), "set");
  return arr;
  PST_CATCH(env)
}

// opList() -> [[name, overload, schema string], ...] for every operator the dispatcher has.
napi_value op_list(napi_env env, napi_callback_info info) {
  PST_TRY
  auto names = c10::Dispatcher::singleton().getAllOpNames();
  napi_value arr;
  check(napi_create_array_with_length(env, names.size(), &arr), "array");
  uint32_t k = 0;
  for (const auto& n : names) {
    auto handle = c10::Dispatcher::singleton().findSchema(n);
    napi_value row;
    napi_create_array_with_length(env, 3, &row);
    napi_set_element(env, row, 0, make_string(env, n.name));
    napi_set_element(env, row, 1, make_string(env, n.overload_name));
    napi_set_element(env, row, 2, handle ? make_string(env, c10::toString(handle->schema())) : make_null(env));
    napi_set_element(env, arr, k++, row);
  }
  return arr;
  PST_CATCH(env)
}

}  // namespace

void register_op_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"opResolve", op_resolve},
                     {"opCall", op_call},
                     {"opList", op_list},
                 });
}

}  // namespace pst
