// Context.ddp(): a clear error outside a distributed run; with a DDP wrapper (a stand-in here,
// and real DDP with 2 Gloo ranks through the launcher): trainable modules wrapped once, recorders
// silenced on ranks other than 0, state dicts without the `module.` prefix.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { getRankProvider, setRankProvider, type RankProvider } from "../src/index.js";
import { Context, ContextObject, Recorder, nn, setDdpWrapper, torch, type DdpWrapper } from "../src/torch-plugin/index.js";
import { freePort } from "./fixtures/ports.js";

test("ddp() outside a distributed run is a clear error", () => {
  const ctx = new Context({ model: new nn.Linear(2, 1) });
  assert.throws(() => ctx.ddp(), /ddp\(\) needs a distributed run \(start with --distributed\)/);
});

/** DDP's shape for the Context: wraps a module, its state dict keys prefixed `module.`. */
class FakeDdp extends nn.Module {
  constructor(readonly module: nn.Module) {
    super();
  }
}
const fake: DdpWrapper = {
  wrap: (m) => new FakeDdp(m as nn.Module),
  unwrap: (v) => (v instanceof FakeDdp ? v.module : null),
};

/** What a recorder prints for one record and step (its console backend writes to stdout). */
function recorded(recorder: Recorder): string {
  const write = process.stdout.write;
  let printed = "";
  process.stdout.write = ((c: string) => ((printed += c), true)) as typeof process.stdout.write;
  try {
    recorder.scalar("x", 1);
    recorder.step();
  } finally {
    process.stdout.write = write;
  }
  return printed;
}

function withRank<T>(rank: number, fn: () => T): T {
  const previous: RankProvider = getRankProvider();
  setRankProvider({ getRank: () => rank, getNumProcesses: () => 2, isMaster: () => rank === 0 });
  setDdpWrapper(fake);
  try {
    return fn();
  } finally {
    setRankProvider(previous);
    setDdpWrapper(null);
  }
}

test("ddp(): wraps trainable modules once (nested too), keeps parameterless ones, silences recorders on rank 1", () => {
  const silencedRecorder = withRank(1, () => {
    const model = new nn.Linear(2, 1);
    const frozen = new nn.Linear(2, 1);
    frozen.requiresGrad_(false);
    const loss = new nn.MSELoss();
    const recorder = new Recorder(tmpdir(), { tensorboard: false, file: false, console: true });
    const inner = new ContextObject();
    inner.net = new nn.Linear(1, 1);
    inner.list = [new nn.Linear(1, 1)];
    const ctx = new Context({ model, frozen, loss, recorder, inner, plain: { m: new nn.Linear(1, 1) } });
    assert.equal(ctx.ddp(), ctx);
    assert.ok(ctx.model instanceof FakeDdp);
    assert.equal((ctx.model as FakeDdp).module, model);
    assert.equal(ctx.frozen, frozen, "no trainable parameters: not wrapped");
    assert.equal(ctx.loss, loss);
    assert.ok(inner.net instanceof FakeDdp);
    assert.ok(inner.list[0] instanceof FakeDdp);
    assert.ok(ctx.plain.m instanceof FakeDdp);
    const wrapped = ctx.model;
    ctx.ddp();
    assert.equal(ctx.model, wrapped, "a second ddp() does not wrap twice");
    // State dicts come from the wrapped module: no `module.` prefix.
    const state = ctx.stateDict();
    assert.deepEqual(Object.keys(state.model as object), ["weight", "bias"]);
    assert.deepEqual(Object.keys((state.inner as { net: object }).net), ["weight", "bias"]);
    // And load back into the wrapped module.
    const sd = model.stateDict();
    torch.noGrad(() => model.weight.fill_(3));
    ctx.loadStateDict({ model: sd });
    assert.deepEqual(model.weight.toArray(), sd.weight!.toArray());
    return recorder;
  });
  // Silenced for good: even as the master now, its records go nowhere (console would print).
  assert.equal(recorded(silencedRecorder), "");
});

test("ddp() on rank 0 leaves recorders recording", () => {
  const recorder = new Recorder(tmpdir(), { tensorboard: false, file: false, console: true });
  withRank(0, () => {
    new Context({ recorder }).ddp();
    return recorder;
  });
  assert.match(recorded(recorder), /x: 1/);
});


const root = fileURLToPath(new URL("..", import.meta.url));

test("--distributed: DDP-wrapped model (custom members reachable), data split across ranks, same weights, master-only files", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-89d-"));
  try {
    const port = await freePort();
    const report = join(dir, "report");
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/bin.ts", "test/fixtures/context/distributed.ts", "distributed-context", "--report", report,
        "--distributed", "--nproc-per-node", "2", "--master-port", String(port), "--no-cuda", "--output-dir", join(dir, "out"), "--random-seed", "4"],
      { cwd: root, encoding: "utf8", timeout: 110_000 },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const [r0, r1] = [0, 1].map((k) => JSON.parse(readFileSync(`${report}.rank${k}.json`, "utf8")) as Record<string, unknown>);
    for (const rank of [r0!, r1!]) {
      assert.equal(rank.isDdp, true);
      assert.deepEqual(rank.stateKeys, ["fc.weight", "fc.bias"], "no module. prefix");
      assert.equal((rank.seen as number[]).length, 8, "each rank gets half of the 16 samples");
    }
    assert.deepEqual(r0!.weights, r1!.weights, "DDP keeps the ranks' weights identical");
    assert.equal(r0!.weightSum, r1!.weightSum);
    assert.deepEqual([...(r0!.seen as number[]), ...(r1!.seen as number[])].sort(), Array.from({ length: 16 }, (_, i) => Math.fround(Math.sin(i * 3))).sort());
    assert.equal(r1!.written, null, "only the master writes checkpoints");
    const runDir = r0!.runDir as string;
    assert.equal(r0!.written, join(runDir, "checkpoint-1.pt"));
    assert.ok(existsSync(join(runDir, "checkpoint-1.pt")));
    const lines = readFileSync(join(runDir, "scalars.csv"), "utf8").trim().split("\n");
    assert.equal(lines.length, 1 + 2, "the master's 2 steps only: rank 1's recorder is silent");
    assert.ok(readdirSync(runDir).includes("log.rank-1.txt"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
