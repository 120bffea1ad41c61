#!/usr/bin/env bash
# precis gwas vs plink2 --glm firth-fallback on the same simulated cohort, same thread count, in one run:
# logistic regression of the 0/1 phenotype on ALT dosage + age + sex (variance-standardised), Firth
# fallback. Reports wall time, throughput (samples x variants / s), peak RSS and the agreement.
# Size: BENCH_SAMPLES x BENCH_VARIANTS (default 10,000 x 20,000). plink2 reads a .pgen converted once
# from the VCF beforehand (its own fast format, as precis reads its cohort.h5): the conversion is not timed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
samples=${BENCH_SAMPLES:-10000}
variants=${BENCH_VARIANTS:-20000}
threads=${BENCH_THREADS:-2}
reps=${BENCH_REPS:-1}
work=bench/work/gwas
mkdir -p "$work"
timings=$work/timings.txt
: >"$timings"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

world=$work/world_${samples}x$variants
if [ ! -s "$world/cohort.h5" ]; then
  "$PRECIS" simulate --out-dir "$world" --seed 5 --samples "$samples" --variants "$variants" --contigs 2 \
    --contig-length 5000000 --genes 10 --patients 0 --causal 100 --quiet --threads "$threads" >&2
  "$PRECIS" convert --vcf "$world/cohort.vcf.gz" --phenotypes "$world/phenotypes.tsv" \
    --covariates "$world/covariates.tsv" --out "$world/cohort.h5" --quiet --threads "$threads" >&2
  bcftools norm -m- "$world/cohort.vcf.gz" -Oz -o "$world/split.vcf.gz" 2>/dev/null
  plink2 --vcf "$world/split.vcf.gz" --make-pgen --out "$world/plink" --threads "$threads" >/dev/null
  sed '1s/^sample_id/#IID/' "$world/phenotypes.tsv" >"$world/plink_pheno.tsv"
  sed '1s/^sample_id/#IID/' "$world/covariates.tsv" >"$world/plink_covar.tsv"
fi
nvar=$(($(grep -c . "$world/plink.pvar") - $(grep -c '^#' "$world/plink.pvar")))
nsam=$samples

for rep in $(seq "$reps"); do
  measure plink2 -- plink2 --pfile "$world/plink" --pheno "$world/plink_pheno.tsv" --1 \
    --covar "$world/plink_covar.tsv" --covar-variance-standardize --glm firth-fallback hide-covar omit-ref \
    --threads "$threads" --out "$work/plink"
  measure precis_1rank -- "$PRECIS" gwas --cohort "$world/cohort.h5" --phenotype disease --covariates age,sex \
    --threads "$threads" --out "$work/precis1" --quiet
  measure precis_2ranks -- mpiexec --oversubscribe -n 2 "$PRECIS" gwas --cohort "$world/cohort.h5" \
    --phenotype disease --covariates age,sex --threads $((threads / 2 > 0 ? threads / 2 : 1)) \
    --out "$work/precis2" --quiet
done
cmp -s "$work/precis1.disease.glm.logistic.hybrid" "$work/precis2.disease.glm.logistic.hybrid" \
  && same="identical" || same="DIFFERENT"
read -r shared dlp rdb dse nrel fm o1 o2 _ <<<"$(awk -f tests/e2e/glm_compare.awk \
  "$work/precis1.disease.glm.logistic.hybrid" "$work/plink.disease.glm.logistic.hybrid")"
firth=$(awk -F'\t' '$7 == "Y"' "$work/precis1.disease.glm.logistic.hybrid" | wc -l)
# R as the arbiter where precis and plink2 differ (bench/glm_arbiter.sh; needs R with brglm2: setup.sh --bench).
r_check="(Rscript not installed)"
command -v Rscript >/dev/null && r_check=$(bash bench/glm_arbiter.sh "$work" "$work/precis1.disease.glm.logistic.hybrid" \
  "$work/plink.disease.glm.logistic.hybrid" "$world/split.vcf.gz" "$world/phenotypes.tsv" "$world/covariates.tsv")

# The same against Debian 13's plink2 (double precision), when it can be fetched (plink2_debian13 in lib.sh).
pl13=$(plink2_debian13)
row13=
gw13="Debian 13's plink2 could not be fetched from deb.debian.org."
if [ -n "$pl13" ]; then
  v13=$("$pl13" --version | cut -d' ' -f2)
  measure plink2_13 -- "$pl13" --pfile "$world/plink" --pheno "$world/plink_pheno.tsv" --1 \
    --covar "$world/plink_covar.tsv" --covar-variance-standardize --glm firth-fallback hide-covar omit-ref \
    --threads "$threads" --out "$work/plink13"
  read -r s13 dlp13 rdb13 dse13 nrel13 fm13 _ <<<"$(awk -f tests/e2e/glm_compare.awk \
    "$work/precis1.disease.glm.logistic.hybrid" "$work/plink13.disease.glm.logistic.hybrid")"
  gw13="Against Debian 13's plink2 $v13, which fits in double precision (its \`single-prec-cc\` modifier asks for
single), same options and threads: $s13 variants with a p-value in both, max |delta log10 p| = $dlp13; max
relative delta beta = $rdb13 ($nrel13 variants >= 1e-4); max |delta beta| / SE = $dse13; FIRTH? differs on $fm13."
  command -v Rscript >/dev/null && gw13="$gw13 R as the arbiter, as above:

$(bash bench/glm_arbiter.sh "$work/arbiter13" "$work/precis1.disease.glm.logistic.hybrid" \
    "$work/plink13.disease.glm.logistic.hybrid" "$world/split.vcf.gz" "$world/phenotypes.tsv" \
    "$world/covariates.tsv" "plink2 $v13")"
fi

t_pl=$(median plink2 2)
t_p1=$(median precis_1rank 2)
t_p2=$(median precis_2ranks 2)
cpu() { awk -v u="$(median "$1" 3)" -v s="$(median "$1" 4)" 'BEGIN {printf "%.2f", u + s}'; }
tput() { awk -v s="$nsam" -v v="$nvar" -v t="$1" 'BEGIN {printf "%.3g", s * v / t}'; }
[ -z "$pl13" ] || row13="
| plink2 $v13 (Debian 13, double precision) | $(median plink2_13 2) | $(ratio "$(median plink2_13 2)" "$t_pl") | $(tput "$(median plink2_13 2)") | $(cpu plink2_13) | $(ratio "$(cpu plink2_13)" "$(cpu plink2)") | $(($(median plink2_13 5) / 1024)) |"
cat <<EOT
## gwas: precis gwas vs plink2 --glm firth-fallback

Input: simulated cohort, $nsam samples x $nvar biallelic variants (2 contigs), phenotype 'disease'
(0/1), covariates age and sex (variance-standardised), logistic regression with Firth fallback
($firth variants used Firth). $threads threads per tool in total (precis at 2 ranks: $((threads / 2 > 0 ? threads / 2 : 1)) thread(s) per rank);
median of $reps run(s), wall seconds. plink2 $(plink2 --version | head -1 | cut -d' ' -f2) reads a .pgen
made beforehand, precis its cohort.h5. The machine (2 cores) is shared with other work: wall times
depend on the load at the moment; CPU seconds (/usr/bin/time user + sys; for 2 ranks, of the mpiexec
process tree) are the steadier comparison.

| tool | wall s | time vs plink2 | samples x variants / s | CPU s (user+sys) | CPU vs plink2 | peak RSS MB |
|---|---|---|---|---|---|---|
| plink2 --glm firth-fallback | $t_pl | 1.00 | $(tput "$t_pl") | $(cpu plink2) | 1.00 | $(($(median plink2 5) / 1024)) |
| precis gwas, 1 rank | $t_p1 | $(ratio "$t_p1" "$t_pl") | $(tput "$t_p1") | $(cpu precis_1rank) | $(ratio "$(cpu precis_1rank)" "$(cpu plink2)") | $(($(median precis_1rank 5) / 1024)) |
| precis gwas, 2 ranks | $t_p2 | $(ratio "$t_p2" "$t_pl") | $(tput "$t_p2") | $(cpu precis_2ranks) | $(ratio "$(cpu precis_2ranks)" "$(cpu plink2)") | $(($(median precis_2ranks 5) / 1024)) (per rank) |$row13

Agreement on the $shared variants both report with a p-value: max |delta log10 p| = $dlp; max relative
delta beta = $rdb ($nrel variants >= 1e-4); max |delta beta| / SE = $dse; FIRTH? differs on $fm; NA rows
only in precis / only in plink2: $o1 / $o2. precis output at 1 and 2 ranks: $same.

R as the arbiter (bench/glm_arbiter.sh: disease ~ dosage + age + sex by \`glm\`, epsilon 1e-14, or by brglm2's
Firth fit where both tools used Firth) on the 50 variants whose p differ most, the 50 whose beta differ most
and 200 at random. plink2 $(plink2 --version | head -1 | cut -d' ' -f2) (Debian 12) fits in single precision and has no option for double:

$r_check

$gw13
EOT
