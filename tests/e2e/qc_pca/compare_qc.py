#!/usr/bin/env python3
"""precis qc TSVs (PREFIX.variants.tsv, PREFIX.samples.tsv) against plink2 --freq counts --hardy --missing
(PLINK.acount/.hardy/.vmiss/.smiss, variant IDs chrom:pos:ref:alt). Missing and allele counts must be
equal; HWE p within `--hwe-rel` relative error (plink2 prints 6 significant digits, so 5e-6 is its limit);
the count of p-values that differ after rounding to those 6 digits is reported too.
Prints one summary line; exit 1 on any disagreement."""
import argparse
import sys

ap = argparse.ArgumentParser()
ap.add_argument("precis_prefix")
ap.add_argument("plink_prefix")
ap.add_argument("--hwe-rel", type=float, default=5e-6)
a = ap.parse_args()


def table(path, key):
    with open(path) as f:
        head = f.readline().lstrip("#").rstrip("\n").split("\t")
        return {r[key]: r for r in (dict(zip(head, line.rstrip("\n").split("\t"))) for line in f)}


acount = table(a.plink_prefix + ".acount", "ID")
hardy = table(a.plink_prefix + ".hardy", "ID")
vmiss = table(a.plink_prefix + ".vmiss", "ID")
smiss = table(a.plink_prefix + ".smiss", "IID")
n = bad_miss = bad_af = bad_hwe = digits_differ = 0
worst = 0.0
with open(a.precis_prefix + ".variants.tsv") as f:
    head = f.readline().rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(head, line.rstrip("\n").split("\t")))
        chrom = r["chrom"][3:] if r["chrom"].startswith("chr") else r["chrom"]
        key = f"{chrom}:{r['pos']}:{r['ref']}:{r['alt']}"
        if key not in acount:
            continue
        n += 1
        het, hr, ha, miss = (int(r[c]) for c in ("het", "hom_ref", "hom_alt", "missing"))
        bad_miss += int(vmiss[key]["MISSING_CT"]) != miss
        bad_af += int(acount[key]["ALT_CTS"]) != het + 2 * ha or int(acount[key]["OBS_CT"]) != 2 * (het + hr + ha)
        p_pl, p_us = float(hardy[key]["P"]), float(r["hwe_p"])
        digits_differ += float("%.6g" % p_us) != p_pl
        rel = abs(p_pl - p_us) / max(p_pl, 1e-300)
        worst = max(worst, rel)
        bad_hwe += rel > a.hwe_rel
ns = bad_smiss = 0
with open(a.precis_prefix + ".samples.tsv") as f:
    head = f.readline().rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(head, line.rstrip("\n").split("\t")))
        ns += 1
        bad_smiss += int(smiss[r["sample_id"]]["MISSING_CT"]) != int(r["missing"])
print(f"qc vs plink2: {n} variants of {len(acount)} compared; variant missing-count mismatches {bad_miss}; "
      f"allele-count (AF) mismatches {bad_af}; HWE p max relative difference {worst:.3g} ({bad_hwe} above {a.hwe_rel:g}; "
      f"{digits_differ} differ when rounded to plink2's 6 printed digits); "
      f"{ns} samples, missing-count mismatches {bad_smiss}")
ok = n == len(acount) and n > 0 and bad_miss == bad_af == bad_hwe == bad_smiss == 0
sys.exit(0 if ok else 1)
