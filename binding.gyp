# node-gyp build of the same native/ sources as CMakeLists.txt (the real build is cmake-js:
# `npm run build:native`). Checked by scripts/check-binding-gyp.sh. node-gyp always builds against
# the target Node's own headers, V8's included (native/binding/v8-access.h).
{
  "targets": [
    {
      "target_name": "pystematic_native",
      "sources": [
        "native/addon.cpp",
        "native/binding/napi.cpp",
        "native/binding/exports.cpp",
        "native/binding/errors.cpp",
        "native/binding/convert.cpp",
        "native/binding/handles.cpp",
        "native/binding/tensor-lists.cpp",
        "native/memory/accounting.cpp",
        "native/memory/block-cache.cpp",
        "native/tensor.cpp",
        "native/runtime.cpp",
        "native/autograd.cpp",
        "native/ops/engine.cpp",
        "native/ops/guards.cpp",
        "native/ops/hot-ops.generated.cpp",
        "native/ops/indexing.cpp",
        "native/ops/generator.cpp",
        "native/io/crc32.cpp",
        "native/io/file-io.cpp",
        "native/context_settings.cpp",
        "native/interrupt.cpp"
      ],
      "include_dirs": [
        "native",
        "<!@(node -p \"require('node-api-headers').include_dir\")",
        "<!@(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/torch-paths.mjs include)"
      ],
      "libraries": [
        "-L<!(node scripts/torch-paths.mjs lib)",
        "-Wl,-rpath,<!(node scripts/torch-paths.mjs lib)",
        "-ltorch",
        "-ltorch_cpu",
        "-lc10"
      ],
      "defines": ["NAPI_EXPERIMENTAL", "NAPI_VERSION=2147483647", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED",
                  "PST_WITH_V8"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-Wno-unused-parameter"],
      "conditions": [
        ["<!(node scripts/torch-paths.mjs gloo)==1", {
          "sources": ["native/distributed/c10d.cpp"],
          "defines": ["PST_WITH_DISTRIBUTED", "USE_C10D_GLOO"],
          "cflags_cc": ["-idirafter <(module_root_dir)/native/compat"]
        }]
      ]
    },
    {
      "target_name": "pystematic_signals",
      "sources": ["native/signals-addon.cpp", "native/interrupt.cpp", "native/binding/exports.cpp"],
      "include_dirs": [
        "native",
        "<!@(node -p \"require('node-api-headers').include_dir\")",
        "<!@(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": ["NAPI_VERSION=8", "PST_WITH_V8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2"]
    }
  ]
}
