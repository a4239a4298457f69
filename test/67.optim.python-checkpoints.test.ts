// Optimizer checkpoints interchange with Python: a state dict Python's torch.save wrote at step 50
// loads here and the run continues to Python's step-100 values; ours, saved at step 50, loads
// into Python's optimizer (python3-torch 1.13) and continues there to the same values.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe as suite, test } from "node:test";
import { fileURLToPath } from "node:url";
import * as torch from "../src/torch-plugin/index.js";
import type { OptimizerStateDict } from "../src/torch/optim/index.js";
import { assertClose, fixture, flat, makeOptimizer, makeParams, setGrads } from "./fixtures/optim/cases.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const FIXTURES = path.dirname(pythonFixturePath("optim", "trajectories.json"));
const PYTHON = process.env.PYSTEMATIC_PYTHON ?? "/usr/bin/python3";
const fileOf = (name: string): string => name.replace(/ /g, "-") + ".pt";

suite("optimizer checkpoints from and to Python", () => {
  test("Python's optimizer.state_dict() at step 50 loads and continues to Python's step 100", () => {
    for (const c of fixture.cases) {
      const params = makeParams();
      const opt = makeOptimizer(c, params);
      torch.noGrad(() => params.forEach((p, i) => p.copy_(torch.tensor(c.checkpoint.params[i]!).reshape(p.shape))));
      opt.loadStateDict(torch.load(path.join(FIXTURES, fileOf(c.name))) as OptimizerStateDict);
      for (let step = fixture.checkpointAt; step < fixture.steps; step++) {
        setGrads(params, step);
        opt.step();
      }
      params.forEach((p, i) => assertClose(flat(p), c.trajectory[String(fixture.steps)]![i]!, 1e-6, `${c.name}: param ${i}`));
    }
  });

  test("our state dict at step 50 loads into Python's optimizer, which continues to the same values", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pystematic-optim-"));
    try {
      for (const c of fixture.cases) {
        const params = makeParams();
        const opt = makeOptimizer(c, params);
        for (let step = 0; step < fixture.checkpointAt; step++) {
          setGrads(params, step);
          opt.step();
        }
        torch.save({ optimizer: opt.stateDict(), params: params.map((p) => p.detach()) }, path.join(dir, fileOf(c.name)));
      }
      const script = `
import json, os, sys, torch
fx = json.load(open(sys.argv[1]))
shapes = fx["shapes"]
targets = [torch.tensor(t).reshape(s) for t, s in zip(fx["targets"], shapes)]
out = {}
for c in fx["cases"]:
    ck = torch.load(os.path.join(sys.argv[2], c["name"].replace(" ", "-") + ".pt"))
    params = [torch.nn.Parameter(p.clone()) for p in ck["params"]]
    cls = getattr(torch.optim, c["optimizer"])
    opts = {k: tuple(v) if k == "betas" else v for k, v in c["options"].items()}
    if c["groups"]:
        g = [{k: tuple(v) if k == "betas" else v for k, v in gr.items()} for gr in c["groups"]]
        opt = cls([dict(params=params[:2], **g[0]), dict(params=params[2:], **g[1])], **opts)
    else:
        opt = cls(params, **opts)
    opt.load_state_dict(ck["optimizer"])
    for step in range(fx["checkpointAt"], fx["steps"]):
        for i, p in enumerate(params):
            if i == 2 and step % 2 == 1:
                p.grad = None
                continue
            d = p.detach()
            p.grad = 2 * (d - targets[i]) + 0.1 * torch.cos(d)
        opt.step()
    out[c["name"]] = [p.detach().reshape(-1).tolist() for p in params]
print(json.dumps(out))
`;
      const r = spawnSync(PYTHON, ["-c", script, path.join(FIXTURES, "trajectories.json"), dir], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const finals = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number[][]>;
      for (const c of fixture.cases) {
        finals[c.name]!.forEach((values, i) =>
          assertClose(values, c.trajectory[String(fixture.steps)]![i]!, 1e-6, `${c.name} in Python: param ${i}`),
        );
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
