// The memory module: one CPU block cache (block-cache.cpp) and one external-memory accounting
// (accounting.cpp) that tells V8 what tensors hold, so the GC is scheduled by it. docs/memory.md
// describes the model and what each mechanism buys.
#pragma once
#include "pch.h"

#include "binding/napi.h"

namespace pst {
namespace memory {

// Native bytes a small tensor costs beyond its data (TensorImpl, StorageImpl, the aligned
// allocation, the handle): what a handle with no data of its own is counted as.
constexpr int64_t kHandleOverhead = 640;

// Data bytes a handle counts: an owned storage's, 0 for views and for tensors held elsewhere.
int64_t owned_bytes(const at::Tensor& t, bool fresh);
// A new handle holding `data_bytes` (counted with kHandleOverhead) / an empty handle refilled.
void on_new_handle(napi_env env, int64_t data_bytes);
void on_refill(napi_env env, int64_t data_bytes);
// dispose(): the data goes, the handle stays.
void on_dispose(int64_t data_bytes);
// A handle collected by the GC (inside it: no N-API, no allocation).
void on_collected(int64_t accounted_bytes);
// Frees a tensor released by JS (dispose, scope end, GC) through the deferred-free queue.
void release(at::Tensor& t);

// Installs the CPU allocator and the env's cleanup; once per env.
void install(napi_env env);
// The block cache (block-cache.cpp).
void install_block_cache();
size_t cached_bytes();
size_t cached_blocks();
void configure_block_cache(c10::optional<size_t> limit_bytes, c10::optional<double> ttl_seconds);
void empty_block_cache();
void release_stale_blocks();

void register_memory_exports(napi_env env, napi_value exports);

}  // namespace memory
}  // namespace pst
