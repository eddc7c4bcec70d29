"""Solves the cost matrices written by bench-assignment with SciPy's
linear_sum_assignment and prints "N SECONDS OBJECTIVE", the best of three.
"""
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

folder = sys.argv[1]
for n in (64, 128, 256, 512, 1024, 2048):
    cost = np.fromfile("%s/cost-%d.bin" % (folder, n), dtype="<f8").reshape(n, n)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        rows, cols = linear_sum_assignment(cost)
        best = min(best, time.perf_counter() - start)
    print("%d %.6f %.9f" % (n, best, cost[rows, cols].sum()), flush=True)
