// Writes the small text corpus the word_language_model port trains on (data/train.txt, valid.txt,
// test.txt; pytorch/examples reads Wikitext-2 there): sentences of a tiny English grammar drawn by
// a seeded mulberry32 generator, so the files are the same on every machine. The committed files
// come from this script; the Python twin (scripts/fixtures/examples/word_language_model.py) reads
// them too.
//
//   npx tsx examples/pytorch/word-language-model/generate-corpus.ts [--seed 1] [--train-lines 400]
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const SUBJECTS = ["the cat", "a dog", "the old man", "my sister", "the teacher", "a small bird", "the farmer", "our neighbour"];
const VERBS = ["sees", "likes", "follows", "paints", "finds", "carries", "remembers", "watches"];
const OBJECTS = ["the red ball", "a green tree", "the river", "an empty box", "the tall house", "a quiet garden", "the long road", "a wooden chair"];
const ENDINGS = ["", "in the morning", "at night", "every day", "with care", "near the sea"];
const CONJUNCTIONS = ["and", "but", "because", "while"];

/** mulberry32: a small seeded generator of floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentences(random: () => number, lines: number): string {
  const pick = (words: readonly string[]) => words[Math.floor(random() * words.length)]!;
  const clause = () => [pick(SUBJECTS), pick(VERBS), pick(OBJECTS), pick(ENDINGS)].filter((w) => w !== "").join(" ");
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(random() < 0.3 ? ` ${clause()} ${pick(CONJUNCTIONS)} ${clause()} . ` : ` ${clause()} . `);
  }
  return out.join("\n") + "\n";
}

export function generateCorpus(directory: string, seed = 1, trainLines = 400): void {
  const random = mulberry32(seed);
  const sizes = { train: trainLines, valid: Math.ceil(trainLines / 8), test: Math.ceil(trainLines / 8) };
  for (const [split, lines] of Object.entries(sizes)) {
    const path = join(directory, `${split}.txt`);
    writeFileSync(`${path}.tmp`, sentences(random, lines));
    renameSync(`${path}.tmp`, path);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seed: { type: "string", default: "1" }, "train-lines": { type: "string", default: "400" } } });
  generateCorpus(fileURLToPath(new URL("data", import.meta.url)), Number(values.seed), Number(values["train-lines"]));
}
