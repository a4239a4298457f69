// libtorch's exceptions as JS errors.
#include "pch.h"

#include "binding/exports.h"
#include "binding/napi.h"

#include <cstdlib>

namespace pst {

// libtorch's messages carry C++ context after the text a user needs ("Exception raised
// from ...", frame lists): keep the message, drop the noise.
std::string clean_torch_message(const c10::Error& e) {
  std::string msg = e.what_without_backtrace();
  for (const char* marker : {"\nException raised from", "Exception raised from "}) {
    auto pos = msg.find(marker);
    if (pos != std::string::npos) msg.erase(pos);
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

namespace {

// libtorch's c10::Error without its C++ backtrace, any other exception by its what().
std::string describe_exception(const std::exception& e) {
  if (const auto* torch_error = dynamic_cast<const c10::Error*>(&e)) return clean_torch_message(*torch_error);
  return e.what();
}

}  // namespace

// c10::Error captures a C++ backtrace when constructed, which JS callers never see (the message
// drops it): skipped unless PYSTEMATIC_CPP_STACKTRACES is set (debugging the addon itself).
void install_error_handling() {
  set_exception_describer(describe_exception);
  if (std::getenv("PYSTEMATIC_CPP_STACKTRACES") == nullptr) c10::SetStackTraceFetcher([] { return std::string(); });
}

}  // namespace pst
