// Prints libtorch's include or library folders for binding.gyp (`node scripts/torch-paths.mjs
// include|lib|gloo`), honouring LIBTORCH / Torch_DIR like scripts/build-native.mjs.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

function prefix() {
  if (process.env.Torch_DIR) return resolve(process.env.Torch_DIR, "../../..");
  if (process.env.LIBTORCH) {
    const pip = join(process.env.LIBTORCH, "torch");
    return existsSync(join(pip, "include")) ? pip : process.env.LIBTORCH;
  }
  return "/usr";
}

const root = prefix();
const what = process.argv[2];
if (what === "include") {
  console.log([join(root, "include"), join(root, "include/torch/csrc/api/include")].join(" "));
} else if (what === "lib") {
  const debian = "/usr/lib/x86_64-linux-gnu";
  console.log(root === "/usr" && existsSync(debian) ? debian : join(root, "lib"));
} else if (what === "gloo") {
  // 1 when Gloo's headers are there (torch.distributed is then built).
  const dirs = [join(root, "include"), "/usr/include", "/usr/local/include"];
  console.log(dirs.some((d) => existsSync(join(d, "gloo/algorithm.h"))) ? 1 : 0);
} else {
  console.error("usage: node scripts/torch-paths.mjs include|lib|gloo");
  process.exit(2);
}
