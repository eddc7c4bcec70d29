#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time the loss-landscape plane of bench/bench-landscape in PyTorch.

The network is the same 784-512-512-512-10 MLP with LayerNorm and exact
GELU, evaluated on the 10,000 Fashion-MNIST test images.  The plane goes
through three randomly initialized models: A, B, and B with its hidden
neurons shuffled.  Its basis comes from Gram-Schmidt in double precision
over the flat parameter vector, and the grid covers the models with a
margin of a quarter of their larger extent, as in Basin.

Each grid point is evaluated as a PyTorch user would write it: copy the
point's parameters into the model and run a full forward pass over the
test set in batches of 1,000 under torch.no_grad().  The script first times
a few points with 1 and with 2 intra-op threads, then times the grid with
the faster setting, and prints TORCH_SECONDS_PER_POINT=... for
bench/run-landscape.sh.
"""

import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

WIDTH = 512
BATCH = 1000
MARGIN = 0.25


def read_idx(path, n_dims):
    """Return the unsigned-byte array of an MNIST-format IDX file."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(n_dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * n_dims).reshape(shape)


def load_test_set(directory):
    """Return the test images as floats in [0, 1] and their labels."""
    def path(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(directory, name)):
                return os.path.join(directory, name)
        sys.exit(f"{stem} not found in {directory}; pass --data with a Fashion-MNIST folder")

    images = read_idx(path("t10k-images-idx3-ubyte"), 3)
    labels = read_idx(path("t10k-labels-idx1-ubyte"), 1)
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    return x, torch.from_numpy(labels.astype(np.int64))


def make_model(seed):
    """Return the MLP with PyTorch's default initialization from @seed."""
    torch.manual_seed(seed)
    layers = []
    sizes = [784, WIDTH, WIDTH, WIDTH]
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.LayerNorm(n_out), torch.nn.GELU()]
    layers.append(torch.nn.Linear(WIDTH, 10))
    return torch.nn.Sequential(*layers).eval()


def shuffled(model, seed):
    """Return a copy of @model with each hidden layer's neurons shuffled."""
    generator = torch.Generator().manual_seed(seed)
    copy = make_model(0)
    copy.load_state_dict(model.state_dict())
    modules = list(copy)
    with torch.no_grad():
        for first in range(0, len(modules) - 1, 3):
            linear, norm, following = modules[first], modules[first + 1], modules[first + 3]
            order = torch.randperm(linear.out_features, generator=generator)
            for tensor in (linear.weight, linear.bias, norm.weight, norm.bias):
                tensor.copy_(tensor[order])
            following.weight.copy_(following.weight[:, order])
    return copy


def flat(model):
    return torch.nn.utils.parameters_to_vector(model.parameters()).double()


def plane_grid(a, b, c, n):
    """Return the origin, the orthonormal basis and the grid coordinates."""
    u = b - a
    length = u.norm()
    u /= length
    w = c - a
    along = w @ u
    w -= along * u
    across = w.norm()
    v = w / across
    xs = [0.0, length.item(), along.item()]
    ys = [0.0, 0.0, across.item()]
    pad = MARGIN * max(max(xs) - min(xs), max(ys) - min(ys))
    grid_x = np.linspace(min(xs) - pad, max(xs) + pad, n)
    grid_y = np.linspace(min(ys) - pad, max(ys) + pad, n)
    return u, v, [(x, y) for y in grid_y for x in grid_x]


def evaluate(model, origin, u, v, point, x, y):
    """Load the parameters at @point into @model and return loss and accuracy."""
    theta = (origin + point[0] * u + point[1] * v).float()
    torch.nn.utils.vector_to_parameters(theta, model.parameters())
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(x), BATCH):
            logits = model(x[start:start + BATCH])
            target = y[start:start + BATCH]
            loss += F.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(1) == target).sum().item()
    return loss / len(x), correct / len(x)


def time_points(model, origin, u, v, points, x, y):
    start = time.perf_counter()
    values = [evaluate(model, origin, u, v, p, x, y) for p in points]
    return time.perf_counter() - start, values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                        help="Fashion-MNIST folder (default: %(default)s)")
    parser.add_argument("--grid", type=int, default=21, help="grid points per axis")
    parser.add_argument("--points", type=int, default=0,
                        help="time only the first N grid points and extrapolate "
                             "(default: all)")
    parser.add_argument("--probe", type=int, default=3,
                        help="grid points timed per thread count to pick one")
    args = parser.parse_args()

    x, y = load_test_set(args.data)
    a, b = make_model(1), make_model(2)
    c = shuffled(b, 3)
    u, v, points = plane_grid(flat(a), flat(b), flat(c), args.grid)
    origin = flat(a)
    model = make_model(0)

    probe = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        evaluate(model, origin, u, v, points[0], x, y)
        seconds, _ = time_points(model, origin, u, v, points[:args.probe], x, y)
        probe[threads] = seconds / args.probe
        print(f"torch probe: {threads} intra-op thread(s): {probe[threads]:.4f} s per point",
              flush=True)
    threads = min(probe, key=probe.get)
    torch.set_num_threads(threads)

    timed = points[:args.points] if args.points > 0 else points
    seconds, values = time_points(model, origin, u, v, timed, x, y)
    per_point = seconds / len(timed)
    losses = [loss for loss, _ in values]
    print(f"torch {torch.__version__}: {args.grid} x {args.grid} plane, {len(x)} samples, "
          f"{threads} intra-op thread(s): {len(timed)} points in {seconds:.2f} s "
          f"({per_point:.4f} s per point, {per_point * len(points):.1f} s per plane); "
          f"loss {min(losses):.4f} to {max(losses):.4f}")
    print(f"TORCH_THREADS={threads}")
    print(f"TORCH_SECONDS_PER_POINT={per_point:.6f}")


if __name__ == "__main__":
    main()
