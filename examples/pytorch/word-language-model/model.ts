// pytorch/examples' word_language_model/model.py, ported line by line: RNNModel (an Embedding
// encoder, an LSTM / GRU / RNN, a Linear decoder, optionally tied to the encoder) and the
// TransformerModel (an nn.Transformer whose encoder reads embedded, position-encoded tokens under
// a causal mask, its decoder replaced by a Linear) with its PositionalEncoding.
import { nn, torch } from "../../../src/torch-plugin/index.js";
import type { Tensor } from "../../../src/torch-plugin/index.js";
const F = nn.functional;

/** An LSTM's (h, c) or a GRU's / RNN's h. */
export type Hidden = Tensor | [Tensor, Tensor];
/** Any of the recurrent layers, called as Python calls them: (input, hidden) -> (output, hidden). */
type Recurrent = nn.LSTM | nn.GRU | nn.RNN;
/** How RNNModel calls whichever it holds (each layer types its own hidden state). */
type RecurrentCall = { call(input: Tensor, hx: Hidden): [Tensor, Hidden] };
export type RNNType = "LSTM" | "GRU" | "RNN_TANH" | "RNN_RELU";

/** Container module with an encoder, a recurrent module, and a decoder. */
export class RNNModel extends nn.Module {
  ntoken: number;
  drop: nn.Dropout;
  encoder: nn.Embedding;
  rnn: Recurrent;
  decoder: nn.Linear;
  rnnType: RNNType;
  nhid: number;
  nlayers: number;

  constructor(rnnType: RNNType, ntoken: number, ninp: number, nhid: number, nlayers: number, dropout = 0.5, tieWeights = false) {
    super();
    this.ntoken = ntoken;
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    if (rnnType === "LSTM" || rnnType === "GRU") {
      this.rnn = new nn[rnnType](ninp, nhid, nlayers, { dropout });
    } else {
      const nonlinearity = { RNN_TANH: "tanh", RNN_RELU: "relu" }[rnnType];
      if (nonlinearity === undefined) {
        throw new Error(`An invalid option for \`--model\` was supplied,
                                 options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']`);
      }
      this.rnn = new nn.RNN(ninp, nhid, nlayers, { nonlinearity, dropout });
    }
    this.decoder = new nn.Linear(nhid, ntoken);

    // Optionally tie weights as in:
    // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
    // https://arxiv.org/abs/1608.05859
    // and
    // "Tying Word Vectors and Word Classifiers: A Loss Framework for Language Modeling" (Inan et al. 2016)
    // https://arxiv.org/abs/1611.01462
    if (tieWeights) {
      if (nhid !== ninp) throw new Error("When using the tied flag, nhid must be equal to emsize");
      this.decoder.weight = this.encoder.weight;
    }

    this.initWeights();

    this.rnnType = rnnType;
    this.nhid = nhid;
    this.nlayers = nlayers;
  }

  initWeights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  override forward(input: Tensor, hidden: Hidden): [Tensor, Hidden] {
    const emb = this.drop.call(this.encoder.call(input));
    let [output, newHidden] = (this.rnn as unknown as RecurrentCall).call(emb, hidden);
    output = this.drop.call(output);
    let decoded = this.decoder.call(output);
    decoded = decoded.view(-1, this.ntoken);
    return [F.logSoftmax(decoded, { dim: 1 }), newHidden];
  }

  initHidden(bsz: number): Hidden {
    const weight = this.parameters()[0]!;
    if (this.rnnType === "LSTM") {
      return [weight.newZeros(this.nlayers, bsz, this.nhid), weight.newZeros(this.nlayers, bsz, this.nhid)];
    } else {
      return weight.newZeros(this.nlayers, bsz, this.nhid);
    }
  }
}

/**
 * Inject some information about the relative or absolute position of the tokens in the sequence.
 * The positional encodings have the same dimension as the embeddings, so that the two can be
 * summed. Here, we use sine and cosine functions of different frequencies:
 * PosEncoder(pos, 2i) = sin(pos/10000^(2i/d_model)), PosEncoder(pos, 2i+1) = cos(pos/10000^(2i/d_model)),
 * where pos is the word position and i is the embed idx.
 *
 * dModel: the embed dim (required); dropout: the dropout value (default=0.1); maxLen: the max.
 * length of the incoming sequence (default=5000).
 */
export class PositionalEncoding extends nn.Module {
  dropout: nn.Dropout;
  declare pe: Tensor;

  constructor(dModel: number, dropout = 0.1, maxLen = 5000) {
    super();
    this.dropout = new nn.Dropout({ p: dropout });

    let pe = torch.zeros(maxLen, dModel);
    const position = torch.arange(0, maxLen, { dtype: torch.float }).unsqueeze(1);
    const divTerm = torch.exp(torch.arange(0, dModel, 2).float().mul(-Math.log(10000.0) / dModel));
    pe.idxPut_([":", "0::2"], torch.sin(position.mul(divTerm)));
    pe.idxPut_([":", "1::2"], torch.cos(position.mul(divTerm)));
    pe = pe.unsqueeze(0).transpose(0, 1);
    this.registerBuffer("pe", pe);
  }

  /** x: [sequence length, batch size, embed dim] -> output: [sequence length, batch size, embed dim] */
  override forward(x: Tensor): Tensor {
    x = x.add(this.pe.idx([`:${x.size(0)}`, ":"]));
    return this.dropout.call(x);
  }
}

/** Container module with an encoder, a recurrent or transformer module, and a decoder. */
export class TransformerModel extends nn.Transformer {
  declare encoder: nn.TransformerEncoder;
  declare decoder: nn.Linear;
  modelType: string;
  srcMask: Tensor | null;
  posEncoder: PositionalEncoding;
  inputEmb: nn.Embedding;
  ninp: number;

  constructor(ntoken: number, ninp: number, nhead: number, nhid: number, nlayers: number, dropout = 0.5) {
    super({ dModel: ninp, nhead, dimFeedforward: nhid, numEncoderLayers: nlayers });
    this.modelType = "Transformer";
    this.srcMask = null;
    this.posEncoder = new PositionalEncoding(ninp, dropout);

    this.inputEmb = new nn.Embedding(ntoken, ninp);
    this.ninp = ninp;
    this.decoder = new nn.Linear(ninp, ntoken);

    this.initWeights();
  }

  private generateSquareSubsequentMask(sz: number): Tensor {
    return torch.log(torch.tril(torch.ones(sz, sz)));
  }

  initWeights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.inputEmb.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  // @ts-expect-error: model.py overrides nn.Transformer's forward(src, tgt, ...) with another signature, which TypeScript refuses for an override
  override forward(src: Tensor, hasMask = true): Tensor {
    if (hasMask) {
      const device = src.device;
      if (this.srcMask === null || this.srcMask.size(0) !== src.size(0)) {
        const mask = this.generateSquareSubsequentMask(src.size(0)).to(device);
        this.srcMask = mask;
      }
    } else {
      this.srcMask = null;
    }

    src = this.inputEmb.call(src).mul(Math.sqrt(this.ninp));
    src = this.posEncoder.call(src);
    let output = this.encoder.call(src, { mask: this.srcMask });
    output = this.decoder.call(output);
    return F.logSoftmax(output, { dim: -1 });
  }
}
