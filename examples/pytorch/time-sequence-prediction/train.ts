// pytorch/examples' time_sequence_prediction/train.py, ported line by line: two LSTMCells and a
// Linear in float64 learn sine waves from traindata.pt (generate-sine-wave.ts, or the Python
// original's numpy file: torch.load reads pickled numpy arrays as tensors), trained by LBFGS with
// a closure, then predict `future` samples past each test wave. Only the README's mechanical
// changes, plus: torch.from_numpy dropped (torch.load already gives a tensor), no matplotlib plot,
// --future / --data flags, and a returned log of every closure's loss (the test compares them
// with the Python twin, scripts/fixtures/examples/time_sequence_prediction.py).
//
//   npx tsx examples/pytorch/time-sequence-prediction/generate-sine-wave.ts --length 200 --waves 20
//   npx tsx examples/pytorch/time-sequence-prediction/train.ts --steps 3 --future 100
//
// (Inside this repository the imports point at src/; an application imports "pystematic/torch".)
import { nn, optim, torch } from "../../../src/torch-plugin/index.js";
import type { Tensor } from "../../../src/torch-plugin/index.js";
import { isMainModule, parseCommandLine } from "../command-line.js";

export class Sequence extends nn.Module {
  lstm1 = new nn.LSTMCell(1, 51);
  lstm2 = new nn.LSTMCell(51, 51);
  linear = new nn.Linear(51, 1);

  override forward(input: Tensor, future = 0): Tensor {
    const outputs: Tensor[] = [];
    let h_t = torch.zeros(input.size(0), 51, { dtype: "float64" });
    let c_t = torch.zeros(input.size(0), 51, { dtype: "float64" });
    let h_t2 = torch.zeros(input.size(0), 51, { dtype: "float64" });
    let c_t2 = torch.zeros(input.size(0), 51, { dtype: "float64" });

    let output!: Tensor;
    for (const input_t of input.split(1, { dim: 1 })) {
      [h_t, c_t] = this.lstm1.call(input_t, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2.call(h_t, [h_t2, c_t2]);
      output = this.linear.call(h_t2);
      outputs.push(output);
    }
    for (let i = 0; i < future; i++) {
      // if we should predict the future
      [h_t, c_t] = this.lstm1.call(output, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2.call(h_t, [h_t2, c_t2]);
      output = this.linear.call(h_t2);
      outputs.push(output);
    }
    return torch.cat(outputs, { dim: 1 });
  }
}

export const defaults = { steps: 15, future: 1000, data: "traindata.pt" };
export type Args = typeof defaults;

/** What the run printed: the loss of every closure call per step, each step's test loss. */
export interface Log {
  losses: number[][];
  testLosses: number[];
  predictionMeans: number[];
}

export function main(opt: Args): Log {
  const log: Log = { losses: [], testLosses: [], predictionMeans: [] };
  // set random seed to 0
  torch.manualSeed(0);
  // load data and make training set
  const data = torch.load(opt.data) as Tensor;
  const input = data.idx(["3:", ":-1"]);
  const target = data.idx(["3:", "1:"]);
  const testInput = data.idx([":3", ":-1"]);
  const testTarget = data.idx([":3", "1:"]);
  // build the model
  const seq = new Sequence();
  seq.double();
  const criterion = new nn.MSELoss();
  // use LBFGS as optimizer since we can load the whole data to train
  const optimizer = new optim.LBFGS(seq.parameters(), { lr: 0.8 });
  // begin to train
  for (let i = 0; i < opt.steps; i++) {
    console.log("STEP: ", i);
    const stepLosses: number[] = [];
    const closure = () => {
      optimizer.zeroGrad();
      const out = seq.call(input);
      const loss = criterion.call(out, target);
      console.log("loss:", loss.item());
      stepLosses.push(loss.item());
      loss.backward();
      return loss;
    };
    optimizer.step(closure);
    log.losses.push(stepLosses);
    // begin to predict, no need to track gradient here
    torch.noGrad(() => {
      const future = opt.future;
      const pred = seq.call(testInput, future);
      const loss = criterion.call(pred.idx([":", `:${-future}`]), testTarget);
      console.log("test loss:", loss.item());
      log.testLosses.push(loss.item());
      log.predictionMeans.push(pred.idx([":", `${-future}:`]).mean().item());
    });
    // the plot of the predictions (matplotlib): not ported
  }
  return log;
}

if (isMainModule(import.meta.url)) main(parseCommandLine(defaults));
