// Post-accumulate-grad hooks (Tensor.register_post_accumulate_grad_hook) exist from libtorch 2.1:
// one PostAccumulateGradHook per leaf, run by AccumulateGrad after it wrote `.grad`.
#pragma once
#include <torch/version.h>

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
#define PST_HAS_POST_ACCUMULATE_GRAD_HOOKS 1
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>
#else
#define PST_HAS_POST_ACCUMULATE_GRAD_HOOKS 0
#endif
