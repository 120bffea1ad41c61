#!/usr/bin/env python3
"""Haplotype-combined consequences of precis (INFO/HCSQ) vs bcftools csq (compound BCSQ entries, 'a+b').

Usage: annotate_haplotype.py PRECIS.vcf.gz BCFTOOLS_CSQ.vcf.gz [--disagreements N]

Compounds are keyed by transcript and member alleles ("POS REF>ALT", VCF form). bcftools csq's entries
marked '*' (variants downstream of a frameshift or stop, which it folds into one long haplotype change)
are left out: precis combines only same-codon alleles and frameshifts with the alleles that restore the
frame. Prints tab-separated lines: class, compounds (bcftools), also found by precis, rate; then the
consequence agreement of those found; then '# ' lines with disagreement examples.
"""
import collections
import gzip
import sys

TERMS = {"missense": "missense_variant", "synonymous": "synonymous_variant", "stop_gained": "stop_gained",
         "stop_lost": "stop_lost", "start_lost": "start_lost", "frameshift": "frameshift_variant",
         "inframe_deletion": "inframe_deletion", "inframe_insertion": "inframe_insertion",
         "inframe_altering": "protein_altering_variant", "stop_retained": "stop_retained_variant",
         "start_retained": "start_retained_variant", "splice_region": "splice_region_variant",
         "splice_donor": "splice_donor_variant", "splice_acceptor": "splice_acceptor_variant",
         "coding_sequence": "coding_sequence_variant"}
SEVERITY = ["transcript_ablation", "splice_acceptor_variant", "splice_donor_variant", "stop_gained", "frameshift_variant",
            "stop_lost", "start_lost", "inframe_insertion", "inframe_deletion", "missense_variant", "protein_altering_variant",
            "splice_region_variant", "incomplete_terminal_codon_variant", "start_retained_variant", "stop_retained_variant",
            "synonymous_variant", "coding_sequence_variant"]


def info_values(path, tag):
    with gzip.open(path, "rt") as f:
        for line in f:
            if line.startswith("#"):
                continue
            info = line.split("\t", 8)[7]
            for kv in info.split(";"):
                if kv.startswith(tag + "="):
                    yield kv[len(tag) + 1:]


def most_severe(terms):
    ranked = [SEVERITY.index(t) for t in terms if t in SEVERITY]
    return SEVERITY[min(ranked)] if ranked else "other"


def main():
    precis_path, peer_path = sys.argv[1], sys.argv[2]
    show = int(sys.argv[sys.argv.index("--disagreements") + 1]) if "--disagreements" in sys.argv else 5
    ours = {}
    for value in info_values(precis_path, "HCSQ"):
        for entry in value.split(","):
            f = entry.split("|")
            members = frozenset(v.replace(":", " ", 1) for v in f[6].split("&"))
            ours[(f[4], members)] = most_severe(f[0].split("&"))
    peer = {}
    for value in info_values(peer_path, "BCSQ"):
        for entry in value.split(","):
            f = entry.split("|")
            if len(f) < 7 or "+" not in f[6] or f[0].startswith("*"):
                continue
            members = []
            for v in f[6].split("+"):
                i = 0
                while i < len(v) and v[i].isdigit():
                    i += 1
                members.append(v[:i] + " " + v[i:])
            peer[(f[2], frozenset(members))] = most_severe(TERMS.get(t, t) for t in f[0].split("&"))
    classes = collections.Counter()
    found = collections.Counter()
    agree = collections.Counter()
    examples = collections.Counter()
    for key, term in peer.items():
        kind = "snv_compound" if all(len(m.split(" ")[1]) == 3 for m in key[1]) else "indel_compound"
        classes[kind] += 1
        if key in ours:
            found[kind] += 1
            if ours[key] == term:
                agree[kind] += 1
            else:
                examples[f"{kind}: precis {ours[key]} vs peer {term}"] += 1
        else:
            examples[f"{kind}: not combined by precis (peer {term})"] += 1
    extra = sum(1 for key in ours if key not in peer)
    for kind in ("snv_compound", "indel_compound"):
        n = classes[kind]
        print(f"{kind}\t{n}\t{found[kind]}\t{found[kind] / n if n else 0:.4f}")
        print(f"{kind}_consequence\t{found[kind]}\t{agree[kind]}\t{agree[kind] / found[kind] if found[kind] else 0:.4f}")
    print(f"precis_only\t{extra}")
    for what, n in examples.most_common(show):
        print(f"# {what}: {n}")


if __name__ == "__main__":
    main()
