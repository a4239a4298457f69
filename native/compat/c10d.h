// Everything that differs between libtorch versions in c10d lives here, so distributed.cpp
// stays version-free. Built and tested against Debian's libtorch 1.13; the >= 2.0 branches
// follow the 2.x headers (ProcessGroup split into ProcessGroup + Backend).
#pragma once
#include <cstdlib>
#include <sstream>
#include <torch/version.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>
#if defined(PST_WITH_NCCL)
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace pst {
namespace c10d_compat {

using Work = ::c10d::Work;

inline c10::intrusive_ptr<::c10d::ProcessGroup> make_gloo(const c10::intrusive_ptr<::c10d::Store>& store, int rank,
                                                         int size, std::chrono::milliseconds timeout) {
  auto options = ::c10d::ProcessGroupGloo::Options::create();
  options->timeout = timeout;
  // GLOO_SOCKET_IFNAME picks the network interfaces (comma-separated), as in PyTorch;
  // otherwise Gloo uses the address the hostname resolves to.
  const char* ifnames = std::getenv("GLOO_SOCKET_IFNAME");
  if (ifnames != nullptr && *ifnames != '\0') {
    std::stringstream list(ifnames);
    std::string name;
    while (std::getline(list, name, ',')) {
      if (!name.empty()) options->devices.push_back(::c10d::ProcessGroupGloo::createDeviceForInterface(name));
    }
  } else {
    options->devices.push_back(::c10d::ProcessGroupGloo::createDefaultDevice());
  }
#if TORCH_VERSION_MAJOR >= 2
  auto backend = c10::make_intrusive<::c10d::ProcessGroupGloo>(store, rank, size, options);
  auto pg = c10::make_intrusive<::c10d::ProcessGroup>(store, rank, size, c10::make_intrusive<::c10d::ProcessGroup::Options>("gloo", timeout));
  pg->setBackend(c10::DeviceType::CPU, ::c10d::ProcessGroup::BackendType::GLOO, backend);
  pg->setDefaultBackend(::c10d::ProcessGroup::BackendType::GLOO);
  return pg;
#else
  return c10::make_intrusive<::c10d::ProcessGroupGloo>(store, rank, size, options);
#endif
}

#if defined(PST_WITH_NCCL)
inline c10::intrusive_ptr<::c10d::ProcessGroup> make_nccl(const c10::intrusive_ptr<::c10d::Store>& store, int rank,
                                                         int size, std::chrono::milliseconds timeout) {
  auto options = ::c10d::ProcessGroupNCCL::Options::create();
  options->timeout = timeout;
#if TORCH_VERSION_MAJOR >= 2
  auto backend = c10::make_intrusive<::c10d::ProcessGroupNCCL>(store, rank, size, options);
  auto pg = c10::make_intrusive<::c10d::ProcessGroup>(store, rank, size, c10::make_intrusive<::c10d::ProcessGroup::Options>("nccl", timeout));
  pg->setBackend(c10::DeviceType::CUDA, ::c10d::ProcessGroup::BackendType::NCCL, backend);
  pg->setDefaultBackend(::c10d::ProcessGroup::BackendType::NCCL);
  return pg;
#else
  return c10::make_intrusive<::c10d::ProcessGroupNCCL>(store, rank, size, options);
#endif
}
#endif

inline std::shared_ptr<::c10d::Reducer> make_reducer(std::vector<at::Tensor> params,
                                                     std::vector<std::vector<size_t>> bucket_indices,
                                                     std::vector<size_t> per_bucket_limits,
                                                     c10::intrusive_ptr<::c10d::ProcessGroup> pg,
                                                     int64_t bucket_bytes_cap, bool find_unused,
                                                     bool gradient_as_bucket_view,
                                                     std::unordered_map<size_t, std::string> names,
                                                     int64_t first_bucket_bytes_cap) {
  std::vector<bool> expect_sparse(params.size(), false);
  return std::make_shared<::c10d::Reducer>(std::move(params), std::move(bucket_indices), std::move(per_bucket_limits),
                                           std::move(pg), std::move(expect_sparse), bucket_bytes_cap, find_unused,
                                           gradient_as_bucket_view, std::move(names), first_bucket_bytes_cap);
}

}  // namespace c10d_compat
}  // namespace pst
