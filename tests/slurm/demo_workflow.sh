#!/usr/bin/env bash
# precis workflow run --executor slurm on a real Slurm (munge + slurmctld + 3 virtual slurmd nodes on
# localhost): the demo graph's jobs, chained with afterok and annotate as a job array per patient, give
# the same outputs as the local executor; a second run submits nothing; the ledger verifies; and when one
# array task fails, the stages waiting for it are cancelled and `precis workflow status` says which and
# why. Called by ctest as: SCRIPT PRECIS_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/../e2e/lib.sh"
source "$src/tests/e2e/workflow_config.sh"
export PRECIS_HOME=$src

bash "$src/tests/slurm/cluster.sh" start "$work/cluster" >slurm_conf.txt || { cat "$work"/cluster/log/* >&2; exit 1; }
export SLURM_CONF=$(cat slurm_conf.txt)
trap 'bash "$src/tests/slurm/cluster.sh" stop "$work/cluster"' EXIT

# job_state ID: COMPLETED, FAILED, CANCELLED, PENDING, RUNNING... (no accounting database needed)
job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | cut -d= -f2 | tr '\n' ' ' | sed 's/ $//'; }
wait_jobs() {  # wait_jobs ID...: until none is pending or running (at most 10 minutes)
  for _ in $(seq 600); do
    busy=0
    for id in "$@"; do case "$(job_state "$id")" in *PENDING*|*RUNNING*|*CONFIGURING*|*COMPLETING*) busy=1 ;; esac; done
    [ $busy -eq 0 ] && return 0
    sleep 1
  done
  fail "jobs still running after 10 minutes"
}
graph=$src/workflows/demo.graph
# MPI steps stay on one virtual node: PMIx's per-step directory would collide between virtual nodes of one host.
submit() { "$precis" workflow run "$1" --config "$2.ini" --executor slurm --run-dir "$2.run" --sbatch "--nodes=1"; }

# 1. The demo graph through sbatch.
write_workflow_config slurm
submit "$graph" slurm >jobs.txt 2>submit.err || fail "submission: $(cat submit.err)"
ids=($(awk '{print $2}' jobs.txt))
[ ${#ids[@]} -eq 14 ] && pass "submitted 14 jobs (align, call and annotate as array jobs): $(tr '\n' ' ' <jobs.txt)" \
  || fail "submission: $(cat jobs.txt submit.err)"
grep -q "^annotate " jobs.txt && [ "$(awk '$1 == "annotate"' slurm.run/jobs.tsv | cut -f3)" = "1,2" ] \
  && pass "annotate submitted as array tasks 1,2" || fail "annotate array: $(cat slurm.run/jobs.tsv)"
wait_jobs "${ids[@]}"
for i in "${!ids[@]}"; do
  state=$(job_state "${ids[$i]}")
  [ "$state" = COMPLETED ] && pass "job ${ids[$i]} completed" || fail "job ${ids[$i]} $state: $(cat slurm.run/logs/*${ids[$i]}* 2>/dev/null | tail -20)"
done
"$precis" workflow status "$graph" --config slurm.ini --run-dir slurm.run >status.txt 2>&1
[ "$(grep -c ' done ' status.txt)" -eq 17 ] && pass "status: all 17 steps done" || fail "status: $(cat status.txt)"
"$precis" ledger verify slurm.run >verify.txt 2>&1 && pass "ledger verify: $(cat verify.txt)" || fail "ledger: $(cat verify.txt)"
grep -q 'job=[0-9]*_2' slurm.run/ledger.tsv && pass "array task records name their job (ID_TASK)" || fail "no array job in ledger"

# 2. The local executor on the same graph and config gives the same outputs.
write_workflow_config local
"$precis" workflow run "$graph" --config local.ini --executor local --run-dir local.run --ranks 2 >local.log 2>&1 \
  || fail "local run: $(tail -30 local.log)"
for p in P0001 P0002; do  # the headers name the run's own paths; the records must be equal
  cmp -s <(bcftools view -H "slurm/$p.calls.vcf.gz") <(bcftools view -H "local/$p.calls.vcf.gz") \
    && pass "$p.calls.vcf.gz records equal (slurm vs local)" || fail "$p.calls.vcf.gz differs or is missing"
done
for f in world/cohort.vcf.gz world/phenotypes.tsv P0001.findings.tsv P0002.findings.tsv qc.variants.tsv \
         gwas.disease.glm.logistic.hybrid scores.tsv patients/scores.tsv; do
  [ -s "slurm/$f" ] && cmp -s "slurm/$f" "local/$f" && pass "$f equal (slurm vs local)" || fail "$f differs or is missing"
done
cmp -s <(grep -v created slurm/model.pgs.txt) <(grep -v created local/model.pgs.txt) \
  && pass "model.pgs.txt equal but for its creation time (slurm vs local)" || fail "model.pgs.txt differs"
for p in P0001 P0002; do
  [ -s "slurm/$p.bam" ] && cmp -s <(samtools view "slurm/$p.bam") <(samtools view "local/$p.bam") \
    && pass "$p.bam records equal (slurm vs local)" || fail "$p.bam differs or is missing"
done
# The reports (HTML and JSON; PDFs are off in the test config): the same pages through sbatch as locally,
# but for the model's identity (model.h5 carries its creation time, so its SHA-256, ID and "created" differ).
masked() {
  local sum; sum=$(sha256sum "$1/model.h5" | cut -c1-64)
  sed -e "s/$sum/MODEL_SHA256/g" -e "s/${sum:0:12}/MODEL_ID/g" -e "s/\"created\": \"[^\"]*\"/\"created\": T/" "$1/reports/$2"
}
reports=$(cd local/reports && find . -type f | sort)
differ=
for f in $reports; do cmp -s <(masked slurm "$f") <(masked local "$f") || differ="$differ $f"; done
[ -n "$reports" ] && [ "$reports" = "$(cd slurm/reports && find . -type f | sort)" ] && [ -z "$differ" ] &&
  pass "reports equal but for the model's identity (slurm vs local): $(echo $reports | wc -w) files" ||
  fail "reports differ (slurm vs local):$differ; files: $reports"
dump() { h5dump -g /samples -g /variants -g /calldata -g /phenotypes -d /pca/eigenvalues "$1" | tail -n +2; }
[ -s slurm/cohort.h5 ] && cmp -s <(dump slurm/cohort.h5) <(dump local/cohort.h5) && pass "cohort.h5 equal (slurm vs local)" \
  || fail "cohort.h5 differs between slurm and local"
cmp -s <(bcftools query -f '%POS[\t%GT]\n' slurm/roundtrip.vcf.gz) <(bcftools query -f '%POS[\t%GT]\n' local/roundtrip.vcf.gz) \
  && pass "round trip equal (slurm vs local)" || fail "round trips differ"

# 3. A second run submits nothing.
before=$(wc -l <slurm.run/jobs.tsv)
submit "$graph" slurm >jobs2.txt 2>&1 || fail "second submission: $(cat jobs2.txt)"
grep -q "nothing to run" jobs2.txt && [ "$(wc -l <slurm.run/jobs.tsv)" -eq "$before" ] \
  && pass "second run submitted nothing" || fail "second run: $(cat jobs2.txt)"
# ... and after deleting one patient's findings, exactly that array task.
rm slurm/P0002.findings.tsv
submit "$graph" slurm >jobs3.txt 2>jobs3.err || fail "third submission: $(cat jobs3.err)"
[ "$(awk '{print $1}' jobs3.txt | tr '\n' ' ')" = "annotate report " ] && [ "$(awk '$1 == "annotate"' slurm.run/jobs.tsv | tail -1 | cut -f3)" = 2 ] \
  && pass "after deleting P0002's findings: only annotate task 2 and report submitted" || fail "third run: $(cat jobs3.txt)"
wait_jobs $(awk '{print $2}' jobs3.txt)
cmp -s slurm/P0002.findings.tsv local/P0002.findings.tsv && pass "P0002 findings rebuilt" || fail "P0002 findings not rebuilt"

# ... and after deleting an intermediate output, exactly its producer and everything downstream, chained.
rm slurm/roundtrip.vcf.gz
submit "$graph" slurm >jobs4.txt 2>jobs4.err || fail "fourth submission: $(cat jobs4.err)"
[ "$(awk '{print $1}' jobs4.txt | tr '\n' ' ')" = "export qc pca gwas train score patients report " ] \
  && pass "after deleting export's output: $(awk '{print $1}' jobs4.txt | tr '\n' ' ')submitted" || fail "fourth run: $(cat jobs4.txt)"
ids=($(awk '{print $2}' jobs4.txt))
wait_jobs "${ids[@]}"
for id in "${ids[@]}"; do [ "$(job_state "$id")" = COMPLETED ] || fail "job $id: $(job_state "$id")"; done
cmp -s slurm/scores.tsv local/scores.tsv && "$precis" ledger verify slurm.run >/dev/null 2>&1 \
  && pass "rerun complete: scores equal local, ledger verifies" || fail "after rerun: scores or ledger differ"

# cancel: a step held in the queue (--begin in an hour) is pending in status, then scancelled.
rm slurm/scores.tsv
"$precis" workflow run "$graph" --config slurm.ini --executor slurm --run-dir slurm.run --sbatch "--nodes=1 --begin=now+3600" \
  >jobs5.txt 2>/dev/null || fail "held submission"
id=$(awk '$1 == "score" {print $2}' jobs5.txt)
"$precis" workflow status "$graph" --config slurm.ini --run-dir slurm.run >status5.txt 2>&1
grep -q "^score *pending *$id " status5.txt && pass "status: score pending as job $id" || fail "status held: $(cat status5.txt)"
"$precis" workflow cancel "$graph" --config slurm.ini --run-dir slurm.run >cancel.txt 2>&1
grep -q "cancelled $id" cancel.txt && sleep 2 && [ "$(job_state "$id")" = CANCELLED ] \
  && pass "workflow cancel: $(cat cancel.txt)" || fail "cancel: $(cat cancel.txt) state $(job_state "$id")"
[ ! -e slurm/scores.tsv ] && pass "cancelled step wrote nothing" || fail "scores.tsv appeared"

# 4. One array task fails (patient P0009 has no VCF): the stages after the array are cancelled, never
#    run, and status names the failed task and why the others did not run.
cat >fail.graph <<'EOG'
simulate  jobs/simulate.sh  -         out=out-dir/
annotate  jobs/annotate.sh  simulate  array=patient in=ref,genes,vcf,known out=out,findings
convert   jobs/convert.sh   annotate  in=vcf,phenotypes,covariates out=out
export    jobs/export.sh    convert   in=cohort out=out
EOG
write_workflow_config broken
sed -i -e 's/^patient = P0001, P0002$/patient = P0001, P0009/' \
  -e 's#^vcf = broken/{patient}.calls.vcf.gz#vcf = broken/world/patients/{patient}.truth.vcf.gz#' broken.ini
submit fail.graph broken >jobs_broken.txt 2>&1 || fail "broken submission: $(cat jobs_broken.txt)"
ids=($(awk '$2 ~ /^[0-9]+$/ {print $2}' jobs_broken.txt))
wait_jobs "${ids[@]}"
"$precis" workflow status fail.graph --config broken.ini --run-dir broken.run >status_broken.txt 2>&1
cat status_broken.txt
grep -q '^annotate\[1\] *done' status_broken.txt && pass "annotate[1] done" || fail "annotate[1]: $(cat status_broken.txt)"
grep -q '^annotate\[2\] *failed .*exit [1-9]' status_broken.txt && pass "status: annotate[2] failed" || fail "annotate[2]: $(cat status_broken.txt)"
grep -q '^convert *cancelled .*annotate\[2\] failed' status_broken.txt && grep -q '^export *cancelled .*annotate\[2\] failed' status_broken.txt \
  && pass "status: convert and export cancelled because annotate[2] failed" || fail "dependants: $(cat status_broken.txt)"
for stage in convert export; do
  id=$(awk -v s=$stage '$1 == s {print $2}' jobs_broken.txt)
  [ "$(job_state "$id")" = CANCELLED ] && pass "Slurm cancelled $stage ($(scontrol show job "$id" | grep -o 'Reason=[A-Za-z_]*'))" \
    || fail "$stage: $(job_state "$id")"
done
grep -q "P0009.truth.vcf.gz" broken.run/logs/annotate-*_2.out && pass "the failed task's log names the missing file" \
  || fail "annotate[2] log: $(cat broken.run/logs/annotate-*_2.out)"
[ ! -e broken/P0009.findings.tsv ] && [ ! -e broken/cohort.h5 ] && [ ! -e broken/roundtrip.vcf.gz ] \
  && pass "no outputs from the failed branch" || fail "outputs left"
finish
