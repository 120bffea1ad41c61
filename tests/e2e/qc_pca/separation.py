#!/usr/bin/env python3
"""How well PC1 of EIGENVEC separates the ancestries of TRUTH (sample_id, ancestry): the accuracy of the
best threshold on PC1 for the two largest groups. Prints it; exit 1 below MIN."""
import sys

vec, truth, least = sys.argv[1], sys.argv[2], float(sys.argv[3])
with open(truth) as f:
    f.readline()
    anc = dict(l.split()[:2] for l in f)
with open(vec) as f:
    f.readline()
    pc1 = {l.split()[0]: float(l.split()[1]) for l in f}
groups = sorted(set(anc[s] for s in pc1), key=lambda g: -sum(anc[s] == g for s in pc1))[:2]
pts = sorted((pc1[s], anc[s] == groups[0]) for s in pc1 if anc[s] in groups)
total_a = sum(x for _, x in pts)
best, below_a = 0, 0
for i, (_, is_a) in enumerate(pts):
    below_a += is_a
    below_b = i + 1 - below_a
    # groups[0] below the threshold, or above it
    acc = max(below_a + (len(pts) - i - 1 - (total_a - below_a)), below_b + (total_a - below_a)) / len(pts)
    best = max(best, acc)
print(f"PC1 separates {groups[0]} from {groups[1]} with accuracy {best:.4f}")
sys.exit(0 if best >= least else 1)
