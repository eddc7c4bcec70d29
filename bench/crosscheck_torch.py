#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Replay a Basin training trace in PyTorch and compare the losses.

bench/crosscheck writes a folder with Basin's initial parameters, the fixed
parts F and D, the row indices of every minibatch and Basin's loss at every
step.  This script builds the same network in PyTorch (W_eff = F + D * W
per layer, LayerNorm then exact GELU in each hidden layer), loads the same
initial parameters, runs torch.optim.AdamW with the same settings on the
same minibatches, and prints one Markdown table row.  It exits with status
1 if the loss of the last minibatch or the test loss after the last step
differs from Basin's by more than TOLERANCE, relatively.
"""

import argparse
import gzip
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

# Acceptance bound on the relative differences of the last minibatch loss
# and of the test loss after the last step.
TOLERANCE = 1e-3


def read_idx(path, n_dims):
    """Return the unsigned-byte array of an MNIST-format IDX file."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(n_dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * n_dims).reshape(shape)


def find_idx(directory, stem, kind):
    for pattern in ("{}-{}-ubyte.gz", "{}-{}-ubyte"):
        path = os.path.join(directory, pattern.format(stem, kind))
        if os.path.exists(path):
            return path
    sys.exit("crosscheck_torch.py: no {}-{} file in {}".format(stem, kind, directory))


def load_split(directory, stem, n_rows):
    images = read_idx(find_idx(directory, stem, "images-idx3"), 3)[:n_rows]
    labels = read_idx(find_idx(directory, stem, "labels-idx1"), 1)[:n_rows]
    # Basin multiplies each byte by the float32 value of 1/255; doing the
    # same gives bit-identical inputs.
    x = images.reshape(len(images), -1).astype(np.float32) * np.float32(1.0 / 255.0)
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


class Layer(torch.nn.Module):
    """A linear layer with W_eff = F + D ⊙ W, optionally followed by
    LayerNorm and GELU."""

    def __init__(self, spec, params, folder, hidden, epsilon):
        super().__init__()
        out_dim, in_dim = spec["out_dim"], spec["in_dim"]

        def take(offset, size):
            return torch.nn.Parameter(torch.from_numpy(params[offset:offset + size].copy()))

        self.weight = take(spec["weight_offset"], out_dim * in_dim)
        self.weight.data = self.weight.data.reshape(out_dim, in_dim)
        self.bias = take(spec["bias_offset"], out_dim)
        self.hidden = hidden
        self.epsilon = epsilon
        if spec["gain_offset"] is not None:
            self.gain = take(spec["gain_offset"], out_dim)
            self.shift = take(spec["shift_offset"], out_dim)
        else:
            self.gain = self.shift = None
        for name in ("fixed", "mask"):
            tensor = None
            if spec[name] is not None:
                array = np.load(os.path.join(folder, spec[name])).reshape(out_dim, in_dim)
                tensor = torch.from_numpy(array)
            self.register_buffer(name, tensor)

    def effective_weight(self):
        weight = self.weight if self.mask is None else self.mask * self.weight
        return weight if self.fixed is None else self.fixed + weight

    def forward(self, x):
        z = F.linear(x, self.effective_weight(), self.bias)
        if not self.hidden:
            return z
        if self.gain is not None:
            z = F.layer_norm(z, (z.shape[1],), self.gain, self.shift, self.epsilon)
        return F.gelu(z)


def build_model(meta, folder):
    params = np.load(os.path.join(folder, "params-initial.npy"))
    if params.shape != (meta["n_params"],):
        sys.exit("crosscheck_torch.py: params-initial.npy has shape {}".format(params.shape))
    specs = meta["layers"]
    return torch.nn.Sequential(*[
        Layer(spec, params, folder, i + 1 < len(specs), float(meta["layer_norm_epsilon"]))
        for i, spec in enumerate(specs)])


def flat_parameters(model, meta):
    """Return the parameters in Basin's flat layout."""
    flat = np.zeros(meta["n_params"], dtype=np.float32)
    for layer, spec in zip(model, meta["layers"]):
        pairs = [("weight_offset", layer.weight), ("bias_offset", layer.bias),
                 ("gain_offset", layer.gain), ("shift_offset", layer.shift)]
        for key, tensor in pairs:
            if tensor is not None:
                values = tensor.detach().numpy().ravel()
                flat[spec[key]:spec[key] + values.size] = values
    return flat


def train(model, meta, folder, x, y):
    rows = np.load(os.path.join(folder, "batch-rows.npy")).astype(np.int64)
    sizes = np.load(os.path.join(folder, "batch-sizes.npy"))
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=float(meta["learning_rate"]),
        betas=(float(meta["beta1"]), float(meta["beta2"])), eps=float(meta["epsilon"]),
        weight_decay=float(meta["weight_decay"]))
    losses = []
    start = 0
    for size in sizes:
        batch = torch.from_numpy(rows[start:start + size])
        start += size
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return np.array(losses)


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-30)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", help="output folder of bench/crosscheck")
    parser.add_argument("--header", action="store_true", help="print the table header first")
    args = parser.parse_args()

    with open(os.path.join(args.folder, "meta.json")) as handle:
        meta = json.load(handle)
    torch.manual_seed(0)

    x, y = load_split(meta["data_dir"], "train", meta["train_rows"])
    x_eval, y_eval = load_split(meta["data_dir"], "t10k", meta["eval_samples"])
    model = build_model(meta, args.folder)
    torch_losses = train(model, meta, args.folder, x, y)
    with torch.no_grad():
        torch_eval = F.cross_entropy(model(x_eval), y_eval).item()

    basin_losses = np.load(os.path.join(args.folder, "losses.npy"))
    basin_final = np.load(os.path.join(args.folder, "params-final.npy"))
    torch_final = flat_parameters(model, meta)
    step_gaps = np.abs(torch_losses - basin_losses) / np.abs(torch_losses)
    param_gap = np.linalg.norm(torch_final - basin_final) / np.linalg.norm(torch_final)
    last_gap = relative(basin_losses[-1], torch_losses[-1])
    basin_eval = float(meta["final_eval_loss"])
    eval_gap = relative(basin_eval, torch_eval)
    passed = max(last_gap, eval_gap) <= TOLERANCE and all(map(math.isfinite, torch_losses))

    if args.header:
        print("| variant | steps | last minibatch loss, Basin / PyTorch | largest step gap "
              "| test loss after the steps, Basin / PyTorch | gap | parameter gap | result |")
        print("|---|---|---|---|---|---|---|---|")
    print("| {} | {} | {:.6f} / {:.6f} | {:.1e} | {:.6f} / {:.6f} | {:.1e} | {:.1e} | {} |".format(
        meta["variant"], len(torch_losses), basin_losses[-1], torch_losses[-1],
        step_gaps.max(), basin_eval, torch_eval, eval_gap, param_gap,
        "pass" if passed else "FAIL"))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
