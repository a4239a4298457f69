// The pytorch/examples ports run as scripts, as their headers say (`npx tsx examples/pytorch/...`),
// with the original programs' flags, at tiny sizes; an unknown flag is refused.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pytorch-examples-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function runScript(script: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join("examples/pytorch", script), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

async function assertRuns(script: string, args: string[], expected: RegExp): Promise<void> {
  const { code, out } = await runScript(script, args);
  assert.equal(code, 0, out);
  assert.match(out, expected);
}

test("mnist.ts", () => assertRuns("mnist.ts", ["--epochs", "1", "--batch-size", "16", "--train-size", "32", "--test-size", "20"], /Test set: Average loss: \d+\.\d{4}, Accuracy: \d+\/20/));

test("vae.ts", () => assertRuns("vae.ts", ["--epochs", "1", "--batch-size", "32", "--train-size", "64", "--test-size", "32"], /====> Test set loss: \d+\.\d{4}/));

test("dcgan.ts writes its checkpoints to --outf", async () => {
  const args = ["--niter", "1", "--batchSize", "4", "--nz", "8", "--ngf", "4", "--ndf", "4", "--datasetSize", "8", "--outf", scratch];
  await assertRuns("dcgan.ts", args, /\[0\/1\]\[1\/2\] Loss_D: \d+\.\d{4} Loss_G/);
  assert.ok(existsSync(join(scratch, "netG_epoch_0.pth")) && existsSync(join(scratch, "netD_epoch_0.pth")));
});

test("regression.ts", () => assertRuns("regression.ts", ["--max-batches", "5"], /Loss: \d+\.\d{6} after 5 batches\n==> Learned function:\ty = [+-]\d+\.\d\d x\^1 /));

test("time-sequence-prediction: generate-sine-wave.ts, then train.ts on its file", async () => {
  const data = join(scratch, "traindata.pt");
  await assertRuns("time-sequence-prediction/generate-sine-wave.ts", ["--length", "30", "--waves", "5", "--output", data], /^$/);
  await assertRuns("time-sequence-prediction/train.ts", ["--steps", "1", "--future", "5", "--data", data], /STEP: {2}0\n(loss: \S+\n)+test loss: \S+/);
});

test("word-language-model/main.ts", () =>
  assertRuns(
    "word-language-model/main.ts",
    ["--epochs", "1", "--emsize", "8", "--nhid", "8", "--bptt", "50", "--batch_size", "20", "--save", join(scratch, "model.pt")],
    /\| End of training \| test loss +\d+\.\d\d \| test ppl/,
  ));

test("word-language-model/main.ts --model Transformer", () =>
  assertRuns(
    "word-language-model/main.ts",
    ["--model", "Transformer", "--epochs", "1", "--emsize", "8", "--nhid", "8", "--bptt", "50", "--lr", "2", "--save", join(scratch, "transformer.pt")],
    /\| End of training \| test loss +\d+\.\d\d \| test ppl/,
  ));

test("an unknown flag is refused", async () => {
  const { code, out } = await runScript("regression.ts", ["--max-batch", "5"]);
  assert.notEqual(code, 0);
  assert.match(out, /Unknown option '--max-batch'/);
});
