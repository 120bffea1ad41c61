#!/usr/bin/env bash
# The demo stage graph through a real Slurm (munge + slurmctld + 3 virtual slurmd nodes on localhost):
# jobs chained with afterok finish, their outputs equal the local executor's, and a failing stage
# cancels everything downstream. Called by ctest as: SCRIPT PRECIS_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/../e2e/lib.sh"
export PRECIS=$precis PRECIS_HOME=$src

bash "$src/tests/slurm/cluster.sh" start "$work/cluster" >slurm_conf.txt || { cat "$work"/cluster/log/* >&2; exit 1; }
export SLURM_CONF=$(cat slurm_conf.txt)
trap 'bash "$src/tests/slurm/cluster.sh" stop "$work/cluster"' EXIT

write_config() {  # write_config NAME VCF_PATH
  cat >"$1.ini" <<EOC
[simulate]
out-dir = $1/world
seed = 11
contigs = 1
contig-length = 200000
genes = 4
samples = 400
variants = 1000
causal = 5
heritability = 0.8
patients = 1
coverage = 2
[convert]
vcf = $2
phenotypes = $1/world/phenotypes.tsv
covariates = $1/world/covariates.tsv
out = $1/cohort.h5
[export]
cohort = $1/cohort.h5
out = $1/roundtrip.vcf.gz
[annotate]
ref = $1/world/reference.fa
genes = $1/world/genes.gff3
vcf = $1/world/patients/P0001.truth.vcf.gz
known = $1/world/clinvar.vcf.gz
out = $1/P0001.annotated.vcf.gz
findings = $1/P0001.findings.tsv
[qc]
cohort = $1/cohort.h5
[pca]
cohort = $1/cohort.h5
k = 4
[gwas]
cohort = $1/cohort.h5
phenotype = disease
covariates = age,sex
pcs = 2
out = $1/gwas
[train]
cohort = $1/cohort.h5
phenotype = disease
covariates = age,sex
pcs = 2
nlambda = 10
folds = 3
out = $1/model.h5
[score]
model = $1/model.h5
cohort = $1/cohort.h5
out = $1/scores.tsv
EOC
}

# job_state ID: COMPLETED, FAILED, CANCELLED, PENDING, RUNNING... (no accounting database needed)
job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
wait_jobs() {  # wait_jobs ID...: until none is pending or running (at most 10 minutes)
  for _ in $(seq 600); do
    busy=0
    for id in "$@"; do case "$(job_state "$id")" in PENDING|RUNNING|CONFIGURING|COMPLETING) busy=1 ;; esac; done
    [ $busy -eq 0 ] && return 0
    sleep 1
  done
  fail "jobs still running after 10 minutes"
}

# 1. The demo graph through sbatch with afterok dependencies (MPI steps stay on one virtual node:
#    PMIx's per-step directory would collide between virtual nodes of one host).
write_config slurm slurm/world/cohort.vcf.gz
"$src/workflows/submit-slurm.sh" "$src/workflows/demo.graph" slurm.ini --nodes=1 >jobs.txt
ids=($(awk '{print $2}' jobs.txt))
stages=$(grep -c '^[a-z]' "$src/workflows/demo.graph")
[ ${#ids[@]} -eq "$stages" ] && pass "submitted $stages stages: $(tr '\n' ' ' <jobs.txt)" || fail "submission: $(cat jobs.txt)"
wait_jobs "${ids[@]}"
for i in "${!ids[@]}"; do
  state=$(job_state "${ids[$i]}")
  [ "$state" = COMPLETED ] && pass "job ${ids[$i]} completed" || fail "job ${ids[$i]} $state: $(cat slurm-${ids[$i]}.out)"
done

# 2. The local executor on the same graph gives the same cohort and round trip.
write_config local local/world/cohort.vcf.gz
PRECIS_RANKS=2 "$src/workflows/run-local.sh" "$src/workflows/demo.graph" local.ini >local.log 2>&1 || fail "local run: $(tail local.log)"
for f in world/cohort.vcf.gz world/phenotypes.tsv; do
  cmp -s "slurm/$f" "local/$f" && pass "$f equal (slurm vs local)" || fail "$f differs"
done
dump() { h5dump -g /samples -g /variants -g /calldata -g /phenotypes "$1" | tail -n +2; }
[ -s slurm/cohort.h5 ] && cmp -s <(dump slurm/cohort.h5) <(dump local/cohort.h5) && pass "cohort.h5 equal (slurm vs local)" \
  || fail "cohort.h5 differs between slurm and local"
cmp -s <(bcftools query -f '%POS[\t%GT]\n' slurm/roundtrip.vcf.gz) <(bcftools query -f '%POS[\t%GT]\n' local/roundtrip.vcf.gz) \
  && pass "round trip equal (slurm vs local)" || fail "round trips differ"
for f in gwas.disease.glm.logistic.hybrid P0001.findings.tsv scores.tsv; do
  [ -s "slurm/$f" ] && cmp -s "slurm/$f" "local/$f" && pass "$f equal (slurm vs local)" || fail "$f differs or is missing"
done
[ "$(h5dump -d /pca/eigenvalues slurm/cohort.h5 | tail -n +2)" = "$(h5dump -d /pca/eigenvalues local/cohort.h5 | tail -n +2)" ] \
  && pass "PCA eigenvalues equal (slurm vs local)" || fail "PCA differs"

# 3. A failing stage: convert gets a missing VCF, so export must be cancelled, never run.
write_config broken broken/world/missing.vcf.gz
"$src/workflows/submit-slurm.sh" "$src/workflows/demo.graph" broken.ini --nodes=1 >jobs_broken.txt
ids=($(awk '{print $2}' jobs_broken.txt))
wait_jobs "${ids[@]}"
[ "$(job_state "${ids[0]}")" = COMPLETED ] && pass "simulate completed" || fail "simulate: $(job_state "${ids[0]}")"
[ "$(job_state "${ids[1]}")" = FAILED ] && pass "convert failed" || fail "convert: $(job_state "${ids[1]}")"
grep -q "missing.vcf.gz: no such file" "slurm-${ids[1]}.out" && pass "convert's log names the missing file" \
  || fail "convert log: $(cat slurm-${ids[1]}.out)"
# Everything downstream of convert is cancelled; annotate (which needs only simulate) still runs.
while read -r stage id; do
  case $stage in
    simulate|convert) ;;
    annotate) [ "$(job_state "$id")" = COMPLETED ] && pass "annotate, independent of convert, completed" || fail "annotate: $(job_state "$id")" ;;
    *) state=$(job_state "$id"); reason=$(scontrol show job "$id" | grep -o 'Reason=[A-Za-z_]*')
       [ "$state" = CANCELLED ] && pass "$stage cancelled ($reason)" || fail "$stage: $state $reason" ;;
  esac
done <jobs_broken.txt
[ ! -e broken/cohort.h5 ] && [ ! -e broken/roundtrip.vcf.gz ] && [ ! -e broken/gwas.disease.glm.logistic.hybrid ] \
  && [ ! -e broken/model.h5 ] && [ ! -e broken/scores.tsv ] \
  && pass "no outputs from the failed branch" || fail "outputs left"
finish
