#!/usr/bin/env bash
# precis annotate vs bcftools csq (--local-csq, sites-only) on one large simulated sites-only VCF:
# variants/s and peak RSS at one core and at both cores, most-severe-consequence agreement per class.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
declare -A bytes
work=bench/work/annotate
mkdir -p "$work"
timings=$PWD/$work/timings.txt
: >"$timings"
nvariants=${BENCH_ANNOTATE_VARIANTS:-1000000}

if [ ! -s "$work/world/cohort.vcf.gz.tbi" ]; then
  "$PRECIS" simulate --out-dir "$work/world" --seed 1 --samples 10 --variants "$nvariants" --contigs 4 \
    --contig-length 25000000 --genes 800 --patients 0 --causal 10 --quiet >&2
fi
w=$work/world
if [ ! -s "$work/sites.vcf.gz.tbi" ]; then
  bcftools view -G -Oz -o "$work/sites.vcf.gz" "$w/cohort.vcf.gz"
  bcftools index -t "$work/sites.vcf.gz"
fi
vcf=$work/sites.vcf.gz
nvar=$(bcftools index -n "$vcf")
ntx=$(grep -cP '\t(mRNA|lnc_RNA)\t' "$w/genes.gff3")

repeat=${BENCH_ANNOTATE_REPEAT:-3}
# The runs of one round go side by side; rounds are repeated because the machine is shared: the table gives
# the median and the range.
for round in $(seq "$repeat"); do
  measure precis_1core -- "$PRECIS" annotate --ref "$w/reference.fa" --genes "$w/genes.gff3" --vcf "$vcf" \
    --out "$work/precis.vcf.gz" --threads 1 --quiet
  measure bcftools_csq_1core -- bcftools csq -l -f "$w/reference.fa" -g "$w/genes.gff3" -Oz -o "$work/csq.vcf.gz" "$vcf"
  measure precis_2threads -- "$PRECIS" annotate --ref "$w/reference.fa" --genes "$w/genes.gff3" --vcf "$vcf" \
    --out "$work/precis_t2.vcf.gz" --threads 2 --quiet
  measure bcftools_csq_2threads -- bcftools csq -l --threads 1 -f "$w/reference.fa" -g "$w/genes.gff3" -Oz \
    -o "$work/csq_t2.vcf.gz" "$vcf"
  measure precis_2ranks -- mpiexec --oversubscribe -n 2 "$PRECIS" annotate --ref "$w/reference.fa" \
    --genes "$w/genes.gff3" --vcf "$vcf" --out "$work/precis_np2.vcf.gz" --threads 1 --quiet
  measure bcftools_view_1core -- bcftools view -Oz -o "$work/view.vcf.gz" "$vcf"
done
# The compression floor: bgzip (HTSlib with libdeflate, the default level both tools write at, one thread)
# of each tool's output text alone, with no reading, parsing or annotation.
for tool in precis csq; do
  bgzip -dc "$work/$tool.vcf.gz" >"$work/$tool.vcf"
  measure "bgzip_$tool" -- bgzip -c "$work/$tool.vcf"
  bytes[$tool]=$(stat -c %s "$work/$tool.vcf")
  rm "$work/$tool.vcf"
done
measure precis_2ranks_known -- mpiexec --oversubscribe -n 2 "$PRECIS" annotate --ref "$w/reference.fa" \
  --genes "$w/genes.gff3" --vcf "$vcf" --out "$work/precis_known.vcf.gz" --known "$w/clinvar.vcf.gz" \
  --frequencies "$w/frequencies.vcf.gz" --threads 1 --quiet

# Haplotype-aware mode on a dense phased cohort: precis (HCSQ) vs bcftools csq --phase s, side by side.
if [ ! -s "$work/phased/cohort.vcf.gz.tbi" ]; then
  "$PRECIS" simulate --out-dir "$work/phased" --seed 2 --samples 50 --variants 200000 --contigs 1 --contig-length 4000000 \
    --genes 100 --patients 0 --phased --quiet >&2
fi
p=$work/phased
for round in $(seq "$repeat"); do
  measure precis_phased -- "$PRECIS" annotate --ref "$p/reference.fa" --genes "$p/genes.gff3" --vcf "$p/cohort.vcf.gz" \
    --out "$work/precis_phased.vcf.gz" --threads 1 --quiet
  measure bcftools_csq_phased -- bcftools csq -p s -f "$p/reference.fa" -g "$p/genes.gff3" -Oz -o "$work/csq_phased.vcf.gz" \
    "$p/cohort.vcf.gz"
done
# Closer to a real genome: gene models about as dense as human (~60 transcripts per Mb, isoforms included)
# and genotype columns (100 phased samples), both tools in their default haplotype-aware mode on the same
# VCF (bcftools csq's default --phase r: the GTs are phased). bcftools csq does ~45k variants/s on a whole
# human genome; on the sites-only case above it does ~10x that, so this case is the more realistic one.
if [ ! -s "$work/dense/cohort.vcf.gz.tbi" ]; then
  "$PRECIS" simulate --out-dir "$work/dense" --seed 4 --samples 100 --phased --variants 300000 --contigs 2 \
    --contig-length 10000000 --genes 900 --patients 0 --causal 10 --quiet >&2
fi
dn=$work/dense
for round in $(seq "$repeat"); do
  measure precis_dense -- "$PRECIS" annotate --ref "$dn/reference.fa" --genes "$dn/genes.gff3" --vcf "$dn/cohort.vcf.gz" \
    --out "$work/precis_dense.vcf.gz" --threads 1 --quiet
  measure bcftools_csq_dense -- bcftools csq -f "$dn/reference.fa" -g "$dn/genes.gff3" -Oz -o "$work/csq_dense.vcf.gz" \
    "$dn/cohort.vcf.gz"
  measure bcftools_view_dense -- bcftools view -Oz -o "$work/view_dense.vcf.gz" "$dn/cohort.vcf.gz"
done
ndense=$(bcftools index -n "$dn/cohort.vcf.gz")

# Whole-genome memory: the real 63 Mb chr20 (vt's example FASTA) with simulated gene models and a dense
# phased VCF, at 1 and 2 ranks; and a GENCODE-sized gene model (that GFF3 replicated 170 times with renamed
# ids: ~250k transcripts, 2.2M lines) on a 3-record VCF, for the gene model's own peak.
memory=no
chr20_fa=/usr/share/doc/vt/examples/ref/20.fa.gz
if [ "${BENCH_ANNOTATE_MEMORY:-1}" = 1 ] && [ -s "$chr20_fa" ]; then
  memory=yes
  c=$work/chr20
  if [ ! -s "$c/world/cohort.vcf.gz.tbi" ]; then
    "$PRECIS" simulate --out-dir "$c/world" --seed 3 --ref "$chr20_fa" --genes 1500 --samples 20 --phased --variants 1000000 \
      --patients 0 --causal 10 --quiet >&2
  fi
  if [ ! -s "$c/genes_x170.gff3" ]; then
    { head -2 "$c/world/genes.gff3"
      for k in $(seq 170); do grep -v '^#' "$c/world/genes.gff3" | sed "s/ENSSIM\([GTPE]\)\([0-9]*\)/ENSSIM\1\2R$k/g"; done
    } >"$c/genes_x170.gff3"
    zcat "$c/world/cohort.vcf.gz" | awk '/^#/ || n++ < 3' | bgzip >"$c/tiny.vcf.gz"
    tabix -f -p vcf "$c/tiny.vcf.gz"
  fi
  measure precis_chr20 -- "$PRECIS" annotate --ref "$c/world/reference.fa" --genes "$c/world/genes.gff3" \
    --vcf "$c/world/cohort.vcf.gz" --out "$work/precis_chr20.vcf.gz" --threads 1 --quiet
  measure precis_chr20_np2 -- mpiexec --oversubscribe -n 2 "$PRECIS" annotate --ref "$c/world/reference.fa" \
    --genes "$c/world/genes.gff3" --vcf "$c/world/cohort.vcf.gz" --out "$work/precis_chr20_np2.vcf.gz" --threads 1 --quiet
  measure bcftools_csq_chr20 -- bcftools csq -f "$c/world/reference.fa" -g "$c/world/genes.gff3" -Oz \
    -o "$work/csq_chr20.vcf.gz" "$c/world/cohort.vcf.gz"
  measure precis_gencode_model -- "$PRECIS" annotate --ref "$c/world/reference.fa" --genes "$c/genes_x170.gff3" \
    --vcf "$c/tiny.vcf.gz" --out "$work/precis_gencode_model.vcf.gz" --threads 1 --quiet
  measure precis_small_model -- "$PRECIS" annotate --ref "$c/world/reference.fa" --genes "$c/world/genes.gff3" \
    --vcf "$c/tiny.vcf.gz" --out "$work/precis_small_model.vcf.gz" --threads 1 --quiet
  nchr20=$(bcftools index -n "$c/world/cohort.vcf.gz")
  ntx_chr20=$(grep -cP '\t(mRNA|lnc_RNA)\t' "$c/world/genes.gff3")
  ntx_x170=$(grep -cP '\t(mRNA|lnc_RNA)\t' "$c/genes_x170.gff3")
fi
ntx_dense=$(grep -cP '\t(mRNA|lnc_RNA)\t' "$dn/genes.gff3")

python3 "$(dirname "$0")/annotate_haplotype.py" "$work/precis_phased.vcf.gz" "$work/csq_phased.vcf.gz" --disagreements 6 \
  >"$work/haplotype_agreement.txt"
nphased=$(bcftools index -n "$p/cohort.vcf.gz")

# snpEff (when installed): database built offline from the same GFF3 and FASTA. Its GFF3 reader does not
# resolve Ensembl's "transcript:"/"gene:" ID prefixes, so they are stripped for it (sed); lnc_RNA features
# are not loaded by it.
have_snpeff=no
if command -v snpEff >/dev/null; then
  have_snpeff=yes
  se=$work/snpeff
  if [ ! -s "$se/data/sim/snpEffectPredictor.bin" ]; then
    mkdir -p "$se/data/sim"
    sed -e 's/transcript://g; s/gene://g; s/CDS://g' "$w/genes.gff3" >"$se/data/sim/genes.gff"
    cp "$w/reference.fa" "$se/data/sim/sequences.fa"
    printf 'data.dir = ./data/\nsim.genome : sim\n' >"$se/snpEff.config"
    (cd "$se" && snpEff build -Xmx4g -gff3 -c snpEff.config -noCheckCds -noCheckProtein sim >build.log 2>&1)
  fi
  (cd "$se" && measure snpeff_1core -- sh -c "snpEff ann -Xmx4g -c snpEff.config -noStats -noLog sim ../sites.vcf.gz | bgzip -@0 > ../snpeff.vcf.gz")
  python3 "$(dirname "$0")/annotate_compare.py" "$work/precis.vcf.gz" "$work/snpeff.vcf.gz" --disagreements 6 >"$work/agreement_snpeff.txt"
fi

same=$(cmp -s <(zcat "$work/precis.vcf.gz") <(zcat "$work/precis_np2.vcf.gz") \
  && cmp -s <(zcat "$work/precis.vcf.gz") <(zcat "$work/precis_t2.vcf.gz") && echo yes || echo NO)
python3 "$(dirname "$0")/annotate_compare.py" "$work/precis.vcf.gz" "$work/csq.vcf.gz" --disagreements 8 >"$work/agreement.txt"
range() {  # LABEL FIELD: min-max
  awk -v l="$1" -v f="$2" '$1 == l {v = $f; if (n++ == 0 || v < lo) lo = v; if (v > hi) hi = v} END {printf "%s-%s", lo, hi}' "$timings"
}
cpu() {  # LABEL: median user + sys seconds
  awk -v l="$1" '$1 == l {print $3 + $4}' "$timings" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
row() {  # label description [peer label]
  local t rss
  t=$(median "$1" 2)
  rss=$(($(median "$1" 5) / 1024))
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$t" "$(range "$1" 2)" "$(cpu "$1")" \
    "$(awk -v n="$nvar" -v t="$t" 'BEGIN {printf "%.0f", n / t}')" "$rss" \
    "$( [ -n "${3:-}" ] && ratio "$(median "$3" 2)" "$t" || echo)" \
    "$( [ -n "${3:-}" ] && ratio "$(cpu "$3")" "$(cpu "$1")" || echo)"
}
cat <<EOT
## annotate: precis annotate vs bcftools csq

Input: simulated sites-only VCF, $nvar records (SNVs, indels, multi-allelic) on 4 x 25 Mb contigs with
$ntx transcripts (GFF3 from precis simulate, read unchanged by both tools). $(awk '$1 == "precis_1core"' "$timings" | wc -l)
rounds of side-by-side runs on a 2-core machine shared with other engineers' builds and tests (load
average $(cut -d' ' -f1 /proc/loadavg) at the end): wall seconds (median and range), CPU seconds (user + sys, median), variants/s
from the median wall, peak RSS (/usr/bin/time; for mpiexec the largest process), and speed relative to
bcftools csq at the same core count (its median wall / ours, and its median CPU seconds / ours: on a
shared machine the CPU ratio is the steadier one). Both write bgzipped VCF at the default
level; precis also builds the .tbi. bcftools csq runs with --local-csq (no haplotype combination) on the
sites-only input; its --threads only adds compression threads. \`bcftools view -Oz\` (read, parse, write,
no annotation) is the I/O floor, and bgzip of each tool's output text alone the compression floor.

| run | wall s | range | CPU s | variants/s | peak RSS MB | x bcftools csq (wall) | x bcftools csq (CPU) |
|---|---|---|---|---|---|---|---|
$(row precis_1core "precis annotate, 1 rank, 1 thread" bcftools_csq_1core)
$(row precis_2threads "precis annotate, 1 rank, 2 threads" bcftools_csq_2threads)
$(row precis_2ranks "precis annotate, 2 ranks x 1 thread" bcftools_csq_2threads)
$(row precis_2ranks_known "precis annotate, 2 ranks, + --known + --frequencies (one run)")
$(row bcftools_csq_1core "bcftools csq -l")
$(row bcftools_csq_2threads "bcftools csq -l --threads 1 (compression thread)")
$(row bcftools_view_1core "bcftools view -Oz (I/O only)")
$(row bgzip_precis "bgzip of precis's output alone ($((bytes[precis] / 1000000)) MB of text)")
$(row bgzip_csq "bgzip of bcftools csq's output alone ($((bytes[csq] / 1000000)) MB of text)")
$( [ "$have_snpeff" = yes ] && row snpeff_1core "snpEff ann (Java; + bgzip), database built offline, one run" )

At one core, 2x bcftools csq's throughput means $(awk -v c="$(cpu bcftools_csq_1core)" 'BEGIN {printf "%.2f", c / 2}') CPU s for the whole run. Compressing
precis's output alone takes $(cpu bgzip_precis) CPU s at the default level (bcftools csq's own output: $(cpu bgzip_csq) s).

Output at 1 rank and 2 ranks identical (decompressed): $same

Most severe consequence per record vs bcftools csq (records where either tool reports a transcript
consequence; precis restricted to protein-coding transcripts; terms mapped to SO names):

| class | records | agree | rate |
|---|---|---|---|
$(awk -F'\t' '$1 == "SNV" || $1 == "indel" {printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$work/agreement.txt")

Protein position and amino acids of the SNVs bcftools csq calls missense, synonymous or stop_gained
(same transcript): $(awk -F'\t' '$1 == "protein_change" {printf "%s of %s equal (%s)", $3, $2, $4}' "$work/agreement.txt").

Main disagreement classes (peer = bcftools csq):
$(grep '^#' "$work/agreement.txt" | sed 's/^# /- /')
EOT
cat <<EOT

Haplotype-aware consequences: phased cohort of $nphased records x 50 samples on one 4 Mb contig with
100 genes (precis simulate --phased, dense so that compounds are frequent), one core each:

| run | wall s | range | CPU s | variants/s | peak RSS MB | x bcftools csq (wall) | x bcftools csq (CPU) |
|---|---|---|---|---|---|---|---|
$(nvar=$nphased; row precis_phased "precis annotate (HCSQ), 1 thread" bcftools_csq_phased)
$(nvar=$nphased; row bcftools_csq_phased "bcftools csq --phase s")

Compounds (transcript + member alleles) of bcftools csq found by precis, and their most severe
consequence (bcftools' \`*\`-marked downstream entries excluded):

| class | compounds | found / agree | rate |
|---|---|---|---|
$(awk -F'\t' '$1 ~ /^(snv|indel)_compound/ {printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$work/haplotype_agreement.txt")

$(awk -F'\t' '$1 == "precis_only" {printf "Combinations precis reports that bcftools csq does not (same transcript and alleles): %s.", $2}' "$work/haplotype_agreement.txt")
$(grep '^#' "$work/haplotype_agreement.txt" | sed 's/^# /- /')

Denser, closer to a real genome: $ndense records x 100 phased samples on 2 x 10 Mb contigs with $ntx_dense
transcripts ($(awk -v n="$ntx_dense" 'BEGIN {printf "%.0f", n / 20}') per Mb; human: ~60 incl. isoforms), both tools in their default
haplotype-aware mode (precis: HCSQ; bcftools csq: --phase r), one core each:

| run | wall s | range | CPU s | variants/s | peak RSS MB | x bcftools csq (wall) | x bcftools csq (CPU) |
|---|---|---|---|---|---|---|---|
$(nvar=$ndense; row precis_dense "precis annotate, 1 thread" bcftools_csq_dense)
$(nvar=$ndense; row bcftools_csq_dense "bcftools csq")
$(nvar=$ndense; row bcftools_view_dense "bcftools view -Oz (I/O only)")
EOT
if [ "$memory" = yes ]; then
  cat <<EOT

Memory on a real chromosome: GRCh37 chr20 (63 Mb, from vt's examples) with $ntx_chr20 simulated transcripts
and $nchr20 records x 20 phased samples (precis simulate --ref); and the gene model alone at GENCODE size
($ntx_x170 transcripts: the chr20 GFF3 replicated 170 times with renamed ids) on a 3-record VCF:

| run | wall s | range | CPU s | variants/s | peak RSS MB | x bcftools csq (wall) | x bcftools csq (CPU) |
|---|---|---|---|---|---|---|---|
$(nvar=$nchr20; row precis_chr20 "precis annotate chr20, 1 rank, 1 thread" bcftools_csq_chr20)
$(nvar=$nchr20; row precis_chr20_np2 "precis annotate chr20, 2 ranks x 1 thread")
$(nvar=$nchr20; row bcftools_csq_chr20 "bcftools csq chr20")
$(nvar=3; row precis_small_model "precis annotate, chr20 model ($ntx_chr20 transcripts), 3 records")
$(nvar=3; row precis_gencode_model "precis annotate, GENCODE-sized model ($ntx_x170 transcripts), 3 records")
EOT
fi
if [ "$have_snpeff" = yes ]; then
  cat <<EOT

Most severe consequence vs snpEff (protein-coding transcripts; snpEff's conservative/disruptive inframe
and UTR sub-terms mapped to their SO parents; up/downstream and intergenic count as none):

| class | records | agree | rate |
|---|---|---|---|
$(awk -F'\t' '$1 == "SNV" || $1 == "indel" {printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$work/agreement_snpeff.txt")

Main disagreement classes (peer = snpEff):
$(grep '^#' "$work/agreement_snpeff.txt" | sed 's/^# /- /')
EOT
fi
