#!/usr/bin/env bash
# precis annotate peak memory per rank on a whole-genome-shaped input (the "<= 1 GB per rank" bar), with
# bcftools csq on the same input as the peer. There is no GRCh38 on this machine, so the input is built
# from real human sequence (GRCh37 chr20 from vt's examples):
# - reference: GRCh38's 24 primary contigs (1-22, X, Y) at their real lengths, each made of copies of chr20
#   (upper-cased by precis simulate) truncated to length; samtools-faidx FASTA (60 bases a line) + .fai;
# - gene model: precis simulate --ref on chr20 (genes snapped to real splice sites and ORFs), each transcript
#   given 3 or 4 isoforms (same exons, renamed ids; 3.4 on average, GENCODE's ~4 per gene), then replicated
#   with renamed ids and shifted coordinates over every chr20 copy of every contig where the gene fits:
#   ~250k transcripts, GENCODE's count, at ~80 per Mb like GENCODE over GRCh38;
# - VCF: the same simulation's phased cohort (20 samples) replicated the same way over contigs 1 and 2 only
#   (REF checked against the FASTA with bcftools norm -c e), bgzipped and tabix-indexed.
# Runs side by side: precis annotate at 1 rank and at 2 ranks (1 thread each), bcftools csq (one core).
# Besides /usr/bin/time's peak RSS (lib.sh's measure: for mpiexec the largest process), every precis
# process is sampled from /proc (VmRSS, VmHWM) to give each rank's peak, split into the gene-model load
# (VmHWM when the log line of the loaded model appears) and the rest of the run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=bench/work/annotate_genome
mkdir -p "$work"
timings=$PWD/$work/timings.txt
: >"$timings"
: >"$timings.log"
chr20_fa=/usr/share/doc/vt/examples/ref/20.fa.gz
nvariants=${BENCH_GENOME_VARIANTS:-140000}  # sites simulated on chr20; replicated ~7.8x over contigs 1 and 2
repeat=${BENCH_GENOME_REPEAT:-3}
in=$work/input
mkdir -p "$in"

# GRCh38 primary assembly contig lengths (no MT, no alt/random/unplaced contigs).
cat >"$in/contigs.txt" <<'EOF'
1 248956422
2 242193529
3 198295559
4 190214555
5 181538259
6 170805979
7 159345973
8 145138636
9 138394717
10 133797422
11 135086622
12 133275309
13 114364328
14 107043718
15 101991189
16 90338345
17 83257441
18 80373285
19 58617616
20 64444167
21 46709983
22 50818468
X 156040895
Y 57227415
EOF

# 1. Template: genes and a phased cohort simulated on the real chr20.
t=$in/template
if [ ! -s "$t/cohort.vcf.gz.tbi" ]; then
  "$PRECIS" simulate --out-dir "$t" --seed 3 --ref "$chr20_fa" --genes 5000 --samples 20 --phased \
    --variants "$nvariants" --patients 0 --causal 10 --threads 2 --quiet >&2
fi
L=$(cut -f2 "$t/reference.fa.fai")  # 63025520

# 2. Reference: each contig = whole chr20 copies + a truncated one, rewrapped at 60 bases (fold), indexed
# by samtools faidx.
if [ ! -s "$in/genome.fa.fai" ]; then
  samtools faidx "$t/reference.fa" 20 | tail -n +2 | tr -d '\n' >"$in/chr20.seq"
  while read -r name len; do
    echo ">$name"
    { for ((i = 0; i < len / L; i++)); do cat "$in/chr20.seq"; done
      head -c $((len % L)) "$in/chr20.seq"; } | fold -w 60
    echo
  done <"$in/contigs.txt" >"$in/genome.fa.tmp"
  mv "$in/genome.fa.tmp" "$in/genome.fa"
  rm -f "$in/chr20.seq"
  samtools faidx "$in/genome.fa"
fi
ref=$in/genome.fa

# 3. Gene models: each transcript given isoforms (identical exons, renamed ids; the same number on average
# for every transcript, so that the genome holds ~250k transcripts, GENCODE's count), then one copy of the
# model per chr20 copy, wherever the whole gene fits in the contig, with renamed ids and shifted coordinates.
# build_model TEMPLATE_GFF3 OUT_GFF3
build_model() {
  local ntx_t avg
  ntx_t=$(grep -cP '\t(mRNA|lnc_RNA)\t' "$1")
  avg=$(awk -v t="$ntx_t" -v L="$L" '{g += $2} END {printf "%.4f", 250000 * L / g / t}' "$in/contigs.txt")
  awk -F'\t' -v OFS='\t' -v avg="$avg" '
    function flush(   j, i, s, n) {
      if (nb == 0) return
      n = int((ntx + 1) * avg) - int(ntx * avg)  # avg on average, spread evenly
      for (i = 1; i <= nb; i++) print blk[i]
      for (j = 2; j <= n; j++)
        for (i = 1; i <= nb; i++) {
          s = blk[i]
          gsub(/ENSSIM[TPE][0-9]+/, "&I" j, s)
          if (i == 1) { sub(/;tag=Ensembl_canonical/, "", s); sub(/Name=[^;]*-2[0-9][0-9]/, "&I" j, s) }
          print s
        }
      nb = 0; ntx++
    }
    /^#/ || $3 == "gene" || $3 == "ncRNA_gene" { flush(); print; next }
    $3 == "mRNA" || $3 == "lnc_RNA" { flush() }
    { blk[++nb] = $0 }
    END { flush() }' "$1" |
  awk -F'\t' -v OFS='\t' -v L="$L" '
    FNR == NR { cname[++nc] = $1; clen[nc] = $2; next }
    /^#/ { next }
    { if ($3 ~ /gene$/) { nblk++; gend[nblk] = $5; first[nblk] = n + 1 }
      n++; line[n] = $0; blk[n] = nblk }
    END {
      print "##gff-version 3"
      for (c = 1; c <= nc; c++) print "##sequence-region   " cname[c] " 1 " clen[c]
      for (c = 1; c <= nc; c++)
        for (k = 0; k * L < clen[c]; k++) {
          off = k * L; tag = "_" cname[c] "_" k
          for (b = 1; b <= nblk; b++) {
            if (gend[b] + off > clen[c]) continue
            for (i = first[b]; i <= n && blk[i] == b; i++) {
              split(line[i], f, "\t")
              s = f[9]; gsub(/ENSSIM[GTPE][0-9]+(I[0-9])?/, "&" tag, s); gsub(/PRCS[0-9]+/, "&" tag, s)
              print cname[c], f[2], f[3], f[4] + off, f[5] + off, f[6], f[7], f[8], s
            }
            print "###"
          }
        }
    }' FS=' ' "$in/contigs.txt" FS='\t' - >"$2.tmp"
  mv "$2.tmp" "$2"
}
# a. "real": the genes precis simulate --ref placed on chr20 (real GT/AG splice sites, real ORFs).
[ -s "$in/genes.gff3" ] || build_model "$t/genes.gff3" "$in/genes.gff3"
# b. "exon-rich": genes of precis simulate's synthetic genome (2-12 exons, GENCODE's ~6.5 exons per
# transcript, longer introns) on a synthetic contig as long as chr20, laid on the same real sequence
# (their CDS are not ORFs of it: only the gene model's size and shape matter here).
if [ ! -s "$in/genes_exonrich.gff3" ]; then
  "$PRECIS" simulate --out-dir "$in/synthetic" --seed 7 --contigs 1 --contig-length "$L" --genes 1300 --samples 10 \
    --variants 1000 --patients 0 --causal 1 --quiet >&2
  build_model "$in/synthetic/genes.gff3" "$in/genes_exonrich.gff3"
fi

# 4. VCF: the template cohort on every chr20 copy of contigs 1 and 2 (records that fit), contig header
# lines from the FASTA index; REF checked against the FASTA.
vcf=$in/cohort.vcf.gz
if [ ! -s "$vcf.tbi" ]; then
  { bcftools view -h "$t/cohort.vcf.gz" | grep -v '^##contig=' | grep -v '^#CHROM'
    awk '{printf "##contig=<ID=%s,length=%s>\n", $1, $2}' "$ref.fai"
    bcftools view -h "$t/cohort.vcf.gz" | grep '^#CHROM'
    for c in 1 2; do
      len=$(awk -v c="$c" '$1 == c {print $2}' "$in/contigs.txt")
      for ((k = 0; k * L < len; k++)); do
        bcftools view -H "$t/cohort.vcf.gz" | awk -F'\t' -v OFS='\t' -v c="$c" -v off=$((k * L)) -v len="$len" '
          $2 + off + length($4) - 1 <= len { $1 = c; $2 += off; $3 = c ":" $2 ":" $4 ":" $5; print }'
      done
    done
  } | bgzip -@2 >"$vcf.tmp"
  bcftools norm -c e -f "$ref" -Ou -o /dev/null "$vcf.tmp" 2>"$in/norm_check.txt"
  mv "$vcf.tmp" "$vcf"
  tabix -f -p vcf "$vcf"
fi
nrec=$(bcftools index -n "$vcf")
nsam=$(bcftools query -l "$vcf" | wc -l)
genome_bp=$(awk '{s += $2} END {print s}' "$ref.fai")

# run_sampled LABEL -- COMMAND...: as lib.sh's measure ("LABEL wall user sys max_rss_kb" in $timings; stderr
# kept in $work/LABEL.err), and every 0.2 s each precis process of the run is sampled into $work/LABEL.rss
# as "pid VmRSS_kB VmHWM_kB loaded": loaded = 1 once the process holds its output part open
# (.OUT.precis-vcf.RANK, created right after its gene model is loaded and the reader's memory trimmed).
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
run_sampled() {
  local label=$1 rss=$work/$1.rss top p loaded
  shift 2
  : >"$rss"
  /usr/bin/time -f "$label %e %U %S %M" -a -o "$timings" "$@" >/dev/null 2>"$work/$label.err" &
  top=$!
  while kill -0 "$top" 2>/dev/null; do
    for p in $(descendants "$top"); do
      [ "$(cat "/proc/$p/comm" 2>/dev/null)" = precis ] || continue
      loaded=0
      ls -l "/proc/$p/fd" 2>/dev/null | grep -q 'precis-vcf\.' && loaded=1
      awk -v p="$p" -v l="$loaded" '/^VmRSS/ {r = $2} /^VmHWM/ {h = $2} END {if (r) print p, r, h, l}' \
        "/proc/$p/status" 2>/dev/null >>"$rss" || true
    done
    sleep 0.2
  done
  wait "$top"
}

# Side by side, per round: precis at 1 rank and 2 ranks and bcftools csq, on each gene model.
for round in $(seq "$repeat"); do
  for m in real exonrich; do
    g=$in/genes.gff3
    [ "$m" = real ] || g=$in/genes_$m.gff3
    run_sampled "precis_1rank_$m" -- "$PRECIS" annotate --ref "$ref" --genes "$g" --vcf "$vcf" \
      --out "$work/precis_$m.vcf.gz" --threads 1
    run_sampled "precis_2ranks_$m" -- mpiexec --oversubscribe -n 2 "$PRECIS" annotate --ref "$ref" --genes "$g" \
      --vcf "$vcf" --out "$work/precis_np2_$m.vcf.gz" --threads 1
    measure "bcftools_csq_$m" -- bcftools csq -f "$ref" -g "$g" -Oz -o "$work/csq_$m.vcf.gz" "$vcf"
  done
done

cpu() { awk -v l="$1" '$1 == l {print $3 + $4}' "$timings" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
range() { awk -v l="$1" '$1 == l {v = $2; if (n++ == 0 || v < lo) lo = v; if (v > hi) hi = v} END {printf "%s-%s", lo, hi}' "$timings"; }
row() {  # LABEL DESCRIPTION
  local t
  t=$(median "$1" 2)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$2" "$t" "$(range "$1")" "$(cpu "$1")" \
    "$(awk -v n="$nrec" -v t="$t" 'BEGIN {printf "%.0f", n / t}')" "$(($(median "$1" 5) / 1024))"
}
# Per precis process of the last round, in pid order (rank order under mpiexec): VmHWM at the first sample
# after its gene model was loaded (= the load peak), the largest VmRSS sampled afterwards, the last VmHWM.
ranks() {  # LABEL DESCRIPTION
  awk -v lab="$2" '
    { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      hwm[$1] = $3
      if ($4 == 1) done[$1] = 1
      if (done[$1] && !($1 in load)) load[$1] = $3
      if (done[$1] && $2 > after[$1]) after[$1] = $2 }
    END { for (i = 1; i <= n; i++) { p = order[i]
      printf "| %s, %s | %.0f | %.0f | %.0f |\n", lab, (n > 1 ? "rank " i - 1 : "the process"), load[p] / 1024, after[p] / 1024, hwm[p] / 1024 } }' \
    "$work/$1.rss"
}
check() {  # FILE: "valid header, N records" or INVALID
  if bcftools view -h "$1" >/dev/null 2>&1; then echo "valid header, $(bcftools view -H "$1" | wc -l) records"; else echo "INVALID"; fi
}
model() {  # GFF3 -> one line describing it
  awk -F'\t' -v G="$genome_bp" '
    $3 == "gene" || $3 == "ncRNA_gene" {g++; span += $5 - $4 + 1} $3 == "mRNA" || $3 == "lnc_RNA" {t++}
    $3 == "exon" {e++} $3 == "CDS" {c++} !/^#/ {lines++}
    END {printf "%d transcripts (%.0f per Mb), %d genes, %.1f exons and %.1f CDS lines per transcript, gene bodies %.0f%% of the genome, %d GFF3 lines", t, t / G * 1e6, g, e / t, c / t, 100 * span / G, lines}' "$1"
}

cat <<EOT
## annotate_genome: precis annotate memory per rank on a whole-genome-shaped input

The "<= 1 GB per rank" bar, measured instead of extrapolated. No GRCh38 on this machine; the closest honest
substitute, built by bench/annotate_genome.sh from real human sequence (cached in bench/work/annotate_genome/):

- **Reference**: GRCh38's 24 primary contigs (1-22, X, Y) at their real lengths, $(awk -v g="$genome_bp" 'BEGIN {printf "%.3f", g / 1e9}') Gb: contig 1 =
  $(awk '$1 == 1 {print $2}' "$ref.fai") bp, contig 2 = $(awk '$1 == 2 {print $2}' "$ref.fai") bp, ..., Y = $(awk '$1 == "Y" {print $2}' "$ref.fai") bp; each made of copies of GRCh37 chr20 (vt's example,
  $L bp, as precis simulate --ref reads it: upper case) truncated to length; plain FASTA, 60 bases a
  line, samtools faidx index.
- **Gene models** (~250k transcripts, GENCODE's count, over the whole genome), each a chr20-sized template
  whose transcripts get isoforms (identical exons, renamed ids) to reach that count, replicated with renamed
  ids and shifted coordinates on every chr20 copy of every contig where the gene fits:
  - *real*: precis simulate --ref on chr20 (genes snapped to real GT/AG splice sites and real ORFs):
    $(model "$in/genes.gff3"). precis: $(grep -m1 ' transcripts (' "$work/precis_1rank_real.err" | sed 's/.*\.gff3: //'),
    $(grep -c 'skipped (' "$work/precis_1rank_real.err" || true) skip lines in its log.
  - *exon-rich*: the genes of precis simulate's synthetic genome (2-12 exons) laid on the same sequence
    (their CDS are not ORFs of it; this model is for size and shape only): $(model "$in/genes_exonrich.gff3").
    precis: $(grep -m1 ' transcripts (' "$work/precis_1rank_exonrich.err" | sed 's/.*\.gff3: //'), $(grep -c 'skipped (' "$work/precis_1rank_exonrich.err" || true) skip lines.

  GENCODE for comparison: ~62k genes, ~6.5 exons per transcript, gene bodies covering roughly half of the
  genome; the exon-rich model is the closer one in exons, the real one is the one whose CDS are ORFs.
- **VCF**: that simulation's cohort ($nsam phased samples; SNVs, indels, multi-allelic) replicated the same way over every
  chr20 copy of contigs 1 and 2 only: **$nrec records**, bgzipped, tabix-indexed; REF checked against the FASTA
  by \`bcftools norm -c e\` ($(grep -m1 '^Lines' "$in/norm_check.txt" | tr '\t' ' ' || true)).

Per gene model, one after another, $repeat round(s): precis annotate at 1 rank and at 2 ranks (\`mpiexec -n 2\`),
one thread per rank, and bcftools csq (one core, its default haplotype-aware \`--phase r\`, as precis without
--local-csq). Wall seconds (median and range), CPU seconds (user + sys), records/s, peak RSS from
/usr/bin/time (for mpiexec, the largest process):

| run | wall s | range | CPU s | records/s | peak RSS MB |
|---|---|---|---|---|---|
$(row precis_1rank_real "real model: precis annotate, 1 rank")
$(row precis_2ranks_real "real model: precis annotate, 2 ranks")
$(row bcftools_csq_real "real model: bcftools csq")
$(row precis_1rank_exonrich "exon-rich model: precis annotate, 1 rank")
$(row precis_2ranks_exonrich "exon-rich model: precis annotate, 2 ranks")
$(row bcftools_csq_exonrich "exon-rich model: bcftools csq")

Memory of each precis process (last round), sampled from /proc every 0.2 s: **load peak** = VmHWM at
the first sample after the process opened its output part (done right after the gene model is read and
the reader's memory given back), i.e. the peak of start-up and gene-model loading; **after load** = the
largest VmRSS sampled afterwards (model + reference contig(s) + chunks; a sample can miss a short spike,
the peak column cannot); **peak** = VmHWM at the last sample:

| process | load peak MB | after load, max sampled RSS MB | peak (VmHWM) MB |
|---|---|---|---|
$(ranks precis_1rank_real "real model, 1 rank")
$(ranks precis_2ranks_real "real model, 2 ranks")
$(ranks precis_1rank_exonrich "exon-rich model, 1 rank")
$(ranks precis_2ranks_exonrich "exon-rich model, 2 ranks")

Outputs (input: $nrec records):

| model | precis 1 rank | precis 2 ranks | 1 rank = 2 ranks (decompressed) | bcftools csq |
|---|---|---|---|---|
EOT
for m in real exonrich; do
  printf '| %s | %s | %s | %s | %s |\n' "$m" "$(check "$work/precis_$m.vcf.gz")" "$(check "$work/precis_np2_$m.vcf.gz")" \
    "$(cmp -s <(zcat "$work/precis_$m.vcf.gz") <(zcat "$work/precis_np2_$m.vcf.gz") && echo yes || echo NO)" \
    "$(check "$work/csq_$m.vcf.gz")"
done
echo
for m in real exonrich; do
  echo "precis ($m model, 1 rank, last round): gene model loaded $(sed -n 's/^\[precis annotate \([0-9.]*s\)\].* transcripts (.*/\1/p' \
    "$work/precis_1rank_$m.err") after start; $(grep -m1 ' records, ' "$work/precis_1rank_$m.err" | sed 's/^\[[^]]*\] //')."
done
