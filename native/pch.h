// Precompiled header: libtorch's headers dominate compile time, so every translation unit
// includes them through here (CMake's target_precompile_headers; binding.gyp includes it
// directly).
#pragma once
#include <torch/torch.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <node_api.h>
