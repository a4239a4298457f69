// pytorch/examples' word_language_model/main.py, ported line by line: a language model (RNNModel
// with an LSTM, GRU or RNN, or the TransformerModel) trained on a text corpus with truncated
// backpropagation through time, clip_grad_norm_ and plain SGD through `p.data`, the learning rate
// divided by 4 when the validation loss stops improving. The corpus is the generated one in data/
// (generate-corpus.ts; the original reads Wikitext-2). Only the README's mechanical changes, plus:
// no accelerator flags (the CPU), the best model kept as a state dict (main.py pickles the whole
// module), no ONNX export, no --use-optimizer / --dry-run / --log-interval, and a returned log of
// the losses (the test compares them with the Python twin,
// scripts/fixtures/examples/word_language_model.py).
//
//   npx tsx examples/pytorch/word-language-model/main.ts --epochs 2 --emsize 32 --nhid 32
//
// (Inside this repository the imports point at src/; an application imports "pystematic/torch".)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nn, torch } from "../../../src/torch-plugin/index.js";
import type { Tensor, nn as nnTypes } from "../../../src/torch-plugin/index.js";
import { isMainModule, parseCommandLine } from "../command-line.js";
import { Corpus } from "./data.js";
import { RNNModel, TransformerModel, type Hidden, type RNNType } from "./model.js";

export const defaults = {
  data: fileURLToPath(new URL("data", import.meta.url)),
  model: "LSTM",
  emsize: 200,
  nhid: 200,
  nlayers: 2,
  lr: 20,
  clip: 0.25,
  epochs: 40,
  batchSize: 20,
  bptt: 35,
  dropout: 0.2,
  tied: false,
  seed: 1111,
  save: "",
  nhead: 2,
};
export type Args = typeof defaults;

/** What the run printed, as numbers: each batch's loss, each epoch's validation loss and lr, the test loss. */
export interface Log {
  losses: number[];
  valLosses: number[];
  lrs: number[];
  testLoss: number;
}

export function main(args: Args): Log {
  const log: Log = { losses: [], valLosses: [], lrs: [], testLoss: NaN };
  // Set the random seed manually for reproducibility.
  torch.manualSeed(args.seed);

  ///////////////////////////////////////////////////////////////////////////////
  // Load data
  ///////////////////////////////////////////////////////////////////////////////

  const corpus = new Corpus(args.data);

  // Starting from sequential data, batchify arranges the dataset into columns.
  // For instance, with the alphabet as the sequence and batch size 4, we'd get
  // ┌ a g m s ┐
  // │ b h n t │
  // │ c i o u │
  // │ d j p v │
  // │ e k q w │
  // └ f l r x ┘.
  // These columns are treated as independent by the model, which means that the
  // dependence of e. g. 'g' on 'f' can not be learned, but allows more efficient
  // batch processing.
  function batchify(data: Tensor, bsz: number): Tensor {
    // Work out how cleanly we can divide the dataset into bsz parts.
    const nbatch = Math.floor(data.size(0) / bsz);
    // Trim off any extra elements that wouldn't cleanly fit (remainders).
    data = data.narrow(0, 0, nbatch * bsz);
    // Evenly divide the data across the bsz batches.
    data = data.view(bsz, -1).t().contiguous();
    return data;
  }

  const evalBatchSize = 10;
  const trainData = batchify(corpus.train, args.batchSize);
  const valData = batchify(corpus.valid, evalBatchSize);
  const testData = batchify(corpus.test, evalBatchSize);

  ///////////////////////////////////////////////////////////////////////////////
  // Build the model
  ///////////////////////////////////////////////////////////////////////////////

  const ntokens = corpus.dictionary.length;
  let model: RNNModel | TransformerModel;
  if (args.model === "Transformer") {
    model = new TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout);
  } else {
    model = new RNNModel(args.model as RNNType, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied);
  }

  const criterion = new nn.NLLLoss();

  ///////////////////////////////////////////////////////////////////////////////
  // Training code
  ///////////////////////////////////////////////////////////////////////////////

  /** Wraps hidden states in new Tensors, to detach them from their history. */
  function repackageHidden(h: Hidden): Hidden {
    if (h instanceof torch.Tensor) {
      return h.detach();
    } else {
      return h.map((v) => repackageHidden(v)) as Hidden;
    }
  }

  // getBatch subdivides the source data into chunks of length args.bptt.
  // If source is equal to the example output of the batchify function, with
  // a bptt-limit of 2, we'd get the following two Variables for i = 0:
  // ┌ a g m s ┐ ┌ b h n t ┐
  // └ b h n t ┘ └ c i o u ┘
  // Note that despite the name of the function, the subdivison of data is not
  // done along the batch dimension (i.e. dimension 1), since that was handled
  // by the batchify function. The chunks are along dimension 0, corresponding
  // to the seq_len dimension in the LSTM.
  function getBatch(source: Tensor, i: number): [Tensor, Tensor] {
    const seqLen = Math.min(args.bptt, source.size(0) - 1 - i);
    const data = source.idx(`${i}:${i + seqLen}`);
    const target = source.idx(`${i + 1}:${i + 1 + seqLen}`).view(-1);
    return [data, target];
  }

  function evaluate(dataSource: Tensor): number {
    // Turn on evaluation mode which disables dropout.
    model.eval();
    let totalLoss = 0;
    let hidden!: Hidden;
    if (model instanceof RNNModel) {
      hidden = model.initHidden(evalBatchSize);
    }
    torch.noGrad(() => {
      for (let i = 0; i < dataSource.size(0) - 1; i += args.bptt) {
        const [data, targets] = getBatch(dataSource, i);
        let output: Tensor;
        if (model instanceof TransformerModel) {
          output = model.call(data);
          output = output.view(-1, ntokens);
        } else {
          [output, hidden] = model.call(data, hidden);
          hidden = repackageHidden(hidden);
        }
        totalLoss += data.size(0) * criterion.call(output, targets).item();
      }
    });
    return totalLoss / (dataSource.size(0) - 1);
  }

  function train(): void {
    // Turn on training mode which enables dropout.
    model.train();
    let hidden!: Hidden;
    if (model instanceof RNNModel) {
      hidden = model.initHidden(args.batchSize);
    }
    for (let i = 0; i < trainData.size(0) - 1; i += args.bptt) {
      const [data, targets] = getBatch(trainData, i);
      // Starting each batch, we detach the hidden state from how it was previously produced.
      // If we didn't, the model would try backpropagating all the way to start of the dataset.
      model.zeroGrad();
      let output: Tensor;
      if (model instanceof TransformerModel) {
        output = model.call(data);
        output = output.view(-1, ntokens);
      } else {
        hidden = repackageHidden(hidden);
        [output, hidden] = model.call(data, hidden);
      }
      const loss = criterion.call(output, targets);
      loss.backward();

      // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
      nn.utils.clipGradNorm_(model.parameters(), args.clip);
      for (const p of model.parameters()) {
        p.data.add_(p.grad!, { alpha: -lr });
      }

      log.losses.push(loss.item());
    }
  }

  // Loop over epochs.
  let lr = args.lr;
  let bestValLoss: number | null = null;
  const scratch = args.save ? null : mkdtempSync(join(tmpdir(), "word-language-model-"));
  const save = args.save || join(scratch!, "model.pt");
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    log.lrs.push(lr);
    train();
    const valLoss = evaluate(valData);
    log.valLosses.push(valLoss);
    console.log("-".repeat(89));
    console.log(`| end of epoch ${String(epoch).padStart(3)} | valid loss ${valLoss.toFixed(2).padStart(5)} | valid ppl ${Math.exp(valLoss).toFixed(2).padStart(8)}`);
    console.log("-".repeat(89));
    // Save the model if the validation loss is the best we've seen so far.
    if (!bestValLoss || valLoss < bestValLoss) {
      torch.save(model.stateDict(), save);
      bestValLoss = valLoss;
    } else {
      // Anneal the learning rate if no improvement has been seen in the validation dataset.
      lr /= 4.0;
    }
  }

  // Load the best saved model.
  model.loadStateDict(torch.load(save) as nnTypes.StateDict);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  // main.py calls model.rnn.flatten_parameters() here: cuDNN's weight layout, nothing to do on
  // the CPU, and not in our recurrent layers yet.

  // Run on test data.
  const testLoss = evaluate(testData);
  log.testLoss = testLoss;
  console.log("=".repeat(89));
  console.log(`| End of training | test loss ${testLoss.toFixed(2).padStart(5)} | test ppl ${Math.exp(testLoss).toFixed(2).padStart(8)}`);
  console.log("=".repeat(89));
  return log;
}

if (isMainModule(import.meta.url)) main(parseCommandLine(defaults, { batchSize: "batch_size" }));
