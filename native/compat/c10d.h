// Everything that differs between libtorch versions in c10d lives here, so distributed.cpp
// stays version-free. Built and tested against Debian's libtorch 1.13 and 2.6: 2.x splits a
// ProcessGroup into the group and its per-device Backends, and 2.4+ TCPStore servers default to
// a libuv backend that a libtorch may be built without.
#pragma once
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
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

// Whether TCPStoreOptions has 2.4+'s `useLibUV` switch.
template <class Options, class = void>
struct HasUseLibUV : std::false_type {};
template <class Options>
struct HasUseLibUV<Options, std::void_t<decltype(std::declval<Options&>().useLibUV)>> : std::true_type {};

template <class Options>
bool uses_libuv(const Options& opts) {
  if constexpr (HasUseLibUV<Options>::value) return opts.useLibUV;
  return false;
}
template <class Options>
void set_libuv(Options& opts, bool on) {
  if constexpr (HasUseLibUV<Options>::value) opts.useLibUV = on;
}

/**
 * A TCPStore as PyTorch makes one: with 2.4+'s libuv server backend unless USE_LIBUV=0, and
 * with the classic backend where this libtorch was built without libuv (Debian's 2.6), which
 * would otherwise refuse to start a server at all.
 */
inline c10::intrusive_ptr<::c10d::TCPStore> make_tcp_store(const std::string& host, ::c10d::TCPStoreOptions opts) {
  const char* use_libuv = std::getenv("USE_LIBUV");
  if (use_libuv != nullptr && std::strcmp(use_libuv, "0") == 0) set_libuv(opts, false);
  if (uses_libuv(opts)) {
    try {
      return c10::make_intrusive<::c10d::TCPStore>(host, opts);
    } catch (const std::exception& e) {
      if (std::strstr(e.what(), "without libuv support") == nullptr) throw;
      set_libuv(opts, false);
    }
  }
  return c10::make_intrusive<::c10d::TCPStore>(host, opts);
}

#if TORCH_VERSION_MAJOR >= 2
// The group that holds the backends: 2.0-2.4 construct it with ProcessGroup::Options (backend
// name and timeout), later versions from the store alone (each backend keeps its own timeout).
template <class Group = ::c10d::ProcessGroup>
c10::intrusive_ptr<Group> make_group(const c10::intrusive_ptr<::c10d::Store>& store, int rank, int size,
                                     const char* backend, std::chrono::milliseconds timeout) {
  if constexpr (std::is_constructible_v<Group, const c10::intrusive_ptr<::c10d::Store>&, int, int>) {
    return c10::make_intrusive<Group>(store, rank, size);
  } else {
    return c10::make_intrusive<Group>(store, rank, size, c10::make_intrusive<typename Group::Options>(backend, timeout));
  }
}
#endif

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
  auto pg = make_group(store, rank, size, "gloo", timeout);
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
  auto pg = make_group(store, rank, size, "nccl", timeout);
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
