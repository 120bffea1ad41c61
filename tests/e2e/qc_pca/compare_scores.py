#!/usr/bin/env python3
"""Two score tables (first column sample ID, one header line, then numbers): every sample of A is in B and
every value agrees within TOL (absolute). Prints the largest difference; exit 1 otherwise."""
import sys

a_path, b_path, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])


def read(path):
    with open(path) as f:
        f.readline()
        return {l.split()[0]: [float(x) for x in l.split()[1:]] for l in f}


a, b = read(a_path), read(b_path)
missing = [s for s in a if s not in b]
worst = max((abs(x - y) for s in a if s in b for x, y in zip(a[s], b[s])), default=float("inf"))
print(f"{a_path} vs {b_path}: {len(a)} samples, {len(missing)} missing, max |difference| {worst:.3g}")
sys.exit(0 if not missing and len(a) > 0 and worst <= tol else 1)
