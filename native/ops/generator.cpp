// torch.Generator objects and the default generator's seed and state (ops/generator.h).
#include "ops/generator.h"

namespace pst {
namespace {

struct GeneratorBox {
  at::Generator gen;
};

void finalize_generator(node_api_basic_env, void* data, void*) { delete static_cast<GeneratorBox*>(data); }

at::Generator& generator_arg(napi_env env, napi_value v) {
  at::Generator* gen = unwrap_generator(env, v);
  if (gen == nullptr) throw JsError("expected a torch.Generator", JsError::Type);
  return *gen;
}

uint64_t seed_arg(napi_env env, napi_value v) {
  if (type_of(env, v) == napi_bigint) {
    uint64_t seed;
    bool lossless;
    check(napi_get_value_bigint_uint64(env, v, &seed, &lossless), "bigint");
    if (!lossless) throw JsError("seed must fit in 64 bits", JsError::Range);
    return seed;
  }
  return static_cast<uint64_t>(int_arg(env, v, "seed"));
}

napi_value make_u64(napi_env env, uint64_t v) {
  napi_value r;
  check(napi_create_bigint_uint64(env, v, &r), "bigint");
  return r;
}

// generatorAttach(jsObject, device): gives a fresh libtorch generator to a JS Generator.
napi_value generator_attach(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  std::string device = is_nullish(env, args[1]) ? "cpu" : string_arg(env, args[1], "device");
  if (device != "cpu") throw JsError("torch.Generator: only 'cpu' generators exist in this build", JsError::Type);
  auto* box = new GeneratorBox{at::detail::createCPUGenerator()};
  if (napi_wrap(env, args[0], box, finalize_generator, nullptr, nullptr) != napi_ok) {
    delete box;
    throw JsError("torch.Generator: cannot attach a generator to this object");
  }
  return make_undefined(env);
  PST_CATCH(env)
}

// The default CPU generator when `gen` is undefined.
at::Generator generator_or_default(napi_env env, napi_value v) {
  return is_nullish(env, v) ? at::detail::getDefaultCPUGenerator() : generator_arg(env, v);
}

napi_value generator_manual_seed(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  auto gen = generator_or_default(env, args[0]);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(seed_arg(env, args[1]));
  return make_undefined(env);
  PST_CATCH(env)
}
napi_value generator_initial_seed(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  return make_u64(env, generator_or_default(env, args[0]).current_seed());
  PST_CATCH(env)
}
// A fresh nondeterministic seed, set and returned (torch.Generator.seed()).
napi_value generator_seed(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  auto gen = generator_or_default(env, args[0]);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return make_u64(env, gen.seed());
  PST_CATCH(env)
}
napi_value generator_get_state(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  auto gen = generator_or_default(env, args[0]);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return wrap_tensor(env, gen.get_state());
  PST_CATCH(env)
}
napi_value generator_set_state(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  auto gen = generator_or_default(env, args[0]);
  const at::Tensor& state = tensor_arg(env, args[1], "state");
  if (state.scalar_type() != at::kByte || state.dim() != 1) {
    throw JsError("setState: the state must be a 1-d uint8 tensor (from getState())", JsError::Type);
  }
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
  return make_undefined(env);
  PST_CATCH(env)
}

}  // namespace

at::Generator* unwrap_generator(napi_env env, napi_value v) {
  void* data = nullptr;
  if (napi_unwrap(env, v, &data) != napi_ok || data == nullptr) return nullptr;
  return &static_cast<GeneratorBox*>(data)->gen;
}

void register_generator_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"generatorAttach", generator_attach},
                     {"generatorManualSeed", generator_manual_seed},
                     {"generatorInitialSeed", generator_initial_seed},
                     {"generatorSeed", generator_seed},
                     {"generatorGetState", generator_get_state},
                     {"generatorSetState", generator_set_state},
                 });
}

}  // namespace pst
