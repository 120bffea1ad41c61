#!/usr/bin/env python3
"""Two PCA results in plink2 layout (PREFIX.eigenvec with #IID PC1.., PREFIX.eigenval): the same samples,
|Pearson correlation| of each of the first NPC components >= --min-corr, and eigenvalues (ours times
--eig-factor) within --max-rel relative difference. Prints one line per component; exit 1 otherwise."""
import argparse
import math
import sys

ap = argparse.ArgumentParser()
ap.add_argument("ours")
ap.add_argument("theirs")
ap.add_argument("npc", type=int)
ap.add_argument("--min-corr", type=float, default=0.999)
ap.add_argument("--max-rel", type=float, default=0.01)
ap.add_argument("--eig-factor", type=float, default=1.0)
ap.add_argument("--label", default="")
a = ap.parse_args()


def eigvec(path):
    with open(path) as f:
        f.readline()
        return {l.split()[0]: [float(x) for x in l.split()[1:]] for l in f}


def corr(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((u - mx) * (v - my) for u, v in zip(x, y))
    return sxy / math.sqrt(sum((u - mx) ** 2 for u in x) * sum((v - my) ** 2 for v in y))


ours, theirs = eigvec(a.ours + ".eigenvec"), eigvec(a.theirs + ".eigenvec")
ev_o = [float(x) for x in open(a.ours + ".eigenval")]
ev_t = [float(x) for x in open(a.theirs + ".eigenval")]
ids = sorted(set(ours) & set(theirs))
ok = len(ids) == len(ours) == len(theirs) and len(ids) > 0
if not ok:
    print(f"{a.label}: sample sets differ ({len(ours)} vs {len(theirs)}, {len(ids)} shared)")
for c in range(a.npc):
    r = corr([ours[i][c] for i in ids], [theirs[i][c] for i in ids])
    rel = abs(ev_o[c] * a.eig_factor - ev_t[c]) / ev_t[c]
    print(f"{a.label} PC{c + 1}: |corr| {abs(r):.6f}; eigenvalue precis {ev_o[c]:.5g} (x{a.eig_factor:.5g}) "
          f"other {ev_t[c]:.5g}: relative difference {rel:.3%}")
    ok = ok and abs(r) >= a.min_corr and rel <= a.max_rel
sys.exit(0 if ok else 1)
