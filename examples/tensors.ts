// A first look at tensors and autograd: fit y = 3x - 2 by gradient descent.
import torch from "pystematic/torch";

torch.manualSeed(0);
const x = torch.linspace(-1, 1, 64).reshape([64, 1]);
const y = x.mul(3).sub(2).add(torch.randn([64, 1]).mul(0.1));

const w = torch.zeros([1, 1], { requiresGrad: true });
const b = torch.zeros([1], { requiresGrad: true });

for (let step = 0; step <= 200; step++) {
  const loss = torch.tidy(() => {
    const err = x.matmul(w).add(b).sub(y);
    const loss = err.mul(err).mean();
    loss.backward();
    torch.noGrad(() => {
      w.sub_(w.grad!.mul(0.5));
      b.sub_(b.grad!.mul(0.5));
    });
    w.grad = undefined;
    b.grad = undefined;
    return loss.item();
  });
  if (step % 50 === 0) console.log(`step ${step}: loss ${loss.toFixed(5)}`);
}
console.log(`w = ${w.item().toFixed(3)} (true 3), b = ${b.item().toFixed(3)} (true -2)`);
console.log(torch.tensor([[1.5, 2], [3, 4]]).toString());
