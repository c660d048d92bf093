"""PyTorch reference for the image cases of issue 13 (item 7) and issue 16 (item 4).

The same workload as the browser bench's Conv-4 cases (src/bench/measure.ts,
src/core/models/conv4.ts): four blocks of 3x3 convolution (no bias, 'same'
padding), batch norm with the statistics of the current forward pass (the
few-shot kind: no running averages), ReLU and 2x2 max-pool, on 28x28
grayscale episodes of uniform noise (a step costs the same whatever the
pixels); one CPU thread, like tfjs's WASM backend here.

- protonet: support and query embedded in two forward passes (each with its
  own batch statistics, as the app does), prototypes, squared distances,
  cross-entropy, Adam 1e-3; meta-batch episodes one after another.
- fomaml: per task one SGD step on the support loss (inner lr 0.4), the
  query loss's gradient at the adapted weights (first order), averaged over
  the meta-batch, Adam.
- reptile: per task the inner steps, then the weights move towards the mean
  adapted weights.

Usage: conv4_omniglot.py SECONDS CASES_JSON, CASES_JSON a list of
{"algorithm", "metaBatch", "ways", "shots", "queries", "filters"}. Prints one
JSON object: episodes/s per case, keyed as src/bench/cases.ts's
pytorchImageKey. Used by `npm run bench:browser` (bench/browser-bench.ts).
"""

import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
INNER_LR = 0.4
SIDE = 28


def init_params(filters, out, gen):
    params = []
    cin = 1
    for _ in range(4):
        bound = (6.0 / (9 * cin)) ** 0.5
        params.append((torch.rand(filters, cin, 3, 3, generator=gen) * 2 - 1) * bound)
        params.append(torch.ones(filters))
        params.append(torch.zeros(filters))
        cin = filters
    if out > 0:
        bound = (6.0 / filters) ** 0.5
        params.append((torch.rand(out, filters, generator=gen) * 2 - 1) * bound)
        params.append(torch.zeros(out))
    return [p.requires_grad_() for p in params]


def embed(params, x):
    h = x
    for i in range(4):
        w, g, b = params[3 * i : 3 * i + 3]
        h = F.conv2d(h, w, padding=1)
        h = F.batch_norm(h, None, None, g, b, training=True)
        h = F.max_pool2d(F.relu(h), 2)
    return h.flatten(1)


def logits(params, x):
    return F.linear(embed(params, x), params[12], params[13])


def episode(case, gen):
    n, k, q = case["ways"], case["shots"], case["queries"]
    sx = torch.rand(n * k, 1, SIDE, SIDE, generator=gen)
    qx = torch.rand(n * q, 1, SIDE, SIDE, generator=gen)
    sy = torch.arange(n).repeat_interleave(k)
    qy = torch.arange(n).repeat_interleave(q)
    return sx, sy, qx, qy


def protonet_step(params, opt, tasks, case):
    opt.zero_grad()
    n = case["ways"]
    for sx, sy, qx, qy in tasks:
        es, eq = embed(params, sx), embed(params, qx)
        protos = torch.stack([es[sy == c].mean(0) for c in range(n)])
        loss = F.cross_entropy(-torch.cdist(eq, protos) ** 2, qy) / len(tasks)
        loss.backward()
    opt.step()


def adapt(params, sx, sy, steps):
    fast = params
    for _ in range(steps):
        g = torch.autograd.grad(F.cross_entropy(logits(fast, sx), sy), fast)
        fast = [(p - INNER_LR * gi).detach().requires_grad_() for p, gi in zip(fast, g)]
    return fast


def fomaml_step(params, opt, tasks, case):
    opt.zero_grad()
    for p in params:
        p.grad = torch.zeros_like(p)
    for sx, sy, qx, qy in tasks:
        fast = adapt(params, sx, sy, 1)
        g = torch.autograd.grad(F.cross_entropy(logits(fast, qx), qy), fast)
        for p, gi in zip(params, g):
            p.grad += gi / len(tasks)
    opt.step()


def reptile_step(params, opt, tasks, case):
    with torch.no_grad():
        delta = [torch.zeros_like(p) for p in params]
    for sx, sy, qx, qy in tasks:
        fast = adapt(params, sx, sy, 1)
        with torch.no_grad():
            for d, f, p in zip(delta, fast, params):
                d += (f - p) / len(tasks)
    with torch.no_grad():
        for p, d in zip(params, delta):
            p += 0.001 * d


STEPS = {"protonet": protonet_step, "fomaml": fomaml_step, "reptile": reptile_step}


def measure(case, seconds):
    gen = torch.Generator().manual_seed(1)
    out = 0 if case["algorithm"] == "protonet" else case["ways"]
    params = init_params(case["filters"], out, gen)
    opt = torch.optim.Adam(params, lr=1e-3)
    batches = [[episode(case, gen) for _ in range(case["metaBatch"])] for _ in range(4)]
    step = STEPS[case["algorithm"]]
    step(params, opt, batches[0], case)  # warm-up, as the browser cases do
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or n < 2:
        step(params, opt, batches[n % 4], case)
        n += 1
    return n * case["metaBatch"] / (time.perf_counter() - t0)


def key(c):
    return f"{c['algorithm']} B{c['metaBatch']} {c['ways']}w{c['shots']}s{c['queries']}q f{c['filters']}"


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    cases = json.loads(sys.argv[2]) if len(sys.argv) > 2 else [
        {"algorithm": "protonet", "metaBatch": 1, "ways": 5, "shots": 1, "queries": 5, "filters": 32}
    ]
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "episodesPerSec": {}}
    for c in cases:
        out["episodesPerSec"][key(c)] = measure(c, seconds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
