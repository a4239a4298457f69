// torch.Generator: a JS object wrapping an at::Generator (napi_wrap), so ops take it as an
// object and it can never be mistaken for a tensor handle (an external) or the reverse.
#pragma once
#include "binding/binding.h"

namespace pst {

// The generator a JS Generator object wraps, nullptr for any other value.
at::Generator* unwrap_generator(napi_env env, napi_value v);

// A seed: a number or a bigint of up to 64 bits (negative ones wrap, as Python's manual_seed).
uint64_t seed_arg(Napi::Value v);

void register_generator_exports(napi_env env, napi_value exports);

}  // namespace pst
