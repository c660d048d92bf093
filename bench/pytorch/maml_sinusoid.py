"""PyTorch reference for issue 7, measured on the machine that runs the browser bench.

MAML on the sinusoid settings of the paper (meta-batch 25, K = 10 support and
10 query points, one inner step α = 0.01, MLP 1-40-40-1 ReLU, Adam 1e-3), on
one CPU thread, second order and first order, two ways:

- loop: one task at a time, the inner step taken with autograd.grad on a
  functional copy of the weights (what learn2learn's clone() amounts to);
- batched: the 25 tasks as one computation with task-batched weights (bmm).

Prints one JSON object: meta-steps/s per (order, layout). Used by
`npm run bench:browser` (bench/browser-bench.ts) so the ratio to PyTorch is
measured in the same run, on the same machine state, as the browser figures.
Debian: `apt-get install python3-torch` (1.13.1, the version of the issue).
"""

import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
B, K, Q, ALPHA = 25, 10, 10, 0.01


def tasks(gen):
    amp = torch.rand(B, 1, 1, generator=gen) * 4.9 + 0.1
    phase = torch.rand(B, 1, 1, generator=gen) * math.pi
    x = torch.rand(B, K + Q, 1, generator=gen) * 10 - 5
    y = amp * torch.sin(x - phase)
    return x[:, :K], y[:, :K], x[:, K:], y[:, K:]


def init_params(gen):
    sizes = [1, 40, 40, 1]
    params = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        bound = math.sqrt(3.0 / i)
        params.append((torch.rand(i, o, generator=gen) * 2 - 1) * bound)
        params.append(torch.zeros(o))
    return [p.requires_grad_() for p in params]


def forward(params, x):
    """x [n, 1] with shared weights, or x [B, n, 1] with weights [B, i, o]."""
    h = x
    last = len(params) // 2 - 1
    for layer in range(last + 1):
        w, b = params[2 * layer], params[2 * layer + 1]
        h = (torch.bmm(h, w) + b.unsqueeze(1)) if w.dim() == 3 else h @ w + b
        if layer < last:
            h = torch.relu(h)
    return h


def loop_step(params, opt, batch, second_order):
    sx, sy, qx, qy = batch
    opt.zero_grad()
    total = 0.0
    for b in range(B):
        support = ((forward(params, sx[b]) - sy[b]) ** 2).mean()
        grads = torch.autograd.grad(support, params, create_graph=second_order)
        fast = [p - ALPHA * g for p, g in zip(params, grads)]
        query = ((forward(fast, qx[b]) - qy[b]) ** 2).mean() / B
        query.backward()
        total += query.item()
    opt.step()
    return total


def batched_step(params, opt, batch, second_order):
    sx, sy, qx, qy = batch
    opt.zero_grad()
    tiled = [p.unsqueeze(0).expand(B, *p.shape) for p in params]
    support = ((forward(tiled, sx) - sy) ** 2).mean(dim=(1, 2)).sum()
    grads = torch.autograd.grad(support, tiled, create_graph=second_order)
    fast = [p - ALPHA * g for p, g in zip(tiled, grads)]
    query = ((forward(fast, qx) - qy) ** 2).mean()
    query.backward()
    opt.step()
    return query.item()


def measure(step, second_order, seconds):
    gen = torch.Generator().manual_seed(1)
    params = init_params(gen)
    opt = torch.optim.Adam(params, lr=1e-3)
    batches = [tasks(gen) for _ in range(8)]
    for i in range(5):
        step(params, opt, batches[i % 8], second_order)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or n < 3:
        step(params, opt, batches[n % 8], second_order)
        n += 1
    return n / (time.perf_counter() - t0)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "stepsPerSec": {}}
    for name, second_order in (("maml", True), ("fomaml", False)):
        out["stepsPerSec"][name] = {
            "loop": measure(loop_step, second_order, seconds),
            "batched": measure(batched_step, second_order, seconds),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
