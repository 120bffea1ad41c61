#!/usr/bin/env python3
"""Precision, recall and F1 of a call set against a truth VCF, separately for SNVs and indels.

Both files are normalised with `bcftools norm -m- -f REF` (split multi-allelics, left-align), then a
variant is (CHROM, POS, REF, ALT) carried by the sample's GT. Calls count when FILTER is PASS or '.'
(--all counts every record). Usage:
  call_compare.py REF.fa TRUTH.vcf.gz TRUTH_SAMPLE CALLS.vcf.gz CALL_SAMPLE [--regions R] [--all] [--label L]
Prints one TSV line per class: label class tp fp fn precision recall f1.
"""
import argparse
import subprocess


def variants(ref, vcf, sample, regions, all_records):
    norm = ["bcftools", "norm", "-m-", "-f", ref, "-Ou"]
    if regions:
        norm += ["-t", regions]
    norm.append(vcf)
    p1 = subprocess.Popen(norm, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p2 = subprocess.run(["bcftools", "query", "-s", sample, "-f", "%CHROM\t%POS\t%REF\t%ALT\t%FILTER[\t%GT]\n", "-"],
                        stdin=p1.stdout, capture_output=True, text=True, check=True)
    p1.wait()
    snv, indel = set(), set()
    for line in p2.stdout.splitlines():
        chrom, pos, r, alt, filt, gt = line.split("\t")
        if alt in (".", "*") or alt.startswith("<"):
            continue
        if not all_records and filt not in ("PASS", "."):
            continue
        alleles = gt.replace("|", "/").split("/")
        if "1" not in alleles:  # after -m- the record's ALT is allele 1
            continue
        key = (chrom, int(pos), r, alt)
        (snv if len(r) == 1 and len(alt) == 1 else indel).add(key)
    return snv, indel


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ref")
    ap.add_argument("truth")
    ap.add_argument("truth_sample")
    ap.add_argument("calls")
    ap.add_argument("call_sample")
    ap.add_argument("--regions", default="")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--label", default="calls")
    a = ap.parse_args()
    t_snv, t_indel = variants(a.ref, a.truth, a.truth_sample, a.regions, True)
    c_snv, c_indel = variants(a.ref, a.calls, a.call_sample, a.regions, a.all)
    for name, t, c in (("snv", t_snv, c_snv), ("indel", t_indel, c_indel)):
        tp, fp, fn = len(t & c), len(c - t), len(t - c)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{a.label}\t{name}\t{tp}\t{fp}\t{fn}\t{p:.4f}\t{r:.4f}\t{f:.4f}")


if __name__ == "__main__":
    main()
