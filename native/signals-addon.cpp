// pystematic_signals.node: the signal trap of native/interrupt.cpp without libtorch, which
// src/core/run/core-signal-trap.ts loads in runs that never load libtorch (a few milliseconds).
#include "interrupt.h"

static napi_value Init(napi_env env, napi_value exports) {
  pst::register_interrupt_exports(env, exports);
  return exports;
}

NAPI_MODULE(pystematic_signals, Init)
