// The native signal trap (native/interrupt.cpp) behind src/core/run/interrupt.ts: once libtorch
// is loaded on the main thread, a signal during a run makes the next op throw InterruptError.
import { isMainThread } from "node:worker_threads";
import { interruptFor, setSignalTrap } from "../core/run/interrupt.js";
import { onNativeLoad } from "../torch/native.js";

onNativeLoad((addon) => {
  // An addon built before native/interrupt.cpp existed leaves the run with the core trap.
  if (!isMainThread || typeof addon.interruptInstall !== "function") return;
  addon.setInterruptErrorFactory(interruptFor);
  setSignalTrap({ install: addon.interruptInstall, uninstall: addon.interruptUninstall, take: addon.interruptTake });
});
