// pytorch/examples' word_language_model/data.py, ported line by line: a Dictionary of the words
// seen and a Corpus of train / valid / test token ids, one `<eos>` per line.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { torch } from "../../../src/torch-plugin/index.js";
import type { Tensor } from "../../../src/torch-plugin/index.js";

export class Dictionary {
  word2idx = new Map<string, number>();
  idx2word: string[] = [];

  addWord(word: string): number {
    if (!this.word2idx.has(word)) {
      this.idx2word.push(word);
      this.word2idx.set(word, this.idx2word.length - 1);
    }
    return this.word2idx.get(word)!;
  }

  get length(): number {
    return this.idx2word.length;
  }
}

/** Python's iteration over a text file's lines (each with its newline, the last maybe without). */
function lines(path: string): string[] {
  return readFileSync(path, "utf8").split(/(?<=\n)/).filter((line) => line !== "");
}

/** Python's str.split(): runs of whitespace separate, none at either end. */
function splitWords(line: string): string[] {
  return line.split(/\s+/).filter((word) => word !== "");
}

export class Corpus {
  dictionary = new Dictionary();
  train: Tensor;
  valid: Tensor;
  test: Tensor;

  constructor(path: string) {
    this.train = this.tokenize(join(path, "train.txt"));
    this.valid = this.tokenize(join(path, "valid.txt"));
    this.test = this.tokenize(join(path, "test.txt"));
  }

  /** Tokenizes a text file. */
  tokenize(path: string): Tensor {
    if (!existsSync(path)) throw new Error(`no such file: ${path}`);
    // Add words to the dictionary
    for (const line of lines(path)) {
      const words = [...splitWords(line), "<eos>"];
      for (const word of words) this.dictionary.addWord(word);
    }

    // Tokenize file content
    const idss: Tensor[] = [];
    for (const line of lines(path)) {
      const words = [...splitWords(line), "<eos>"];
      const ids: number[] = [];
      for (const word of words) ids.push(this.dictionary.word2idx.get(word)!);
      idss.push(torch.tensor(ids).type(torch.int64));
    }
    return torch.cat(idss);
  }
}
