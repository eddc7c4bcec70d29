"""Training throughput of PyTorch on the CPU for the workloads of
bench-train.c: the same networks, optimizer and batch sizes.

Prints one line per workload: "NAME SECONDS", the best over 1 and 2
intra-op threads.
"""
import gzip
import math
import sys
import time

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"


def load_fashion_mnist():
    with gzip.open(DATA + "/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(DATA + "/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    return (torch.from_numpy(images.astype(np.float32) / 255.0),
            torch.from_numpy(labels.astype(np.int64)))


def make_moons(n, noise, seed):
    rng = np.random.default_rng(seed)
    angle = math.pi * rng.random(n)
    label = np.arange(n) % 2
    x = np.where(label == 0, np.cos(angle), 1 - np.cos(angle))
    y = np.where(label == 0, np.sin(angle), 0.5 - np.sin(angle))
    points = np.stack([x, y], 1) + noise * rng.normal(size=(n, 2))
    return torch.tensor(points, dtype=torch.float32), torch.tensor(label)


def mlp(sizes, norm, activation):
    layers = []
    for i in range(len(sizes) - 2):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if norm:
            layers.append(nn.LayerNorm(sizes[i + 1]))
        layers.append(activation())
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers)


def time_training(model, x, y, batch_size, epochs):
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for first in range(0, len(x), batch_size):
            rows = order[first:first + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(x[rows]), y[rows])
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


def report_best(name, build, x, y, batch_size, epochs):
    best = math.inf
    for threads in (1, 2):
        torch.set_num_threads(threads)
        torch.manual_seed(1)
        seconds = time_training(build(), x, y, batch_size, epochs)
        print("%s with %d intra-op thread(s): %.2f s" % (name, threads, seconds),
              file=sys.stderr)
        best = min(best, seconds)
    print("%s %.3f" % (name, best), flush=True)


def main():
    x, y = load_fashion_mnist()
    paper = lambda: mlp([784, 512, 512, 512, 10], True, nn.GELU)
    report_best("paper-mlp-batch64-epoch", paper, x, y, 64, 1)
    report_best("paper-mlp-batch256-epoch", paper, x, y, 256, 1)
    mx, my = make_moons(1000, 0.1, 1)
    classroom = lambda: mlp([2, 16, 16, 2], False, nn.ReLU)
    report_best("classroom-100-epochs", classroom, mx, my, 32, 100)


if __name__ == "__main__":
    main()
