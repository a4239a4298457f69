// The CPU block cache: libtorch's CPU allocator replaced by one that keeps freed blocks for the
// next tensor of the same size. Python frees each result at once and glibc hands the same warm
// block back to the next op; here tensors die in batches (a tidy scope's end, a scavenge), so
// without a cache their memory goes back to glibc or the system and the next results fault
// fresh pages in. docs/memory.md has the figures.
//
// Blocks of up to 1 KB sit in per-size-class free lists (LIFO, bounded in count); larger ones in
// one map by rounded size (LIFO per size), bounded in bytes (torch.memory.configure) and in time:
// a size neither freed nor taken for `ttl` goes back to glibc. Every block starts with a 64-byte
// header naming its class or size, so one deleter frees any block (libtorch's raw allocations
// need a single raw deleter). Thread-safe: tensors may die on other threads.
#include "memory/memory.h"

#include "compat/allocator.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <unordered_map>

namespace pst {
namespace memory {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kSmallClasses = 5;  // 64, 128, 256, 512, 1024 bytes
constexpr size_t kMaxSmall = size_t(64) << (kSmallClasses - 1);
constexpr size_t kMaxCachedPerClass = 2048;
constexpr size_t kBlockHeader = 64;  // keeps the data 64-byte aligned, as libtorch's

struct SmallFreeList {
  std::atomic<bool> busy{false};
  std::vector<void*> blocks;
  void lock() {
    while (busy.exchange(true, std::memory_order_acquire)) {
    }
  }
  void unlock() { busy.store(false, std::memory_order_release); }
};
SmallFreeList g_small[kSmallClasses];

struct SizedBlocks {
  std::vector<void*> blocks;  // LIFO: the warmest first
  Clock::time_point last_use;
};

struct SizedCache {
  std::mutex mutex;
  std::unordered_map<size_t, SizedBlocks> sizes;  // by rounded size
  size_t bytes = 0;
  size_t blocks = 0;
  size_t limit = size_t(1) << 30;
  Clock::duration ttl = std::chrono::seconds(5);
  Clock::time_point last_sweep;
};
SizedCache& sized_cache() {
  static SizedCache* c = new SizedCache();  // never destroyed: blocks die during exit too
  return *c;
}

size_t rounded_size(size_t nbytes) {
  size_t step = nbytes <= (size_t(16) << 10) ? 256 : 4096;
  return (nbytes + step - 1) / step * step;
}

// Frees the blocks of sizes unused since `before` (all of them when `before` is now). Mutex held.
void sweep(SizedCache& cache, Clock::time_point before) {
  for (auto& [size, entry] : cache.sizes) {
    if (entry.blocks.empty() || entry.last_use >= before) continue;
    for (void* block : entry.blocks) c10::free_cpu(block);
    cache.bytes -= size * entry.blocks.size();
    cache.blocks -= entry.blocks.size();
    entry.blocks.clear();
    entry.blocks.shrink_to_fit();
  }
  cache.last_sweep = Clock::now();
}

void free_block(void* data) {
  if (data == nullptr) return;
  void* block = static_cast<char*>(data) - kBlockHeader;
  uint64_t tag = *static_cast<uint64_t*>(block);
  if (tag < kSmallClasses) {
    SmallFreeList& list = g_small[tag];
    list.lock();
    if (list.blocks.size() < kMaxCachedPerClass) {
      list.blocks.push_back(block);
      block = nullptr;
    }
    list.unlock();
  } else {
    SizedCache& cache = sized_cache();
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto now = Clock::now();
    if (now - cache.last_sweep > cache.ttl) sweep(cache, now - cache.ttl);
    if (cache.bytes + tag <= cache.limit) {
      try {
        SizedBlocks& entry = cache.sizes[tag];
        entry.blocks.push_back(block);
        entry.last_use = now;
        cache.bytes += tag;
        cache.blocks++;
        block = nullptr;
      } catch (...) {  // no memory for the list: free the block itself
      }
    }
  }
  if (block != nullptr) c10::free_cpu(block);
}

void* take_small(size_t c) {
  SmallFreeList& list = g_small[c];
  void* block = nullptr;
  list.lock();
  if (!list.blocks.empty()) {
    block = list.blocks.back();
    list.blocks.pop_back();
  }
  list.unlock();
  return block;
}

void* take_sized(size_t size) {
  SizedCache& cache = sized_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto it = cache.sizes.find(size);
  if (it == cache.sizes.end() || it->second.blocks.empty()) return nullptr;
  void* block = it->second.blocks.back();
  it->second.blocks.pop_back();
  it->second.last_use = Clock::now();
  cache.bytes -= size;
  cache.blocks--;
  return block;
}

class CachingCpuAllocator final : public compat::CpuAllocator<CachingCpuAllocator> {
 public:
  c10::DataPtr allocate_block(size_t nbytes) const {
    const c10::Device cpu(c10::DeviceType::CPU);
    if (nbytes == 0) return {nullptr, nullptr, &free_block, cpu};
    void* block;
    uint64_t tag;
    if (nbytes <= kMaxSmall) {
      size_t c = 0;
      while ((size_t(64) << c) < nbytes) c++;
      tag = c;
      block = take_small(c);
      if (block == nullptr) block = c10::alloc_cpu(kBlockHeader + (size_t(64) << c));
    } else {
      tag = rounded_size(nbytes);
      block = take_sized(tag);
      if (block == nullptr) block = c10::alloc_cpu(kBlockHeader + tag);
    }
    *static_cast<uint64_t*>(block) = tag;
    void* data = static_cast<char*>(block) + kBlockHeader;
    return {data, data, &free_block, cpu};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &free_block; }
};

}  // namespace

void install_block_cache() {
  static CachingCpuAllocator allocator;
  c10::SetCPUAllocator(&allocator, /*priority=*/1);
}

size_t cached_bytes() {
  size_t bytes = 0;
  for (size_t c = 0; c < kSmallClasses; c++) {
    g_small[c].lock();
    bytes += g_small[c].blocks.size() * (kBlockHeader + (size_t(64) << c));
    g_small[c].unlock();
  }
  SizedCache& cache = sized_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  return bytes + cache.bytes;
}

size_t cached_blocks() {
  size_t n = 0;
  for (size_t c = 0; c < kSmallClasses; c++) {
    g_small[c].lock();
    n += g_small[c].blocks.size();
    g_small[c].unlock();
  }
  SizedCache& cache = sized_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  return n + cache.blocks;
}

void configure_block_cache(c10::optional<size_t> limit_bytes, c10::optional<double> ttl_seconds) {
  SizedCache& cache = sized_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  if (limit_bytes) cache.limit = *limit_bytes;
  if (ttl_seconds) cache.ttl = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*ttl_seconds));
  if (cache.bytes > cache.limit) sweep(cache, Clock::now());
}

void empty_block_cache() {
  for (size_t c = 0; c < kSmallClasses; c++) {
    std::vector<void*> blocks;
    g_small[c].lock();
    blocks.swap(g_small[c].blocks);
    g_small[c].unlock();
    for (void* block : blocks) c10::free_cpu(block);
  }
  SizedCache& cache = sized_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  sweep(cache, Clock::now() + std::chrono::hours(1));
}

void release_stale_blocks() {
  SizedCache& cache = sized_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  if (cache.bytes != 0) sweep(cache, Clock::now() - cache.ttl);
}

}  // namespace memory
}  // namespace pst
