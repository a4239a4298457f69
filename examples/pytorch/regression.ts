// pytorch/examples' regression/main.py, ported line by line: a Linear model fitted to a random
// degree-4 polynomial on features [x, x^2, x^3, x^4], with smooth L1 loss and plain gradient
// steps through `param.data`. Only the README's mechanical changes, plus: a seed (the original
// is not seeded), --max-batches, and a returned log of the losses (the test compares them with the
// Python twin, scripts/fixtures/examples/regression.py).
//
//   npx tsx examples/pytorch/regression.ts
//
// (Inside this repository the imports point at src/; an application imports "pystematic/torch".)
import { nn, torch } from "../../src/torch-plugin/index.js";
import type { Tensor } from "../../src/torch-plugin/index.js";
import { isMainModule, parseCommandLine } from "./command-line.js";
const F = nn.functional;

const POLY_DEGREE = 4;

export const defaults = { seed: 1, maxBatches: null as number | null };
export type Args = typeof defaults;

/** What the run printed: each batch's loss, the learned and the actual polynomial. */
export interface Log {
  losses: number[];
  learned: string;
  actual: string;
  weight: number[];
  bias: number[];
}

/** Python's '{:+.2f}'.format(v). */
const signed = (v: number) => (v < 0 || Object.is(v, -0) ? "" : "+") + v.toFixed(2);

export function main(args: Args): Log {
  const losses: number[] = [];
  torch.manualSeed(args.seed);
  const W_target = torch.randn(POLY_DEGREE, 1).mul(5);
  const b_target = torch.randn(1).mul(5);

  /** Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]. */
  function makeFeatures(x: Tensor): Tensor {
    x = x.unsqueeze(1);
    return torch.cat(Array.from({ length: POLY_DEGREE }, (_, i) => x.pow(i + 1)), 1);
  }

  /** Approximated function. */
  function f(x: Tensor): Tensor {
    return x.mm(W_target).add(b_target.item());
  }

  /** Creates a string description of a polynomial. */
  function polyDesc(W: Tensor, b: Tensor): string {
    let result = "y = ";
    [...W].forEach((w, i) => {
      result += `${signed(w.item())} x^${i + 1} `;
    });
    result += signed(b.idx(0).item());
    return result;
  }

  /** Builds a batch i.e. (x, f(x)) pair. */
  function getBatch(batchSize = 32): [Tensor, Tensor] {
    const random = torch.randn(batchSize);
    const x = makeFeatures(random);
    const y = f(x);
    return [x, y];
  }

  // Define model
  const fc = new nn.Linear(W_target.size(0), 1);

  let loss = Infinity;
  let batchIdx = 1;
  for (; ; batchIdx++) {
    // Get data
    const [batchX, batchY] = getBatch();

    // Reset gradients
    fc.zeroGrad();

    // Forward pass
    const output = F.smoothL1Loss(fc.call(batchX), batchY);
    loss = output.item();
    losses.push(loss);

    // Backward pass
    output.backward();

    // Apply gradients
    for (const param of fc.parameters()) {
      param.data.add_(param.grad!.mul(-0.1));
    }

    // Stop criterion
    if (loss < 1e-3 || batchIdx === args.maxBatches) break;
  }

  console.log(`Loss: ${loss.toFixed(6)} after ${batchIdx} batches`);
  console.log("==> Learned function:\t" + polyDesc(fc.weight.view(-1), fc.bias!));
  console.log("==> Actual function:\t" + polyDesc(W_target.view(-1), b_target));
  return {
    losses,
    learned: polyDesc(fc.weight.view(-1), fc.bias!),
    actual: polyDesc(W_target.view(-1), b_target),
    weight: fc.weight.view(-1).toArray() as number[],
    bias: fc.bias!.toArray() as number[],
  };
}

if (isMainModule(import.meta.url)) main(parseCommandLine(defaults));
