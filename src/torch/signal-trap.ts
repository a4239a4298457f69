// The native signal trap (native/interrupt.cpp) behind src/core/run/interrupt.ts: once libtorch
// is loaded on the main thread, a signal during a run makes the next op throw InterruptError.
import { isMainThread } from "node:worker_threads";
import { interruptFor, setSignalTrap } from "../core/run/interrupt.js";
import { onNativeLoad } from "./native.js";

onNativeLoad((addon) => {
  if (!isMainThread) return;
  addon.setInterruptErrorFactory(interruptFor);
  setSignalTrap({ install: addon.interruptInstall, uninstall: addon.interruptUninstall, take: addon.interruptTake });
});
