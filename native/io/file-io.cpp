// Checkpoint file I/O off the JS thread: positional reads and writes of many buffers at once,
// spread over a few threads, with their CRC-32s (src/torch/serialization/native-io.ts).
#include "binding/exports.h"
#include "binding/napi.h"
#include "io/crc32.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#define PST_HAVE_PREAD 1
#endif

namespace pst {
namespace {

uint64_t index_arg(napi_env env, napi_value v, const char* name) {
  double d = number_arg(env, v, name);
  if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw JsError(std::string("argument '") + name + "' must be a non-negative integer", JsError::Type);
  }
  return static_cast<uint64_t>(d);
}

struct Span {
  uint8_t* data;
  size_t size;
};

Span bytes_arg(Napi::Value v, const char* name) {
  if (v.IsTypedArray()) {
    auto typed = v.As<Napi::TypedArray>();
    return {static_cast<uint8_t*>(typed.ArrayBuffer().Data()) + typed.ByteOffset(), typed.ByteLength()};
  }
  if (v.IsDataView()) {
    auto view = v.As<Napi::DataView>();
    return {static_cast<uint8_t*>(view.Data()), view.ByteLength()};
  }
  throw JsError(std::string("argument '") + name + "' must be a TypedArray or DataView", JsError::Type);
}

// An array argument; a TypeError naming it for anything else.
Napi::Array array_arg(Napi::Value v, const char* name) {
  if (!v.IsArray()) throw JsError(std::string("argument '") + name + "' must be an array", JsError::Type);
  return v.As<Napi::Array>();
}

// ---- parallel positional I/O ----

// One request: `size` bytes at file offset `offset` from/to `data`.
struct Request {
  uint64_t offset;
  uint8_t* data;
  size_t size;
};

// A piece of a request; pieces are what the threads take.
struct Piece {
  size_t request;
  size_t begin;
  size_t size;
  uint32_t crc;
};

constexpr size_t kDefaultChunk = size_t(4) << 20;
// Below this many bytes in all, one thread does everything (starting threads costs more).
constexpr size_t kThreadedBytes = size_t(8) << 20;

unsigned hardware_threads() {
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 2 : hw;
}

std::vector<Piece> split(const std::vector<Request>& requests, size_t chunk, size_t* total) {
  std::vector<Piece> pieces;
  *total = 0;
  for (size_t r = 0; r < requests.size(); r++) {
    const size_t size = requests[r].size;
    *total += size;
    for (size_t b = 0; b < size; b += chunk) pieces.push_back({r, b, std::min(chunk, size - b), 0});
  }
  return pieces;
}

// Each request's CRC-32 from its pieces' (in order).
std::vector<uint32_t> join_crcs(const std::vector<Request>& requests, const std::vector<Piece>& pieces) {
  std::vector<uint32_t> crcs(requests.size(), 0);
  std::vector<bool> started(requests.size(), false);
  for (const Piece& piece : pieces) {
    uint32_t& c = crcs[piece.request];
    c = started[piece.request] ? crc32_combine(c, piece.crc, piece.size) : piece.crc;
    started[piece.request] = true;
  }
  return crcs;
}

// Runs `work` on this thread and on `extra` more; joins them.
template <typename F>
void run_threads(unsigned extra, F&& work) {
  std::vector<std::thread> threads;
  try {
    for (unsigned t = 0; t < extra; t++) threads.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads: the ones started (and this one) do the work.
  }
  work();
  for (auto& t : threads) t.join();
}

std::string errno_message(int err, const char* op) {
  const char* code = err == ENOSPC ? "ENOSPC" : err == EIO ? "EIO" : err == EBADF ? "EBADF" : err == EFBIG ? "EFBIG"
                     : err == EDQUOT ? "EDQUOT" : err == EINVAL ? "EINVAL" : err == EISDIR ? "EISDIR" : nullptr;
  std::string msg = code ? code : "errno " + std::to_string(err);
  return msg + ": " + std::strerror(err) + ", " + op;
}

#if PST_HAVE_PREAD
// Reads or writes all of one piece; returns 0 or an errno (-1: end of file while reading).
int transfer_piece(int fd, bool write, const Request& req, const Piece& piece) {
  uint8_t* p = req.data + piece.begin;
  size_t done = 0;
  while (done < piece.size) {
    off_t at = static_cast<off_t>(req.offset + piece.begin + done);
    size_t n = std::min<size_t>(piece.size - done, size_t(1) << 30);
    ssize_t got = write ? pwrite(fd, p + done, n, at) : pread(fd, p + done, n, at);
    if (got < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (got == 0) return write ? EIO : -1;
    done += static_cast<size_t>(got);
  }
  return 0;
}
#endif

// Writes every request at its offset and returns their CRC-32s. One thread writes, in file order
// (a filesystem serialises writes to one file: two writers were slower), while
// the others compute the CRCs. With `writeback`, the kernel is asked to start writing each piece
// to disk as soon as it is in the page cache (Linux sync_file_range), so a later fsync waits only
// for the tail.
std::vector<uint32_t> write_all(int fd, const std::vector<Request>& requests, size_t chunk, bool writeback) {
#if PST_HAVE_PREAD
  size_t total;
  std::vector<Piece> pieces = split(requests, chunk, &total);
  std::atomic<size_t> next_crc{0};
  std::atomic<bool> stop{false};
  auto crc_work = [&]() {
    for (;;) {
      if (stop.load(std::memory_order_relaxed)) return;
      size_t i = next_crc.fetch_add(1, std::memory_order_relaxed);
      if (i >= pieces.size()) return;
      Piece& piece = pieces[i];
      piece.crc = crc32_update(0, requests[piece.request].data + piece.begin, piece.size);
    }
  };
  int failure = 0;
  auto write_work = [&]() {
    for (const Piece& piece : pieces) {
      failure = transfer_piece(fd, true, requests[piece.request], piece);
      if (failure) break;
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
      if (writeback) {
        sync_file_range(fd, static_cast<off_t>(requests[piece.request].offset + piece.begin),
                        static_cast<off_t>(piece.size), SYNC_FILE_RANGE_WRITE);
      }
#endif
    }
    if (failure) stop.store(true);
  };
  if (total < kThreadedBytes) {
    write_work();
    crc_work();
  } else {
    unsigned crc_threads = std::min(std::max(hardware_threads(), 2u) - 1, 3u);
    std::thread writer;
    bool threaded = true;
    try {
      writer = std::thread(write_work);
    } catch (const std::system_error&) {
      threaded = false;
    }
    if (threaded) {
      run_threads(crc_threads - 1, crc_work);
      writer.join();
    } else {
      write_work();
      crc_work();
    }
  }
  if (failure) throw JsError(errno_message(failure, "write"));
  return join_crcs(requests, pieces);
#else
  (void)fd;
  (void)requests;
  (void)chunk;
  (void)writeback;
  throw JsError("positional file I/O is not available on this platform");
#endif
}

// Fills every request from its offset, pieces spread over a few threads (reads of one file run
// in parallel, and so do the page faults of fresh memory); with `crcs`, also their CRC-32s.
void read_all(int fd, const std::vector<Request>& requests, size_t chunk, std::vector<uint32_t>* crcs) {
#if PST_HAVE_PREAD
  size_t total;
  std::vector<Piece> pieces = split(requests, chunk, &total);
  std::atomic<size_t> next{0};
  std::atomic<int> failure{0};
  auto work = [&]() {
    for (;;) {
      if (failure.load(std::memory_order_relaxed)) return;
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= pieces.size()) return;
      Piece& piece = pieces[i];
      const Request& req = requests[piece.request];
      if (int err = transfer_piece(fd, false, req, piece)) {
        int expected = 0;
        failure.compare_exchange_strong(expected, err);
        return;
      }
      if (crcs) piece.crc = crc32_update(0, req.data + piece.begin, piece.size);
    }
  };
  unsigned extra = total < kThreadedBytes ? 0 : std::min(hardware_threads(), 4u) - 1;
  run_threads(std::min<size_t>(extra, pieces.size()), work);
  if (int err = failure.load()) {
    if (err == -1) throw JsError("unexpected end of file: the file is shorter than the data to read");
    throw JsError(errno_message(err, "read"));
  }
  if (crcs) *crcs = join_crcs(requests, pieces);
#else
  (void)fd;
  (void)requests;
  (void)chunk;
  (void)crcs;
  throw JsError("positional file I/O is not available on this platform");
#endif
}

std::vector<Request> requests_arg(Napi::Value offsets_arg, Napi::Value buffers_arg) {
  auto offsets = array_arg(offsets_arg, "offsets");
  auto buffers = array_arg(buffers_arg, "buffers");
  uint32_t n = offsets.Length();
  if (buffers.Length() != n) throw JsError("offsets and buffers differ in length", JsError::Type);
  std::vector<Request> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    Span s = bytes_arg(buffers.Get(i), "buffers[i]");
    out.push_back({index_arg(offsets.Env(), offsets.Get(i), "offsets[i]"), s.data, s.size});
  }
  return out;
}

size_t chunk_arg(Napi::Value v) {
  if (is_nullish(v.Env(), v)) return kDefaultChunk;
  uint64_t c = index_arg(v.Env(), v, "chunkSize");
  if (c == 0) throw JsError("argument 'chunkSize' must be positive", JsError::Type);
  return static_cast<size_t>(c);
}

Napi::Array crc_array(Napi::Env env, const std::vector<uint32_t>& crcs) {
  auto array = Napi::Array::New(env, crcs.size());
  for (uint32_t i = 0; i < crcs.size(); i++) array.Set(i, Napi::Number::New(env, crcs[i]));
  return array;
}

// crc32(data, value?) -> number: as zlib.crc32.
Napi::Value js_crc32(const Napi::CallbackInfo& info) {
  Span s = bytes_arg(info[0], "data");
  uint32_t init = is_nullish(info.Env(), info[1]) ? 0 : static_cast<uint32_t>(index_arg(info.Env(), info[1], "value"));
  return Napi::Number::New(info.Env(), crc32_update(init, s.data, s.size));
}

bool flag_arg(Napi::Value v, const char* name) { return !is_nullish(v.Env(), v) && bool_arg(v.Env(), v, name); }

int fd_arg(Napi::Value v) { return static_cast<int>(index_arg(v.Env(), v, "fd")); }

// writeAt(fd, offsets, buffers, writeback, chunkSize?) -> CRC-32 of each buffer. Writes each
// buffer at its offset (pwrite) while other threads compute the CRCs.
Napi::Value js_write_at(const Napi::CallbackInfo& info) {
  int fd = fd_arg(info[0]);
  auto requests = requests_arg(info[1], info[2]);
  return crc_array(info.Env(), write_all(fd, requests, chunk_arg(info[4]), flag_arg(info[3], "writeback")));
}

// readAt(fd, offsets, buffers, withCrc, chunkSize?) -> CRC-32 of each buffer or undefined.
// Fills each buffer from its offset (pread, several threads).
Napi::Value js_read_at(const Napi::CallbackInfo& info) {
  int fd = fd_arg(info[0]);
  auto requests = requests_arg(info[1], info[2]);
  bool with_crc = flag_arg(info[3], "withCrc");
  std::vector<uint32_t> crcs;
  read_all(fd, requests, chunk_arg(info[4]), with_crc ? &crcs : nullptr);
  if (with_crc) return crc_array(info.Env(), crcs);
  return info.Env().Undefined();
}

Napi::Value js_crc32_accelerated(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), crc32_accelerated());
}

// detachBuffers(arrayBuffers): detaches each (views of it read as empty from then on).
Napi::Value js_detach_buffers(const Napi::CallbackInfo& info) {
  auto buffers = array_arg(info[0], "buffers");
  for (uint32_t i = 0, n = buffers.Length(); i < n; i++) {
    Napi::Value ab = buffers.Get(i);
    if (!ab.IsArrayBuffer()) throw JsError("detachBuffers: expected ArrayBuffers", JsError::Type);
    ab.As<Napi::ArrayBuffer>().Detach();
  }
  return info.Env().Undefined();
}

}  // namespace

void register_io_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define<js_crc32>(ex, "crc32");
  define<js_crc32_accelerated>(ex, "crc32Accelerated");
  define<js_write_at>(ex, "writeAt");
  define<js_read_at>(ex, "readAt");
  define<js_detach_buffers>(ex, "detachBuffers");
}

}  // namespace pst
