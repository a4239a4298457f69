// Stand-in for a libtorch header that Debian's libtorch-dev does not ship but c10d's
// reducer.hpp includes. The Reducer only needs these two declarations from it; this folder is
// searched after the system's, so a libtorch that ships the real header uses that one.
#pragma once
#include <ATen/core/Tensor.h>
#include <functional>
#include <memory>

namespace torch {
namespace distributed {
namespace autograd {

class DistAutogradContext {
 public:
  using GradCallback = std::function<bool(at::Tensor&)>;
};
using ContextPtr = std::shared_ptr<DistAutogradContext>;

}  // namespace autograd
}  // namespace distributed
}  // namespace torch
