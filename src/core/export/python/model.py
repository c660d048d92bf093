"""The exported network in plain PyTorch, and the files that describe it.

model.safetensors holds exactly the state_dict of `build_mlp(...)`, a
torch.nn.Sequential(Linear, ReLU, ..., Linear): Linear.weight is
[out, in], module 2l is layer l. adaptation.json (the adaptation card) says
how the model adapts to a new task: step size(s), steps, loss, input and
target encoding. Meta-SGD models also have inner_lr.safetensors: one learned
step size per weight, with the weights' names and shapes.

Only torch and numpy are needed: safetensors files are read here with
struct + json + numpy (8-byte little-endian header length, JSON header,
raw little-endian data).
"""
import json
import os
import struct

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """name -> float32 torch tensor, in file order."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    data = raw[8 + n :]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = np.dtype(_DTYPES[entry["dtype"]]).newbyteorder("<")
        arr = np.frombuffer(data[begin:end], dtype=dtype).reshape(entry["shape"])
        out[name] = torch.from_numpy(arr.astype(np.float32))
    return out


def write_safetensors(path, tensors, metadata=None):
    """Writes float32 tensors (name -> tensor) the way the app does."""
    header = {}
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy().astype("<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * ((8 - len(js) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)


def build_mlp(layers):
    """layers = [input, hidden..., output]: Linear + ReLU between, linear output."""
    mods = []
    for i in range(len(layers) - 1):
        mods.append(nn.Linear(layers[i], layers[i + 1]))
        if i < len(layers) - 2:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)


def build_conv4(channels, filters, output_dim):
    """Conv-4: four blocks of 3x3 conv (no bias), batch norm with each pass's own
    statistics (never running averages: few-shot batch norm), ReLU, 2x2 max-pool;
    then Flatten and, when output_dim > 0, a linear head (module 17). Input NCHW."""
    mods = []
    cin = channels
    for _ in range(4):
        mods += [
            nn.Conv2d(cin, filters, 3, padding=1, bias=False),
            nn.BatchNorm2d(filters, eps=1e-5, track_running_stats=False),
            nn.ReLU(),
            nn.MaxPool2d(2),
        ]
        cin = filters
    mods.append(nn.Flatten())
    if output_dim > 0:
        mods.append(nn.LazyLinear(output_dim))
    return nn.Sequential(*mods)


def image_rows_to_nchw(x, image):
    """The app's image rows (flattened HWC, values in [0, 1]) as an NCHW batch."""
    return x.reshape(-1, image["height"], image["width"], image["channels"]).permute(0, 3, 1, 2)


def param_names(layers):
    """The state_dict names of build_mlp(layers), in order: 0.weight, 0.bias, 2.weight, ..."""
    return [f"{2 * l}.{kind}" for l in range(len(layers) - 1) for kind in ("weight", "bias")]


def functional_forward(params, x, embed_only=False):
    """The Sequential's forward with explicit params [W0, b0, W1, b1, ...] (W [out, in]).

    Adaptation and meta-training differentiate through parameter updates, so
    the weights are arguments here instead of module state. embed_only stops
    before the last layer (ANIL's features: the last hidden ReLU).
    """
    layers = len(params) // 2
    last = layers - 1 if embed_only else layers
    h = x
    for l in range(last):
        h = F.linear(h, params[2 * l], params[2 * l + 1])
        if embed_only or l < layers - 1:
            h = F.relu(h)
    return h


def load_card(folder):
    with open(os.path.join(folder, "adaptation.json"), encoding="utf-8") as f:
        return json.load(f)


def load_model(folder, card=None):
    """(card, nn.Sequential with the exported weights, learned rates as a list or None)."""
    card = card or load_card(folder)
    m = card["model"]
    state = read_safetensors(os.path.join(folder, m["weights"]))
    if m["architecture"] == "conv4":
        net = build_conv4(m["image"]["channels"], m["filters"], m["outputDim"])
        if m["outputDim"] > 0:
            # LazyLinear learns its input width from a first pass
            with torch.no_grad():
                net(torch.zeros(2, m["image"]["channels"], m["image"]["height"], m["image"]["width"]))
        net.load_state_dict(state, strict=True)
        return card, net, None
    net = build_mlp(m["layers"])
    net.load_state_dict(state, strict=True)
    rates = None
    lr_file = card["adaptation"].get("learnedInnerLr")
    if lr_file:
        named = read_safetensors(os.path.join(folder, lr_file["file"]))
        rates = [named[n] for n in param_names(m["layers"])]
    return card, net, rates


def mean_loss(kind, out, y):
    """The engine's losses: MSE over examples and outputs; softmax cross-entropy over examples."""
    if kind == "mse":
        return ((out - y) ** 2).mean()
    return F.cross_entropy(out, y)
