"""Continue meta-training the exported model, on one process or many (torchrun).

    python train.py --meta-steps 1000 --out continued/
    torchrun --nproc_per_node=4 train.py --meta-steps 1000 --out continued/
    torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --master_port=29500 \
        --nproc_per_node=4 train.py --meta-steps 1000 --out continued/

The algorithm and every setting come from adaptation.json (the card): MAML
(second order), first-order MAML, Meta-SGD, Reptile, ANIL or Prototypical
Networks, with the card's inner step size, inner steps, meta-batch, meta
learning rate and meta-optimizer; flags override the batch, steps, rate and
seed. Tasks: the built-in families are drawn fresh here (sinusoid, linear,
blobs: the same distributions as the app's); a CSV session reads the CSV
(--data, default the file the card names) and encodes it with the card's
normalization.

Distribution (torch.distributed, as learn2learn's distributed MAML example
does it): every process draws the same meta-batch from the same seed, takes
its own contiguous share of the tasks, and computes the meta-gradient of its
share of the mean query loss; an all-reduce (sum) gives every process the
meta-gradient of the whole batch, so each takes the same optimizer step and
the weights stay identical. gloo on CPU, nccl on GPUs. The loss printed is
the whole batch's, whatever the number of processes.

Writes OUT/model.safetensors (and inner_lr.safetensors for Meta-SGD) and
OUT/adaptation.json with the new step count, plus the other files of this
folder, so OUT is a folder like this one. Needs torch and numpy only.
"""
import argparse
import csv
import json
import math
import os
import shutil
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from model import functional_forward, load_model, mean_loss, param_names, write_safetensors
from adapt import encode_inputs, prototypes, proto_logits

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPORTED = ("maml", "fomaml", "metasgd", "reptile", "anil", "protonet")


# ---- tasks ------------------------------------------------------------------

class Builtin:
    """The app's generated families, drawn from a numpy Generator."""

    def __init__(self, family, card):
        self.family = family
        self.kind = card["task"]["kind"]
        if family == "blobs":
            # a fixed pool of class centres, as the app's (its own draw of them)
            self.centres = np.random.default_rng(1).uniform(-5, 5, size=(60, 2))

    def sample(self, rng, k, q, n):
        if self.family == "sinusoid":
            a, phase = rng.uniform(0.1, 5.0), rng.uniform(0, math.pi)
            x = rng.uniform(-5, 5, size=(k + q, 1))
            y = a * np.sin(x - phase)
        elif self.family == "linear":
            d = 10
            w, b = rng.normal(size=d), rng.normal()
            x = rng.uniform(-1, 1, size=(k + q, d))
            y = (x @ w + b + 0.1 * rng.normal(size=k + q))[:, None]
        elif self.family == "blobs":
            classes = rng.choice(len(self.centres), size=n, replace=False)
            xs = [self.centres[c] + 0.3 * rng.normal(size=(k + q, 2)) for c in classes]
            return _class_task(xs, k)
        else:
            raise SystemExit(f"the {self.family} family is not reproduced here: pass a CSV with --data")
        return _task(x[:k], y[:k], x[k:], y[k:])


class CsvTasks:
    """A CSV session's tasks, encoded with the card's normalization."""

    def __init__(self, path, card):
        self.card = card
        schema = card["data"]["schema"]
        self.kind = card["task"]["kind"]
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        split = schema.get("splitColumn")
        if split:
            # the meta-train tasks only, when the file says which they are
            rows = [r for r in rows if (r.get(split) or "").strip().lower() == "train"]
        x = encode_inputs(card, rows, path).numpy()
        target = schema["target"]
        task_col = schema.get("taskColumn")
        groups = {}
        for i, r in enumerate(rows):
            groups.setdefault(r.get(task_col, "") if task_col else "", []).append(i)
        if self.kind == "regression":
            t = card["target"]
            y = np.array([[(float(r[target]) - t["mean"]) / t["std"]] for r in rows], dtype=np.float32)
            self.tasks = [(x[ix], y[ix]) for ix in groups.values()]
        else:
            # per task: its classes; episodic (no task column): one pool of classes
            self.tasks = []
            for ix in groups.values():
                by_label = {}
                for i in ix:
                    by_label.setdefault(rows[i][target].strip(), []).append(i)
                self.tasks.append([x[v] for _, v in sorted(by_label.items())])

    def sample(self, rng, k, q, n):
        if self.kind == "regression":
            tx, ty = self.tasks[rng.integers(len(self.tasks))]
            take = rng.permutation(len(tx))[: k + q]
            if len(take) < k + 1:
                raise SystemExit(f"a task has {len(tx)} rows, fewer than K + 1 = {k + 1}")
            return _task(tx[take[:k]], ty[take[:k]], tx[take[k:]], ty[take[k:]])
        ok = [t for t in self.tasks if sum(len(c) >= k + 1 for c in t) >= n]
        if not ok:
            raise SystemExit(f"no task has {n} classes with K + 1 = {k + 1} examples each")
        classes = [c for c in ok[rng.integers(len(ok))] if len(c) >= k + 1]
        chosen = rng.choice(len(classes), size=n, replace=False)
        per = min(k + q, min(len(classes[c]) for c in chosen))
        return _class_task([classes[c][rng.permutation(len(classes[c]))[:per]] for c in chosen], k)


def _task(sx, sy, qx, qy):
    f = lambda a: torch.tensor(np.asarray(a), dtype=torch.float32)
    return f(sx), f(sy), f(qx), f(qy)


def _class_task(xs, k):
    """Class c gets label c; K support and the rest as queries per class."""
    sx = np.concatenate([x[:k] for x in xs])
    qx = np.concatenate([x[k:] for x in xs])
    sy = np.concatenate([[c] * k for c in range(len(xs))])
    qy = np.concatenate([[c] * (len(x) - k) for c, x in enumerate(xs)])
    t = lambda a, d: torch.tensor(np.asarray(a), dtype=d)
    return t(sx, torch.float32), t(sy, torch.long), t(qx, torch.float32), t(qy, torch.long)


# ---- one task's meta-objective ------------------------------------------------

def adapted_query_loss(alg, kind, theta, rates, lr, steps, task, n):
    """Query loss after `steps` inner steps, differentiable with respect to θ (and rates)."""
    sx, sy, qx, qy = task
    second = alg in ("maml", "metasgd", "anil")
    if alg == "protonet":
        emb_s, emb_q = functional_forward(theta, sx), functional_forward(theta, qx)
        return mean_loss("ce", proto_logits(emb_q, prototypes(emb_s, sy, n)), qy)
    if alg == "anil":
        fs = functional_forward(theta, sx, embed_only=True)
        fq = functional_forward(theta, qx, embed_only=True)
        head = list(theta[-2:])
        for _ in range(steps):
            g = torch.autograd.grad(mean_loss(kind, F.linear(fs, *head), sy), head, create_graph=True)
            head = [p - lr * gi for p, gi in zip(head, g)]
        return mean_loss(kind, F.linear(fq, *head), qy)
    fast = list(theta)
    for _ in range(steps):
        g = torch.autograd.grad(mean_loss(kind, functional_forward(fast, sx), sy), fast, create_graph=second)
        rate = rates if rates is not None else [lr] * len(fast)
        fast = [p - r * gi for p, r, gi in zip(fast, rate, g)]
    return mean_loss(kind, functional_forward(fast, qx), qy)


def reptile_direction(kind, theta, lr, steps, task):
    """(θ' − θ after `steps` SGD steps on the support set, the query loss after them)."""
    sx, sy, qx, qy = task
    fast = [p.detach().clone().requires_grad_(True) for p in theta]
    for _ in range(max(1, steps)):
        g = torch.autograd.grad(mean_loss(kind, functional_forward(fast, sx), sy), fast)
        fast = [(p - lr * gi).detach().requires_grad_(True) for p, gi in zip(fast, g)]
    with torch.no_grad():
        loss = mean_loss(kind, functional_forward(fast, qx), qy)
        return [f - p for f, p in zip(fast, theta)], loss


# ---- the loop -----------------------------------------------------------------

def meta_optimizer(card, theta, rates, meta_lr):
    t = card["training"]
    wd = t["weightDecay"]
    groups = [{"params": theta, "weight_decay": wd}]
    if rates is not None:
        groups.append({"params": rates, "weight_decay": 0.0})  # learned step sizes are not decayed
    name = t["metaOptimizer"]
    if name == "adam":
        # tfjs's epsilon on float32 backends
        return torch.optim.Adam(groups, lr=meta_lr, eps=1e-7)
    if name == "adagrad":
        return torch.optim.Adagrad(groups, lr=meta_lr, initial_accumulator_value=0.1, eps=1e-7)
    return torch.optim.SGD(groups, lr=meta_lr, momentum=0.9)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Continue meta-training the exported model (torchrun-ready).")
    ap.add_argument("--meta-steps", type=int, default=1000)
    ap.add_argument("--meta-batch", type=int, help="tasks per meta-update (default: the card's)")
    ap.add_argument("--meta-lr", type=float, help="meta learning rate (default: the card's)")
    ap.add_argument("--seed", type=int, help="task sampling seed (default: the card's)")
    ap.add_argument("--data", help="CSV of a CSV session (default: the file the card names)")
    ap.add_argument("--model", default=HERE, help="folder with adaptation.json and the weights")
    ap.add_argument("--out", help="folder to write the continued model to (rank 0)")
    ap.add_argument("--log-every", type=int, default=1, help="print the loss every n meta-steps")
    a = ap.parse_args(argv)

    distributed = "WORLD_SIZE" in os.environ
    if distributed:
        dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
    else:
        rank, world = 0, 1
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if torch.cuda.is_available() else "cpu")

    card, net, rates0 = load_model(a.model)
    alg = card["algorithm"]
    if alg not in SUPPORTED:
        raise SystemExit(f"train.py continues {', '.join(SUPPORTED)}; this model is {alg}")
    ad, task, tr = card["adaptation"], card["task"], card["training"]
    if ad.get("stepRates"):
        # adapt.py uses the table; meta-learning it here is not written yet
        raise SystemExit("train.py does not continue MAML++ per-step rates yet (adapt.py uses them)")
    kind = "mse" if task["kind"] == "regression" else "ce"
    k, q, n = task["shots"], task["queries"], task["ways"] or 1
    B = a.meta_batch or tr["metaBatch"]
    meta_lr = a.meta_lr or tr["metaLr"]
    data = card["data"]
    if data["source"] == "builtin":
        tasks = Builtin(data["family"], card)
    elif data["source"] == "csv":
        tasks = CsvTasks(a.data or data["name"], card)
    else:
        raise SystemExit("image sessions are not continued here yet")

    theta = [p.detach().clone().to(device).requires_grad_(True) for p in net.parameters()]
    rates = [r.clone().to(device).requires_grad_(True) for r in rates0] if rates0 is not None else None
    meta = theta + (rates or [])
    opt = None if alg == "reptile" else meta_optimizer(card, theta, rates, meta_lr)
    sched = None
    if opt is not None and tr["cosineSchedule"]:
        total = a.meta_steps
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda t: 0.5 * (1 + math.cos(math.pi * min(1.0, t / max(1, total)))))
    rng = np.random.default_rng(a.seed if a.seed is not None else tr["seed"])
    # this process's contiguous share of every meta-batch
    lo, hi = rank * B // world, (rank + 1) * B // world

    if rank == 0:
        backend = dist.get_backend() if distributed else "none"
        print(json.dumps({"processes": world, "backend": backend, "tasksPerProcess": hi - lo}), flush=True)
    for step in range(1, a.meta_steps + 1):
        batch = [tasks.sample(rng, k, q, n) for _ in range(B)]  # the same draw on every process
        mine = [tuple(t.to(device) for t in tk) for tk in batch[lo:hi]]
        loss = torch.zeros((), device=device)
        if alg == "reptile":
            direction = [torch.zeros_like(p) for p in theta]
            for tk in mine:
                d, l = reptile_direction(kind, theta, ad["innerLr"], tr["innerSteps"], tk)
                direction = [x + y / B for x, y in zip(direction, d)]
                loss = loss + l.detach() / B
            flat = direction
        else:
            for p in meta:
                p.grad = None
            for tk in mine:
                l = adapted_query_loss(alg, kind, theta, rates, ad["innerLr"], tr["innerSteps"], tk, n) / B
                l.backward()
                loss = loss + l.detach()
            flat = [p.grad if p.grad is not None else torch.zeros_like(p) for p in meta]
        if distributed:
            for g in flat + [loss]:
                dist.all_reduce(g, op=dist.ReduceOp.SUM)
        if alg == "reptile":
            with torch.no_grad():
                for p, d in zip(theta, flat):
                    p.add_(meta_lr * d)
        else:
            for p, g in zip(meta, flat):
                p.grad = g
            opt.step()
            if sched is not None:
                sched.step()
        if rank == 0 and (step % a.log_every == 0 or step == a.meta_steps):
            print(json.dumps({"step": step, "loss": float(loss)}), flush=True)

    if rank == 0 and a.out:
        save(a.model, a.out, card, theta, rates, a.meta_steps)
    if distributed:
        dist.destroy_process_group()


def save(src, out, card, theta, rates, steps):
    os.makedirs(out, exist_ok=True)
    names = param_names(card["model"]["layers"])
    write_safetensors(os.path.join(out, card["model"]["weights"]), dict(zip(names, theta)))
    if rates is not None:
        write_safetensors(os.path.join(out, card["adaptation"]["learnedInnerLr"]["file"]), dict(zip(names, rates)))
    card["training"]["stepsDone"] = card["training"].get("stepsDone", 0) + steps
    card["training"]["continuedInPyTorch"] = card["training"].get("continuedInPyTorch", 0) + steps
    card["evaluation"] = None  # the weights changed: the recorded results no longer describe them
    with open(os.path.join(out, "adaptation.json"), "w", encoding="utf-8") as f:
        json.dump(card, f, indent=2)
    if os.path.abspath(out) != os.path.abspath(src):
        for name in ("model.py", "adapt.py", "train.py", "README.md"):
            if os.path.exists(os.path.join(src, name)):
                shutil.copy(os.path.join(src, name), os.path.join(out, name))


if __name__ == "__main__":
    main()
