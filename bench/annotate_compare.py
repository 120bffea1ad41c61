#!/usr/bin/env python3
"""Most-severe consequence per VCF record: precis annotate (CSQ) vs bcftools csq (BCSQ, sites-only run)
or snpEff (ANN; protein-coding transcripts only, its inframe/UTR sub-terms mapped to the SO parents).

Usage: annotate_compare.py PRECIS.vcf[.gz] PEER.vcf[.gz] [--disagreements N]
Compares records present in both (same CHROM, POS, REF, ALT). Only protein-coding transcripts count on the
precis side (bcftools csq ignores non-coding ones), and upstream/downstream/intergenic are "none"
(bcftools csq does not report them). A record is an SNV when every allele is one base, else an indel.
Prints one TSV line per class: class, records compared (a consequence on either side), agreeing, rate;
then the most frequent disagreement pairs.
"""
import collections, gzip, re, sys

ORDER = ["transcript_ablation", "splice_acceptor_variant", "splice_donor_variant", "stop_gained",
         "frameshift_variant", "stop_lost", "start_lost", "inframe_insertion", "inframe_deletion",
         "missense_variant", "protein_altering_variant", "splice_region_variant",
         "incomplete_terminal_codon_variant", "start_retained_variant", "stop_retained_variant",
         "synonymous_variant", "coding_sequence_variant", "5_prime_UTR_variant", "3_prime_UTR_variant",
         "non_coding_transcript_exon_variant", "intron_variant", "NMD_transcript_variant", "none"]
RANK = {t: i for i, t in enumerate(ORDER)}
BCF = {"splice_acceptor": "splice_acceptor_variant", "splice_donor": "splice_donor_variant",
       "stop_gained": "stop_gained", "frameshift": "frameshift_variant", "stop_lost": "stop_lost",
       "start_lost": "start_lost", "inframe_insertion": "inframe_insertion",
       "inframe_deletion": "inframe_deletion", "inframe_altering": "protein_altering_variant",
       "missense": "missense_variant", "splice_region": "splice_region_variant",
       "start_retained": "start_retained_variant", "stop_retained": "stop_retained_variant",
       "synonymous": "synonymous_variant", "coding_sequence": "coding_sequence_variant",
       "5_prime_utr": "5_prime_UTR_variant", "3_prime_utr": "3_prime_UTR_variant",
       "non_coding": "non_coding_transcript_exon_variant", "intron": "intron_variant",
       "feature_elongation": "protein_altering_variant"}


def records(path):
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t", 8)
            if len(c) < 8:
                continue
            info = dict(kv.split("=", 1) if "=" in kv else (kv, "") for kv in c[7].split(";"))
            yield (c[0], c[1], c[3], c[4]), info


def precis_worst(info):
    best = "none"
    for entry in filter(None, info.get("CSQ", "").split(",")):
        f = entry.split("|")
        if f[7] != "protein_coding":
            continue
        for t in f[1].split("&"):
            if t in RANK and RANK[t] < RANK[best]:
                best = t
    return best


SNPEFF = {"conservative_inframe_deletion": "inframe_deletion", "disruptive_inframe_deletion": "inframe_deletion",
          "conservative_inframe_insertion": "inframe_insertion", "disruptive_inframe_insertion": "inframe_insertion",
          "5_prime_UTR_premature_start_codon_gain_variant": "5_prime_UTR_variant",
          "initiator_codon_variant": "start_retained_variant", "exon_loss_variant": "transcript_ablation"}


def snpeff_worst(info):
    best = "none"
    for entry in filter(None, info.get("ANN", "").split(",")):
        f = entry.split("|")
        if len(f) < 8 or f[7] != "protein_coding":
            continue
        for t in f[1].split("&"):
            t = SNPEFF.get(t, t)
            if t in RANK and RANK[t] < RANK[best]:
                best = t
    return best


def bcftools_worst(info):
    if "ANN" in info:
        return snpeff_worst(info)
    best = "none"
    for entry in filter(None, info.get("BCSQ", "").split(",")):
        for t in entry.split("|")[0].lstrip("*@").split("&"):
            t = BCF.get(t, "none")
            if RANK[t] < RANK[best]:
                best = t
    return best


def protein_changes(csq):
    """Feature -> (Protein_position, Amino_acids) of a precis CSQ value."""
    out = {}
    for entry in filter(None, csq.split(",")):
        f = entry.split("|")
        if len(f) > 16:
            out[f[6]] = (f[14], f[15])
    return out


def main():
    ours, changes = {}, {}
    for k, i in records(sys.argv[1]):
        ours[k] = precis_worst(i)
        if "," not in k[3]:
            changes[k] = i.get("CSQ", "")
    protein = [0, 0]  # bcftools missense/synonymous/stop_gained SNVs: compared, equal position and amino acids
    stats = collections.defaultdict(lambda: [0, 0])
    pairs = collections.Counter()
    for key, info in records(sys.argv[2]):
        if key not in ours:
            continue
        for entry in filter(None, info.get("BCSQ", "").split(",")) if key in changes else []:
            f = entry.split("|")
            m = re.match(r"(\d+)([A-Z*])(?:>\d+([A-Z*]))?$", f[5]) if len(f) > 5 else None
            if f[0] not in ("missense", "synonymous", "stop_gained") or not m:
                continue
            ref, alt = m.group(2), m.group(3) or m.group(2)
            protein[0] += 1
            protein[1] += protein_changes(changes[key]).get(f[2]) == (m.group(1), ref if ref == alt else f"{ref}/{alt}")
        a, b = ours[key], bcftools_worst(info)
        if a == "none" and b == "none":
            continue
        cls = "SNV" if all(len(x) == 1 for x in [key[2]] + key[3].split(",")) else "indel"
        stats[cls][0] += 1
        stats[cls][1] += a == b
        if a != b:
            pairs[(cls, a, b)] += 1
    for cls in ("SNV", "indel"):
        n, ok = stats[cls]
        print(f"{cls}\t{n}\t{ok}\t{ok / n if n else 0:.4f}")
    if protein[0]:
        print(f"protein_change\t{protein[0]}\t{protein[1]}\t{protein[1] / protein[0]:.4f}")
    limit = int(sys.argv[sys.argv.index("--disagreements") + 1]) if "--disagreements" in sys.argv else 8
    for (cls, a, b), n in pairs.most_common(limit):
        print(f"# {cls}: precis {a} vs peer {b}: {n}")


main()
