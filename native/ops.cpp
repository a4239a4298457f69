// The schema-driven op engine: every ATen operator reachable through one boxed path.
//
// The TypeScript layer (generated from native_functions.yaml) resolves an op group once,
// `opResolve("aten::add", ["Tensor", "Scalar"])` -> id, then calls `opCall(id, positional,
// kwargs)`. Here the overloads are tried in the given order, as Python's argument parser does:
// the first whose schema accepts the JS values (by type, count and keyword names) is converted
// to IValues, called through the dispatcher, and its returns converted back.
#include "common.h"

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
};

struct OpGroup {
  std::string name;
  std::vector<Overload> overloads;
};

std::vector<OpGroup> g_groups;

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

bool is_array(napi_env env, napi_value v) {
  bool r = false;
  napi_is_array(env, v, &r);
  return r;
}

bool is_integral_number(napi_env env, napi_value v) {
  auto t = type_of(env, v);
  if (t == napi_bigint) return true;
  if (t != napi_number) return false;
  double d;
  napi_get_value_double(env, v, &d);
  return std::isfinite(d) && std::floor(d) == d;
}

bool matches(napi_env env, const c10::TypePtr& type, const c10::TypePtr& real, napi_value v);

bool matches_list(napi_env env, const c10::TypePtr& elem, const c10::TypePtr& real_elem, napi_value v) {
  if (!is_array(env, v)) {
    // int[N] and SymInt[N] accept one integer (expanded), as in PyTorch: `kernel_size=3`.
    auto k = elem->kind();
    return (k == TypeKind::IntType || k == TypeKind::SymIntType) && is_integral_number(env, v);
  }
  uint32_t n;
  napi_get_array_length(env, v, &n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, v, i, &e);
    if (!matches(env, elem, real_elem, e)) return false;
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
    case TypeKind::GeneratorType: return t == napi_external;
    default: return false;
  }
}

// ---- conversion JS -> IValue (after matching) ----

IValue to_ivalue(napi_env env, const c10::Argument& arg, const c10::TypePtr& type, const c10::TypePtr& real,
                 napi_value v);

template <typename T, typename F>
c10::List<T> convert_list(napi_env env, napi_value v, F convert) {
  uint32_t n;
  napi_get_array_length(env, v, &n);
  c10::List<T> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, v, i, &e);
    out.push_back(convert(e));
  }
  return out;
}

IValue to_ivalue(napi_env env, const c10::Argument& arg, const c10::TypePtr& type, const c10::TypePtr& real,
                 napi_value v) {
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
      return to_ivalue(env, arg, type->castRaw<c10::OptionalType>()->getElementType(), real_inner, v);
    }
    case TypeKind::IntType:
    case TypeKind::SymIntType: return IValue(int_arg(env, v, name.c_str()));
    case TypeKind::FloatType: return IValue(number_arg(env, v, name.c_str()));
    case TypeKind::BoolType: return IValue(bool_arg(env, v, name.c_str()));
    case TypeKind::NumberType: return IValue(scalar_arg(env, v, name.c_str()));
    case TypeKind::StringType: return IValue(string_arg(env, v, name.c_str()));
    case TypeKind::DeviceObjType: return IValue(device_arg(env, v));
    case TypeKind::GeneratorType: {
      void* data = nullptr;
      check(napi_get_value_external(env, v, &data), "generator");
      return IValue(*static_cast<at::Generator*>(data));
    }
    case TypeKind::ListType: {
      auto elem = type->castRaw<c10::ListType>()->getElementType();
      if (!is_array(env, v)) {
        // One integer for int[N]: repeated N times (N from the schema; 1 when unsized).
        int64_t x = int_arg(env, v, name.c_str());
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

// Returns "" on success, else why it does not match (for the error message).
std::string try_bind(napi_env env, const Overload& ov, napi_value* pos, uint32_t npos, napi_value kwargs,
                     std::vector<napi_value>& bound) {
  const auto& args = ov.schema->arguments();
  bound.assign(args.size(), nullptr);
  if (npos > ov.num_positional) {
    return "takes " + std::to_string(ov.num_positional) + " positional arguments but " + std::to_string(npos) +
           " were given";
  }
  for (uint32_t i = 0; i < npos; i++) bound[i] = pos[i];
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
      if (j == args.size()) return "got an unexpected option '" + ks + "'";
      if (bound[j] != nullptr) return "got argument '" + ks + "' twice";
      bound[j] = val;
    }
  }
  for (size_t j = 0; j < args.size(); j++) {
    if (bound[j] == nullptr || type_of(env, bound[j]) == napi_undefined) {
      bound[j] = nullptr;
      if (!args[j].default_value().has_value() && args[j].type()->kind() != TypeKind::OptionalType) {
        return "missing the required argument '" + args[j].name() + "'";
      }
      continue;
    }
    if (!matches(env, args[j].type(), args[j].real_type(), bound[j])) {
      return "argument '" + args[j].name() + "' must be " + args[j].real_type()->str();
    }
  }
  return "";
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

// opResolve(qualifiedName, overloadNames[]) -> group id. Overloads missing from this
// libtorch are skipped (the generated surface may be newer than the library).
napi_value op_resolve(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  std::string name = string_arg(env, args[0], "name");
  OpGroup group{name, {}};
  uint32_t n;
  check(napi_get_array_length(env, args[1], &n), "overloads");
  auto& dispatcher = c10::Dispatcher::singleton();
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, args[1], i, &e);
    std::string overload = string_arg(env, e, "overload");
    auto handle = dispatcher.findSchema({name, overload});
    if (!handle) continue;
    Overload ov{*handle, &handle->schema(), {}, 0};
    const auto& schema_args = ov.schema->arguments();
    ov.num_positional = schema_args.size();
    for (size_t j = 0; j < schema_args.size(); j++) {
      ov.camel_names.push_back(to_camel(schema_args[j].name()));
      if (schema_args[j].kwarg_only() && ov.num_positional == schema_args.size()) ov.num_positional = j;
    }
    group.overloads.push_back(std::move(ov));
  }
  if (group.overloads.empty()) throw JsError("operator " + name + " does not exist in this libtorch");
  g_groups.push_back(std::move(group));
  return make_int(env, static_cast<int64_t>(g_groups.size() - 1));
  PST_CATCH(env)
}

// opCall(id, positional[], kwargs?) -> converted returns: a single value, an array for
// several returns, undefined for a returned alias of a written input (in-place and out=
// variants: the TS wrapper returns that input itself).
napi_value op_call(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  int64_t id = int_arg(env, args[0], "op");
  if (id < 0 || id >= static_cast<int64_t>(g_groups.size())) throw JsError("opCall: unknown op id");
  const OpGroup& group = g_groups[id];

  napi_value pos_storage[16];
  uint32_t npos = 0;
  if (!is_nullish(env, args[1])) {
    check(napi_get_array_length(env, args[1], &npos), "positional");
    if (npos > 16) throw JsError(group.name + "(): too many arguments");
    for (uint32_t i = 0; i < npos; i++) napi_get_element(env, args[1], i, &pos_storage[i]);
  }
  napi_value kwargs = is_nullish(env, args[2]) ? nullptr : args[2];

  std::vector<napi_value> bound;
  const Overload* chosen = nullptr;
  std::string reasons;
  for (const auto& ov : group.overloads) {
    std::string why = try_bind(env, ov, pos_storage, npos, kwargs, bound);
    if (why.empty()) {
      chosen = &ov;
      break;
    }
    reasons += "\n  " + ov.schema->name() + (ov.schema->overload_name().empty() ? "" : "." + ov.schema->overload_name()) +
               "(" + [&] {
                 std::string s;
                 for (const auto& a : ov.schema->arguments()) s += (s.empty() ? "" : ", ") + a.real_type()->str() + " " + a.name();
                 return s;
               }() + "): " + why;
  }
  if (chosen == nullptr) {
    std::string given;
    for (uint32_t i = 0; i < npos; i++) given += (i ? ", " : "") + js_type_name(env, pos_storage[i]);
    throw JsError(group.name + "(): no overload accepts (" + given + (kwargs ? ", {options}" : "") + "):" + reasons,
                  JsError::Type);
  }

  const auto& schema_args = chosen->schema->arguments();
  torch::jit::Stack stack;
  stack.reserve(schema_args.size());
  for (size_t j = 0; j < schema_args.size(); j++) {
    if (bound[j] == nullptr) {
      stack.push_back(schema_args[j].default_value().value_or(IValue()));
    } else {
      stack.push_back(to_ivalue(env, schema_args[j], schema_args[j].type(), schema_args[j].real_type(), bound[j]));
    }
  }
  chosen->handle.callBoxed(&stack);

  const auto& returns = chosen->schema->returns();
  auto convert = [&](size_t i) -> napi_value {
    const auto* alias = returns[i].alias_info();
    if (alias != nullptr && alias->isWrite()) return make_undefined(env);
    return from_ivalue(env, stack[i]);
  };
  if (returns.empty()) return make_undefined(env);
  if (returns.size() == 1) return convert(0);
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
