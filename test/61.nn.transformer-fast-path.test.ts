// TransformerEncoder and TransformerEncoderLayer against Python where Python takes (or declines)
// its inference fast paths: the encoder's nested-tensor "sparsity fast path" (outputs at padded
// positions are 0; torch 1.13 trims to the longest sequence) and the layer's fused kernel, on
// Python's weights. Fixtures: scripts/fixtures/transformer_fast_path.py, per libtorch version.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, type Tensor } from "../src/torch/index.js";
import { readFileSync } from "node:fs";
import type { Encoded } from "./fixtures/nn/compare.js";
import { machineFixturePath } from "./fixtures/machine-fixture.js";

interface Case {
  label: string;
  layer: { d_model: number; nhead: number; dim_feedforward: number; dropout: number; batch_first: boolean; activation?: string; norm_first?: boolean; bias?: boolean };
  encoder: { num_layers: number; norm?: boolean; enable_nested_tensor?: boolean; mask_check?: boolean } | null;
  mode: "eval-no-grad" | "eval" | "train";
  state: Record<string, Encoded>;
  src: Encoded;
  srcKeyPaddingMask: Encoded | null;
  mask: Encoded | null;
  out: Encoded;
  warnings: string[];
}

// Bit-exact: the stored outputs are only comparable on a machine with the same kernels (else the
// script reruns here, test/fixtures/machine-fixture.ts).
const cases = JSON.parse(
  readFileSync(machineFixturePath("nn", "transformer_fast_path.json", "transformer_fast_path.py", "PYSTEMATIC_FIXTURE_DIR"), "utf8"),
) as Case[];

/** A fixture tensor; "inf" / "-inf" strings are the infinities of Python's masks. */
function tensorOf(e: Encoded): Tensor {
  if (e.dtype === "bool") return torch.tensor(e.data as boolean[]).reshape(e.shape);
  const data = (e.data as unknown[]).map((v) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v)));
  return torch.fromTypedArray(Float32Array.from(data), e.shape);
}

function build(c: Case): nn.Module {
  const l = c.layer;
  const layer = new nn.TransformerEncoderLayer(l.d_model, l.nhead, {
    dimFeedforward: l.dim_feedforward, dropout: l.dropout, batchFirst: l.batch_first, activation: l.activation ?? "relu",
    normFirst: l.norm_first ?? false, bias: l.bias ?? true,
  });
  if (c.encoder === null) return layer;
  const e = c.encoder;
  return new nn.TransformerEncoder(layer, e.num_layers, {
    norm: e.norm ? new nn.LayerNorm(l.d_model) : null, enableNestedTensor: e.enable_nested_tensor ?? true, maskCheck: e.mask_check ?? true,
  });
}

for (const c of cases) {
  test(`${c.label}: Python's output (shape, zeros at padded positions, values)`, async () => {
    const warnings: string[] = [];
    const listener = (w: Error): void => void warnings.push(w.message);
    process.on("warning", listener);
    const module = build(c);
    await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
    process.off("warning", listener);
    assert.deepEqual(warnings.filter((w) => w.includes("enable_nested_tensor")), c.warnings, "constructor warnings");
    module.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
    module.train(c.mode === "train");
    const src = tensorOf(c.src);
    const kpm = c.srcKeyPaddingMask ? tensorOf(c.srcKeyPaddingMask) : null;
    const mask = c.mask ? tensorOf(c.mask) : null;
    const run = (): Tensor =>
      c.encoder === null
        ? (module as nn.TransformerEncoderLayer).call(src, { srcMask: mask, srcKeyPaddingMask: kpm })
        : (module as nn.TransformerEncoder).call(src, { mask, srcKeyPaddingMask: kpm });
    const out = c.mode === "eval-no-grad" ? torch.noGrad(run) : run();
    // The same kernels as Python's, in the same order: equal to the last bit (Python's float32 values).
    const want = tensorOf(c.out);
    assert.deepEqual(out.shape, want.shape, "shape");
    assert.ok(out.equal(want), `values differ from Python's by up to ${out.sub(want).abs().max().item()}`);
  });
}

test("the nested path really runs: padded positions are exactly 0 (no final norm), 1.13 trims to the longest sequence", () => {
  const c = cases.find((x) => x.label.startsWith("encoder without a final norm"))!;
  const module = build(c);
  module.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
  module.eval();
  const src = tensorOf(c.src);
  const kpm = tensorOf(c.srcKeyPaddingMask!);
  const out = torch.noGrad(() => (module as nn.TransformerEncoder).call(src, { srcKeyPaddingMask: kpm }));
  assert.deepEqual(out.shape, torch.version.major >= 2 ? src.shape : [src.size(0), 4, src.size(2)], "1.13: the longest sequence is 4 of 5");
  const padded = kpm.narrow(1, 0, out.size(1)).unsqueeze(-1).expand(out.shape);
  assert.equal(out.maskedSelect(padded).abs().max().item(), 0);
  // With gradients recorded there is no fast path: the padded positions carry values.
  const slow = (module as nn.TransformerEncoder).call(src, { srcKeyPaddingMask: kpm });
  assert.deepEqual(slow.shape, src.shape);
  assert.ok((slow.maskedSelect(kpm.unsqueeze(-1).expand(slow.shape)).abs().max().item() as number) > 0.01);
});

test("padding masks of other dtypes are refused as Python's; enableNestedTensor and maskCheck are kept", () => {
  const layer = new nn.TransformerEncoderLayer(8, 2, { batchFirst: true });
  const encoder = new nn.TransformerEncoder(layer, 1, { enableNestedTensor: false, maskCheck: false });
  assert.equal(encoder.enableNestedTensor, false);
  assert.equal(encoder.maskCheck, false);
  const src = torch.randn([2, 3, 8]);
  assert.throws(() => encoder.call(src, { srcKeyPaddingMask: torch.zeros([2, 3], { dtype: "int64" }) }), /only bool and floating types of (src_)?key_padding_mask are supported/);
  assert.throws(() => layer.call(src, { srcKeyPaddingMask: torch.zeros([2, 3], { dtype: "int64" }) }), /only bool and floating types of (src_)?key_padding_mask are supported/);
});
