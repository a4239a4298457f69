// Argument checks libtorch's kernels lack, where a bad value crashes the process instead of
// raising (issue 23's fuzzing). Looked up once per overload when an op is resolved.
#pragma once
#include "binding/binding.h"

namespace pst {

// Throws a JsError for a stack (the op's arguments, in schema order) the kernel would crash on.
using ArgumentGuard = void (*)(const torch::jit::Stack& stack, const std::string& op);

// The guard of an operator, nullptr for most.
ArgumentGuard guard_for(const c10::OperatorName& name);

}  // namespace pst
