// Signals and the heartbeat (DECISIONS, "2026-12: signals, flushing, restarts").
//
// Signals: our sigaction handler runs first and chains to the one it replaced (libuv's, put there
// by src/core/run/interrupt.ts's listener, so Node still sees the signal). The first SIGINT or
// SIGTERM only sets `pending`: the next op on the main thread throws InterruptError
// (check_interrupt), or the JS listener takes it when the event loop is free. Nothing defers the
// default action for long: a signal nobody took within kEscalateMs (a loop with no op that never
// yields) and any second signal get the default action, so the process dies of the signal.
//
// Heartbeat: a distributed rank with no op started, no event-loop turn and no collective in
// progress for the heartbeat timeout is hung; the watcher thread says so (stderr and the rank's
// log) and ends the process with kHungExitCode, which the launcher reports.
//
// No libtorch here: this file compiles without the heavy headers.
#include "interrupt.h"

#include "binding/exports.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <exception>
#include <string>
#include <thread>
#if defined(PST_WITH_V8)
#include <v8.h>
#endif

namespace pst {

InterruptState g_interrupt;

namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM};
constexpr int64_t kEscalateMs = 1000;
constexpr int kHungExitCode = 124;  // as timeout(1): src/torch-plugin/launcher.ts names it

struct sigaction g_previous[NSIG];
bool g_ours[NSIG];
std::atomic<int> g_received{0};
std::atomic<int64_t> g_signal_at_ms{0};
sem_t g_wake;
std::atomic<bool> g_watcher_started{false};
std::atomic<int64_t> g_heartbeat_ms{0};
std::atomic<int64_t> g_last_progress_ms{0};
std::string g_heartbeat_label;    // written before g_heartbeat_ms (release), read after (acquire)
std::string g_heartbeat_log;      // the rank's log file, or empty
napi_ref g_error_factory = nullptr;

// An exception that unwinds an op after the JS InterruptError was thrown (PST_CATCH adds nothing
// while a JS exception is pending).
struct InterruptThrown : std::exception {
  const char* what() const noexcept override { return "interrupted"; }
};

int64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// The signal's default action, now: the process dies of it.
void die_of(int signo) {
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(signo, &dfl, nullptr);
  raise(signo);
}

void on_signal(int signo, siginfo_t* info, void* context) {
  int saved_errno = errno;
  if (g_received.fetch_add(1) > 0) die_of(signo);  // a second signal kills at once
  g_signal_at_ms.store(now_ms());
  g_interrupt.pending.store(signo);
  sem_post(&g_wake);
  const struct sigaction& previous = g_previous[signo];
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction != nullptr) previous.sa_sigaction(signo, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler != nullptr) {
    previous.sa_handler(signo);
  }
  errno = saved_errno;
}

bool is_ours(const struct sigaction& action) {
  return (action.sa_flags & SA_SIGINFO) && action.sa_sigaction == on_signal;
}

void write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

#if defined(PST_WITH_V8)
// The main thread's JS stack, taken at V8's next interrupt check (a JS loop reaches one at once;
// a thread stuck in native code never does, and the report goes without it).
v8::Isolate* g_isolate = nullptr;
std::string g_stack;
std::atomic<bool> g_stack_taken{false};

void take_stack(v8::Isolate* isolate, void*) {
  v8::HandleScope scope(isolate);
  v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate, 12);
  std::string text;
  for (int i = 0; i < trace->GetFrameCount(); i++) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
    v8::String::Utf8Value function(isolate, frame->GetFunctionName());
    v8::String::Utf8Value script(isolate, frame->GetScriptName());
    text += "    at " + std::string(*function != nullptr && **function != '\0' ? *function : "<anonymous>") + " (" +
            (*script != nullptr ? *script : "?") + ":" + std::to_string(frame->GetLineNumber()) + ":" +
            std::to_string(frame->GetColumn()) + ")\n";
  }
  g_stack = text;
  g_stack_taken.store(true);
}

// Asks for the stack and waits up to a second for it.
std::string main_thread_stack() {
  if (g_isolate == nullptr) return "";
  g_stack_taken.store(false);
  g_isolate->RequestInterrupt(take_stack, nullptr);
  for (int i = 0; i < 100 && !g_stack_taken.load(); i++) usleep(10 * 1000);
  return g_stack_taken.load() ? "  main thread:\n" + g_stack : "  (the main thread is in native code: no JS stack)\n";
}
#else
std::string main_thread_stack() { return ""; }
#endif

void report_hang(int64_t silent_ms) {
  std::string seconds = std::to_string(g_heartbeat_ms.load() / 1000.0);
  seconds.erase(seconds.find_last_not_of('0') + 1);
  if (!seconds.empty() && seconds.back() == '.') seconds.pop_back();
  std::string line = g_heartbeat_label + " made no progress for " + std::to_string(silent_ms / 1000) +
                     " s (no op started, no collective waited on, the event loop never turned; --heartbeat-timeout " +
                     seconds + "): stopping it.\n" + main_thread_stack();
  write_all(2, "pystematic: " + line);
  if (!g_heartbeat_log.empty()) {
    int fd = open(g_heartbeat_log.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd >= 0) {
      write_all(fd, "[ERROR] [pystematic.heartbeat] " + line);
      close(fd);
    }
  }
}

void watch() {
  for (;;) {
    bool timed = g_heartbeat_ms.load(std::memory_order_acquire) > 0 || g_interrupt.pending.load() != 0;
    if (timed) {
      timespec deadline;
      clock_gettime(CLOCK_REALTIME, &deadline);
      deadline.tv_nsec += 100 * 1000000;
      if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000;
      }
      while (sem_timedwait(&g_wake, &deadline) != 0 && errno == EINTR) {
      }
    } else {
      while (sem_wait(&g_wake) != 0 && errno == EINTR) {
      }
    }
    int64_t now = now_ms();
    int signo = g_interrupt.pending.load();
    if (signo != 0 && now - g_signal_at_ms.load() >= kEscalateMs) die_of(signo);
    int64_t heartbeat = g_heartbeat_ms.load(std::memory_order_acquire);
    if (heartbeat > 0) {
      if (g_interrupt.progress.exchange(0, std::memory_order_relaxed) != 0 || g_interrupt.in_collective.load() > 0) {
        g_last_progress_ms.store(now);
      } else if (now - g_last_progress_ms.load() >= heartbeat) {
        report_hang(now - g_last_progress_ms.load());
        _exit(kHungExitCode);
      }
    }
  }
}

void start_watcher() {
  if (g_watcher_started.exchange(true)) return;
  sem_init(&g_wake, 0, 0);
  std::thread(watch).detach();
}

// interruptInstall(): our handler for SIGINT and SIGTERM, chained to the current one; a fresh
// count of signals (the next one is a first signal again).
Napi::Value interrupt_install(const Napi::CallbackInfo& info) {
  start_watcher();
  g_interrupt.main_env.store(info.Env());
  g_interrupt.pending.store(0);
  g_received.store(0);
  for (int signo : kSignals) {
    struct sigaction current;
    sigaction(signo, nullptr, &current);
    if (is_ours(current)) continue;
    g_previous[signo] = current;
    struct sigaction ours = {};
    ours.sa_sigaction = on_signal;
    ours.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    sigemptyset(&ours.sa_mask);
    sigaction(signo, &ours, nullptr);
    g_ours[signo] = true;
  }
  return info.Env().Undefined();
}

// interruptUninstall(): the handlers we replaced are back.
Napi::Value interrupt_uninstall(const Napi::CallbackInfo& info) {
  for (int signo : kSignals) {
    struct sigaction current;
    sigaction(signo, nullptr, &current);
    if (g_ours[signo] && is_ours(current)) sigaction(signo, &g_previous[signo], nullptr);
    g_ours[signo] = false;
  }
  g_interrupt.pending.store(0);
  return info.Env().Undefined();
}

// interruptTake() -> the pending signal's number (0: none), which no op will throw any more.
Napi::Value interrupt_take(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), g_interrupt.pending.exchange(0));
}

// setInterruptErrorFactory(fn): fn(signalNumber) makes the InterruptError an op throws.
Napi::Value set_interrupt_error_factory(const Napi::CallbackInfo& info) {
  if (g_error_factory != nullptr) napi_delete_reference(info.Env(), g_error_factory);
  g_error_factory = nullptr;
  // A raw reference: throw_interrupt() reads it from ops' raw N-API entry points.
  napi_create_reference(info.Env(), info[0], 1, &g_error_factory);
  return info.Env().Undefined();
}

// The string argument `v`, or `fallback` for anything else.
std::string string_or(Napi::Value v, std::string fallback) {
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : fallback;
}

// heartbeatStart(timeoutSeconds, label, logFile | null): watch this process's progress.
Napi::Value heartbeat_start(const Napi::CallbackInfo& info) {
  double seconds = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  g_heartbeat_ms.store(0);
#if defined(PST_WITH_V8)
  g_isolate = v8::Isolate::GetCurrent();
#endif
  g_heartbeat_label = info.Length() > 1 ? string_or(info[1], "") : std::string("this process");
  g_heartbeat_log = string_or(info[2], "");
  start_watcher();
  g_last_progress_ms.store(now_ms());
  g_heartbeat_ms.store(static_cast<int64_t>(seconds * 1000), std::memory_order_release);
  sem_post(&g_wake);
  return info.Env().Undefined();
}

Napi::Value heartbeat_stop(const Napi::CallbackInfo& info) {
  g_heartbeat_ms.store(0);
  return info.Env().Undefined();
}

// heartbeatTick(): the event loop turned (an unref'd timer calls it).
Napi::Value heartbeat_tick(const Napi::CallbackInfo& info) {
  g_interrupt.progress.store(1, std::memory_order_relaxed);
  return info.Env().Undefined();
}

}  // namespace

void throw_interrupt(napi_env env) {
  // Ops on other threads (DataLoader workers) leave the signal to the main thread.
  if (env != g_interrupt.main_env.load(std::memory_order_relaxed)) return;
  int signo = g_interrupt.pending.exchange(0);
  if (signo == 0) return;
  napi_value error = nullptr;
  napi_value factory, code, global;
  if (g_error_factory != nullptr && napi_get_reference_value(env, g_error_factory, &factory) == napi_ok &&
      factory != nullptr) {
    napi_get_global(env, &global);
    napi_create_int32(env, signo, &code);
    if (napi_call_function(env, global, factory, 1, &code, &error) != napi_ok) error = nullptr;
  }
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    if (error == nullptr) {
      napi_value message;
      std::string text = std::string("Interrupted by ") + (signo == SIGINT ? "SIGINT" : "SIGTERM");
      napi_create_string_utf8(env, text.c_str(), text.size(), &message);
      napi_create_error(env, nullptr, message, &error);
    }
    napi_throw(env, error);
  }
  throw InterruptThrown();
}

void register_interrupt_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define<interrupt_install>(ex, "interruptInstall");
  define<interrupt_uninstall>(ex, "interruptUninstall");
  define<interrupt_take>(ex, "interruptTake");
  define<set_interrupt_error_factory>(ex, "setInterruptErrorFactory");
  define<heartbeat_start>(ex, "heartbeatStart");
  define<heartbeat_stop>(ex, "heartbeatStop");
  define<heartbeat_tick>(ex, "heartbeatTick");
}

}  // namespace pst
