#!/usr/bin/env bash
# The other model shapes of precis train, each scored by precis score: the MLP fusion model (same network
# at 1 and 2 ranks), a clinical-only model (--genomic no --clinical), a linear model of a quantitative
# trait, and ancestry-adjusted Z from PCs.
source "$(dirname "$0")/lib.sh"

"$precis" simulate --out-dir sim --samples 2000 --variants 1000 --contigs 2 --contig-length 1000000 --genes 2 \
  --patients 1 --causal 20 --heritability 0.6 --quiet
# A quantitative trait (the simulated genetic liability) and a clinical feature (the non-genetic part of the
# liability plus noise) from the simulation's truth.
awk -F'\t' 'BEGIN {OFS = "\t"} NR == 1 {print "sample_id", "disease", "liability"; next} {print $1, $5, $3}' \
  sim/truth/samples.tsv >phenotypes.tsv
awk -F'\t' 'BEGIN {OFS = "\t"; srand(7)} NR == 1 {print "sample_id", "environment"; next}
  {print $1, $4 - $3 + 0.5 * (rand() - 0.5)}' sim/truth/samples.tsv >clinical.tsv
"$precis" convert --vcf sim/cohort.vcf.gz --phenotypes phenotypes.tsv --covariates sim/covariates.tsv \
  --out cohort.h5 --quiet
"$precis" pca --cohort cohort.h5 --k 4 --quiet

attr() { h5dump -a "$2" "$1" | awk '/\(0\)/ {print $2; exit}'; }

# MLP fusion of the polygenic score, age, sex and the clinical feature.
train_mlp() { "$precis" train --cohort cohort.h5 --phenotype disease --covariates age,sex --clinical clinical.tsv \
  --model mlp --nlambda 15 --folds 3 --epochs 300 --out "$@" --threads 1 --quiet; }
train_mlp mlp1.h5
mpiexec -n 2 "$precis" train --cohort cohort.h5 --phenotype disease --covariates age,sex --clinical clinical.tsv \
  --model mlp --nlambda 15 --folds 3 --epochs 300 --out mlp2.h5 --threads 1 --quiet
[ "$(attr mlp1.h5 /model_type)" = '"mlp"' ] && pass "model_type mlp" || fail "model_type $(attr mlp1.h5 /model_type)"
same_group() { cmp -s <(h5dump -g "$1" mlp1.h5 | tail -n +2) <(h5dump -g "$1" mlp2.h5 | tail -n +2); }
same_group /mlp && same_group /variants &&
  pass "the same network and weights at 1 and 2 ranks" || fail "the MLP differs between 1 and 2 ranks"
mlp_auc=$(attr mlp1.h5 /metrics/auc) linear_auc=$(h5dump -a /mlp/linear_test_auc mlp1.h5 | awk '/\(0\)/ {print $2; exit}')
awk -v a="$mlp_auc" -v b="$linear_auc" 'BEGIN {exit !(a > 0.75 && a >= b - 0.02)}' &&
  pass "MLP test AUC $mlp_auc (the elastic net alone: $linear_auc)" || fail "MLP test AUC $mlp_auc, elastic net $linear_auc"
"$precis" score --model mlp1.h5 --cohort cohort.h5 --out mlp_scores.tsv --quiet
mpiexec -n 2 "$precis" score --model mlp1.h5 --cohort cohort.h5 --out mlp_scores2.tsv --threads 1 --quiet
cmp -s mlp_scores.tsv mlp_scores2.tsv && pass "MLP scores identical at 1 and 2 ranks" || fail "MLP scores differ by ranks"
awk -F'\t' 'NR > 1 && !($6 > 0 && $6 < 1) {bad++} END {exit bad > 0}' mlp_scores.tsv &&
  pass "MLP absolute risks in (0, 1)" || fail "MLP absolute risks outside (0, 1)"
"$precis" score --model mlp1.h5 --vcf sim/patients/P0001.truth.vcf.gz --out mlp_patient.tsv --quiet
awk -F'\t' 'NR == 2 && $6 > 0 && $6 < 1 {ok = 1} END {exit !ok}' mlp_patient.tsv &&
  pass "MLP scores a patient VCF" || fail "mlp_patient.tsv: $(cat mlp_patient.tsv)"
expect_error 2 "--genomic no needs" -- "$precis" train --cohort cohort.h5 --phenotype disease --genomic no \
  --model mlp --out bad.h5
expect_error 2 "--model forest" -- "$precis" train --cohort cohort.h5 --phenotype disease --model forest --out bad.h5
# Clinical feature names are matched when scoring: an empty or repeated name, or one a --covariates entry
# already has, is refused; so is a file none of whose ids is a cohort sample.
sed '1s/environment/age/' clinical.tsv >clin_age.tsv
expect_error 2 "clin_age.tsv: line 1: column 'age' is named twice" -- "$precis" train --cohort cohort.h5 \
  --phenotype disease --covariates age --clinical clin_age.tsv --out bad.h5
awk 'BEGIN {FS = OFS = "\t"} {print $1, NR == 1 ? "" : 1, $2}' clinical.tsv >clin_noname.tsv
expect_error 2 "clin_noname.tsv: line 1: column 2 has no name" -- "$precis" train --cohort cohort.h5 \
  --phenotype disease --clinical clin_noname.tsv --out bad.h5
sed '2,$ s/^/x/' clinical.tsv >clin_ids.tsv
expect_error 2 "clin_ids.tsv: no sample id of its first column is a sample of the cohort" -- "$precis" train \
  --cohort cohort.h5 --phenotype disease --clinical clin_ids.tsv --out bad.h5
# Samples without a clinical row are left out of training with a warning that counts them.
head -n 101 clinical.tsv >clin_part.tsv
"$precis" train --cohort cohort.h5 --phenotype disease --genomic no --clinical clin_part.tsv --nlambda 3 \
  --folds 2 --out part.h5 2>part.err
grep -q "warning: [0-9]* samples with a phenotype are left out for a missing feature value (environment [0-9]*)" part.err &&
  pass "missing clinical rows are counted" || fail "no warning for missing clinical rows: $(cat part.err)"

# Clinical only: no variants, the clinical feature and age carry the model.
"$precis" train --cohort cohort.h5 --phenotype disease --covariates age --clinical clinical.tsv --genomic no \
  --nlambda 5 --folds 3 --out clinical.h5 --quiet
n_var=$(h5dump -H -d /variants/weight clinical.h5 | grep -o 'SIMPLE { ( [0-9]*' | grep -o '[0-9]*$')
clinical_auc=$(attr clinical.h5 /metrics/auc)
[ "$n_var" = 0 ] && awk -v a="$clinical_auc" 'BEGIN {exit !(a > 0.6)}' &&
  pass "--genomic no: 0 variants, test AUC $clinical_auc from the clinical feature" ||
  fail "--genomic no: $n_var variants, AUC $clinical_auc"

# A quantitative trait: gaussian family, test r2 of the genetic liability, no absolute risk.
"$precis" train --cohort cohort.h5 --phenotype liability --nlambda 15 --folds 3 --pcs 4 --out linear.h5 --quiet
[ "$(attr linear.h5 /family)" = '"gaussian"' ] && awk -v r="$(attr linear.h5 /metrics/r2)" 'BEGIN {exit !(r > 0.5)}' &&
  pass "linear model of the liability: test r2 $(attr linear.h5 /metrics/r2)" ||
  fail "linear model: family $(attr linear.h5 /family), r2 $(attr linear.h5 /metrics/r2)"
"$precis" score --model linear.h5 --cohort cohort.h5 --out linear_scores.tsv --quiet
# With PCs in the model, ancestry_z is the score's residual after its regression on the PCs.
awk -F'\t' 'NR > 1 {n++; if ($6 == "NA" && $5 != "NA") ok++; s += $5; ss += $5 * $5}
  END {m = s / n; sd = sqrt(ss / n - m * m); exit !(ok == n && m > -0.2 && m < 0.2 && sd > 0.8 && sd < 1.2)}' linear_scores.tsv &&
  pass "ancestry_z present (mean ~0, sd ~1), absolute_risk NA for a quantitative trait" ||
  fail "linear scores: $(sed -n 2p linear_scores.tsv)"
finish
