"""Adapt the exported model to a new task and predict its queries.

    python adapt.py --support support.csv --query queries.csv --out predictions.csv

support.csv has the feature columns and the target column the card names
(adaptation.json: input.features, target.column); queries.csv has the
feature columns (a target column there is used only to print the query
loss). Inputs and targets are encoded as in training (the card's meta-train
means and standard deviations, one-hot categories); predictions come back in
the original units. The adaptation is the one the model was meta-trained
for: plain gradient descent on the support loss with the card's step size
(Meta-SGD: the learned per-weight rates; MAML++: the learned rate of each
step and weight tensor, adaptation.stepRates), all weights (MAML, Reptile,
baselines), the head only (ANIL), or the prototype classifier with its
encoder fine-tuned (Prototypical Networks).

--steps 1,5 writes the predictions after each of several step counts
(columns "prediction@1", "prediction@5", ...). Needs torch and numpy only.
"""
import argparse
import csv
import math
import os
import sys

import torch
import torch.nn.functional as F

from model import functional_forward, load_model, mean_loss

HERE = os.path.dirname(os.path.abspath(__file__))


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit(f"{path}: no rows")
    return rows


def _number(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return math.nan
    return v


def encode_inputs(card, rows, path):
    """Rows -> [n, inputDim] float32, exactly as the app encodes a new row."""
    feats = card["input"]["features"]
    missing = [e["column"] for e in feats if e["column"] not in rows[0]]
    if missing:
        raise SystemExit(f"{path}: missing feature column(s) {', '.join(missing)}")
    out = []
    for r in rows:
        x = []
        for e in feats:
            cell = (r.get(e["column"]) or "").strip()
            if e["type"] == "numeric":
                v = _number(cell)
                # a missing value is 0 after standardizing: the meta-train mean
                x.append(0.0 if math.isnan(v) else (v - e["mean"]) / e["std"])
            else:
                x.extend(1.0 if cell == c else 0.0 for c in e["categories"])
        out.append(x)
    return torch.tensor(out, dtype=torch.float32)


def encode_targets(card, rows, path, labels=None):
    """Regression: standardized [n, 1]; classification: class indices [n] and the label list."""
    t = card["target"]
    col = t["column"]
    if col not in rows[0]:
        raise SystemExit(f"{path}: no target column {col}")
    if card["task"]["kind"] == "regression":
        ys = [_number(r[col]) for r in rows]
        if any(math.isnan(v) for v in ys):
            raise SystemExit(f"{path}: column {col} must hold a number in every row")
        return torch.tensor([[(v - t["mean"]) / t["std"]] for v in ys], dtype=torch.float32), None
    cells = [(r[col] or "").strip() for r in rows]
    # classes in sorted order: the network's output c is the c-th label
    labels = labels or sorted(set(cells))
    index = {c: i for i, c in enumerate(labels)}
    return torch.tensor([index.get(c, -1) for c in cells], dtype=torch.long), labels


def prototypes(emb, y, n):
    one_hot = F.one_hot(y, n).to(emb.dtype)  # [k, n]
    return (one_hot.T @ emb) / one_hot.sum(0).unsqueeze(1)


def proto_logits(emb_q, protos):
    return -((emb_q.unsqueeze(1) - protos.unsqueeze(0)) ** 2).sum(-1)


class Adapter:
    """The card's adaptation procedure on one task's support set."""

    def __init__(self, card, params, rates, sx, sy, n_classes):
        self.style = card["adaptation"]["style"]
        self.kind = "mse" if card["task"]["kind"] == "regression" else "ce"
        self.lr = card["adaptation"]["innerLr"]
        self.rates = rates
        # MAML++: row s holds step s's rate per weight tensor; past the table, its last row
        self.step_rates = card["adaptation"].get("stepRates")
        self.taken = 0
        self.sx, self.sy, self.n = sx, sy, n_classes
        self.params = [p.detach().clone().requires_grad_(True) for p in params]
        if self.style == "head":
            # ANIL: the body is fixed, its features computed once; the head adapts
            with torch.no_grad():
                self.fs = functional_forward(self.params, sx, embed_only=True)
            self.body = self.params[:-2]

    def _trainable(self):
        return self.params[-2:] if self.style == "head" else self.params

    def support_loss(self):
        p = self.params
        if self.style == "head":
            return mean_loss(self.kind, F.linear(self.fs, p[-2], p[-1]), self.sy)
        if self.style == "protonet":
            emb = functional_forward(p, self.sx)
            return mean_loss("ce", proto_logits(emb, prototypes(emb, self.sy, self.n)), self.sy)
        return mean_loss(self.kind, functional_forward(p, self.sx), self.sy)

    def step(self):
        train = self._trainable()
        grads = torch.autograd.grad(self.support_loss(), train)
        offset = len(self.params) - len(train)
        new = []
        row = self.step_rates[min(self.taken, len(self.step_rates) - 1)] if self.step_rates else None
        for i, (p, g) in enumerate(zip(train, grads)):
            if self.rates is not None:
                rate = self.rates[offset + i]
            elif row is not None:
                rate = row[offset + i]
            else:
                rate = self.lr
            new.append((p - rate * g).detach().requires_grad_(True))
        self.params = self.params[:offset] + new
        self.taken += 1

    @torch.no_grad()
    def outputs(self, qx):
        p = self.params
        if self.style == "protonet":
            return proto_logits(functional_forward(p, qx), prototypes(functional_forward(p, self.sx), self.sy, self.n))
        if self.style == "head":
            return F.linear(functional_forward(p, qx, embed_only=True), p[-2], p[-1])
        return functional_forward(p, qx)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--support", required=True, help="CSV of the new task's labelled examples")
    ap.add_argument("--query", required=True, help="CSV of the examples to predict")
    ap.add_argument("--out", help="predictions CSV (default: stdout)")
    ap.add_argument("--steps", help="adaptation steps, or a comma-separated list (default: the card's)")
    ap.add_argument("--lr", type=float, help="inner learning rate (default: the card's; not for Meta-SGD)")
    ap.add_argument("--model", default=HERE, help="folder with adaptation.json and the weights")
    a = ap.parse_args(argv)

    card, net, rates = load_model(a.model)
    if a.lr is not None:
        if rates is not None:
            raise SystemExit("--lr does not apply: this model adapts with its learned per-weight rates")
        card["adaptation"]["innerLr"] = a.lr
        # one rate for every step, as --lr says, instead of MAML++'s table
        card["adaptation"]["stepRates"] = None
    steps = [int(s) for s in a.steps.split(",")] if a.steps else [card["adaptation"]["steps"]]
    if any(s < 0 for s in steps):
        raise SystemExit("--steps must be 0 or more")
    torch.set_grad_enabled(True)
    support, query = read_csv(a.support), read_csv(a.query)
    sx, sy_q = encode_inputs(card, support, a.support), None
    sy, labels = encode_targets(card, support, a.support)
    qx = encode_inputs(card, query, a.query)
    regression = labels is None
    n = len(labels) if labels else 0
    if not regression and card["adaptation"]["style"] != "protonet" and n > card["model"]["layers"][-1]:
        raise SystemExit(f"{a.support}: {n} classes but the model has {card['model']['layers'][-1]} outputs")
    if card["target"]["column"] in query[0]:
        sy_q = encode_targets(card, query, a.query, labels)[0]

    adapter = Adapter(card, [p for p in net.parameters()], rates, sx, sy, n)
    columns, report = {}, []
    for s in range(max(steps) + 1):
        if s in steps:
            out = adapter.outputs(qx)
            tag = "" if len(steps) == 1 else f"@{s}"
            if regression:
                t = card["target"]
                columns[f"prediction{tag}"] = (out[:, 0] * t["std"] + t["mean"]).tolist()
                if sy_q is not None:
                    report.append(f"step {s}: query MSE {float(((out - sy_q) ** 2).mean()) * t['std'] ** 2:.6g}")
            else:
                probs = torch.softmax(out[:, :n], dim=1)
                columns[f"prediction{tag}"] = [labels[i] for i in probs.argmax(1).tolist()]
                for c, label in enumerate(labels):
                    columns[f"p_{label}{tag}"] = probs[:, c].tolist()
                if sy_q is not None:
                    acc = float((probs.argmax(1) == sy_q).float().mean())
                    report.append(f"step {s}: query accuracy {acc:.4f}")
        if s < max(steps):
            adapter.step()

    f = open(a.out, "w", newline="", encoding="utf-8") if a.out else sys.stdout
    w = csv.writer(f)
    w.writerow(list(query[0].keys()) + list(columns.keys()))
    for i, r in enumerate(query):
        w.writerow(list(r.values()) + [v[i] if isinstance(v[i], str) else f"{v[i]:.9g}" for v in columns.values()])
    if a.out:
        f.close()
    for line in report:
        print(line, file=sys.stderr)


if __name__ == "__main__":
    main()
