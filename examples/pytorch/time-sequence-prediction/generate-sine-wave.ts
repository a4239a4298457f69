// pytorch/examples' time_sequence_prediction/generate_sine_wave.py, ported: N sine waves of L
// samples with random phase shifts, saved to traindata.pt for train.ts. numpy's generator is not
// ported, so the shifts come from torch.randint under torch.manualSeed(2) (other numbers than
// np.random.seed(2)'s); the Python twin (scripts/fixtures/examples/time_sequence_prediction.py)
// runs the original with numpy, and the test trains on its file.
//
//   npx tsx examples/pytorch/time-sequence-prediction/generate-sine-wave.ts [--length 1000] [--waves 100]
//
// (Inside this repository the imports point at src/; an application imports "pystematic/torch".)
import { torch } from "../../../src/torch-plugin/index.js";
import { isMainModule, parseCommandLine } from "../command-line.js";

export function generateSineWave(path: string, T = 20, L = 1000, N = 100): void {
  torch.manualSeed(2);

  const x = torch.arange(L).add(torch.randint(-4 * T, 4 * T, [N]).view(N, 1));
  const data = torch.sin(x.to("float64").div(T)); // numpy's x / 1.0 / T: float64 division
  torch.save(data, path);
}

if (isMainModule(import.meta.url)) {
  const args = parseCommandLine({ output: "traindata.pt", length: 1000, waves: 100 });
  generateSineWave(args.output, 20, args.length, args.waves);
}
