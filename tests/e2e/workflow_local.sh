#!/usr/bin/env bash
# precis workflow run --executor local on the demo graph with a small world: a full run, a second run
# that does nothing, reruns of exactly the steps downstream of a deleted intermediate output, the
# provenance ledger catching single-byte edits of a record and of an output, a killed step leaving no
# output under its final name, refusal of graphs naming a missing job script or a command that is not
# in this version, and refusal of configs naming input files that neither exist nor are written by an
# earlier stage. Called by ctest as: SCRIPT PRECIS_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/lib.sh"
source "$src/tests/e2e/workflow_config.sh"
export PRECIS_HOME=$src
graph=$src/workflows/demo.graph
write_workflow_config w
wf() { "$precis" workflow run "$graph" --config w.ini --executor local --run-dir run --ranks 2 "$@"; }
ran() { grep -o '^== [^ ]* (' "$1" | awk '{print $2}' | tr '\n' ' ' | sed 's/ $//'; }

# 1. A full run: every step, in graph order, annotate once per patient.
wf >run1.log 2>&1 || fail "first run: $(tail -30 run1.log)"
[ "$(ran run1.log)" = "simulate index align[1] align[2] call[1] call[2] convert export annotate[1] annotate[2] qc pca gwas train score patients report" ] \
  && pass "first run ran all 17 steps: $(ran run1.log)" || fail "first run ran: $(ran run1.log)"
for f in P0001.bam P0002.bam.bai P0001.calls.vcf.gz P0002.calls.vcf.gz.tbi cohort.h5 roundtrip.vcf.gz roundtrip.vcf.gz.tbi P0001.findings.tsv P0002.findings.tsv P0002.annotated.vcf.gz \
         qc.variants.tsv gwas.disease.glm.logistic.hybrid model.h5 model.pgs.txt scores.tsv patients/scores.tsv \
         reports/cohort.html reports/cohort.json; do
  [ -s "w/$f" ] || fail "missing output w/$f"
done
[ ! -d run/stage ] || [ -z "$(ls -A run/stage)" ] && pass "no staged leftovers" || fail "staging left: $(ls -R run/stage)"
[ "$(wc -l <run/ledger.tsv)" -eq 17 ] && pass "ledger has 17 records" || fail "ledger: $(wc -l <run/ledger.tsv) records"
"$precis" ledger verify run >verify.txt 2>&1 && pass "ledger verify: $(cat verify.txt)" || fail "ledger verify: $(cat verify.txt)"
grep -q 'command=precis annotate --config w.ini' run/ledger.tsv && grep -q 'versions=precis ' run/ledger.tsv \
  && pass "records carry the command line and versions" || fail "record fields: $(head -c 600 run/ledger.tsv)"
cp w/scores.tsv scores.first.tsv

# 2. A second run does nothing.
wf >run2.log 2>&1 || fail "second run: $(cat run2.log)"
grep -q "all 17 steps are up to date; nothing to run" run2.log && [ -z "$(ran run2.log)" ] \
  && pass "second run ran nothing" || fail "second run: $(cat run2.log)"

# 3. Deleting one intermediate output reruns exactly its producer and everything downstream.
rm w/roundtrip.vcf.gz
wf >run3.log 2>&1 || fail "third run: $(tail -30 run3.log)"
[ "$(ran run3.log)" = "export qc pca gwas train score patients report" ] && pass "after deleting export's output: $(ran run3.log)" \
  || fail "after deleting export's output ran: $(ran run3.log)"
cmp -s w/scores.tsv scores.first.tsv && pass "rerun scores identical" || fail "rerun scores differ"
rm w/P0002.findings.tsv
wf >run4.log 2>&1 || fail "fourth run: $(tail -30 run4.log)"
[ "$(ran run4.log)" = "annotate[2] report" ] && pass "after deleting P0002's findings: $(ran run4.log)" \
  || fail "after deleting P0002's findings ran: $(ran run4.log)"
echo "# edited" >>w/qc.variants.tsv  # a changed (not deleted) output of an in-place stage
wf >run5.log 2>&1 || fail "fifth run: $(tail -30 run5.log)"
[ "$(ran run5.log)" = "qc pca gwas train score patients report" ] && pass "after editing qc's table: $(ran run5.log)" \
  || fail "after editing qc's table ran: $(ran run5.log)"
"$precis" ledger verify run >verify.txt 2>&1 && pass "ledger verifies after reruns: $(cat verify.txt)" \
  || fail "ledger after reruns: $(cat verify.txt)"

# 4. The ledger catches a single-byte edit of a record and of a recorded output, naming the record.
cp run/ledger.tsv ledger.saved
python3 - <<'PY'
data = bytearray(open("run/ledger.tsv", "rb").read())
lines = data.split(b"\n")
third = sum(len(l) + 1 for l in lines[:2]) + lines[2].index(b"command=") + 20
data[third] ^= 0x01
open("run/ledger.tsv", "wb").write(bytes(data))
PY
rc=0; "$precis" ledger verify run >verify.txt 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "record 3 (.*): content does not match its hash" verify.txt \
  && pass "edited record detected: $(head -1 verify.txt)" || fail "edited record: exit $rc $(cat verify.txt)"
cp ledger.saved run/ledger.tsv
cp w/scores.tsv scores.saved
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[99] ^= 0x01; open(sys.argv[1], "wb").write(bytes(d))' w/scores.tsv
cmp -s w/scores.tsv scores.saved && fail "the byte edit did not change scores.tsv"
rc=0; "$precis" ledger verify run >verify.txt 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "(score, line [0-9]*): output .*scores.tsv has changed" verify.txt \
  && pass "edited output detected: $(head -1 verify.txt)" || fail "edited output: exit $rc $(cat verify.txt)"
cp scores.saved w/scores.tsv
"$precis" ledger verify run >/dev/null 2>&1 && pass "restored run verifies" || fail "restored run does not verify"

# 5. A step killed (SIGKILL, no chance to clean up) after its command wrote its output leaves no output
#    under the final name; status says so; the next run reruns it and what follows.
cat >killer.sh <<EOK
#!/usr/bin/env bash
# Runs precis; after 'export' has written its (staged) output, kills the job script with SIGKILL.
if [ "\$1" = export ]; then "$precis" "\$@"; kill -9 \$PPID; sleep 2; exit 0; fi
exec "$precis" "\$@"
EOK
chmod +x killer.sh
rm w/roundtrip.vcf.gz w/roundtrip.vcf.gz.tbi
rc=0; PRECIS=$PWD/killer.sh wf >run6.log 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "== export FAILED (exit 137" run6.log && pass "killed export reported" || fail "killed run: exit $rc $(cat run6.log)"
[ ! -e w/roundtrip.vcf.gz ] && [ ! -e w/roundtrip.vcf.gz.tbi ] && pass "killed step left no output under its final name" \
  || fail "killed step left $(ls w/roundtrip*)"
grep -q "== qc not run: upstream stage export failed" run6.log && pass "dependants of the killed step not run" || fail "dependants: $(cat run6.log)"
"$precis" workflow status "$graph" --config w.ini --run-dir run >status.txt 2>&1
grep -q "^export .*killed.*never finished" status.txt && grep -q "^qc .*stale.*upstream stage export reruns" status.txt \
  && pass "status names the killed step and what will rerun after it" || fail "status: $(cat status.txt)"
wf >run7.log 2>&1 || fail "run after kill: $(tail -30 run7.log)"
[ "$(ran run7.log)" = "export qc pca gwas train score patients report" ] && pass "after the kill: $(ran run7.log)" || fail "after kill ran: $(ran run7.log)"
cmp -s w/scores.tsv scores.first.tsv && pass "scores identical after recovery" || fail "scores differ after recovery"
"$precis" ledger verify run >/dev/null 2>&1 && pass "ledger verifies after recovery" || fail "ledger after recovery"

# 6. By hand, outside a workflow, an array task's job script reads its own item ({patient} -> P0002).
cp w/P0002.findings.tsv findings.saved && rm w/P0002.findings.tsv
PRECIS=$precis PRECIS_TASK=2 PRECIS_RANKS=1 bash "$src/jobs/annotate.sh" w.ini >hand.log 2>&1 || fail "by hand: $(cat hand.log)"
cmp -s w/P0002.findings.tsv findings.saved && pass "array task by hand (PRECIS_TASK=2) wrote P0002's findings" \
  || fail "by-hand task: $(cat hand.log)"

# 7. Graphs the run cannot start: a missing job script, a command not in this version, an unknown option.
printf 'simulate jobs/simulate.sh -\nalign jobs/no-such-stage.sh simulate\n' >missing.graph
expect_error 2 "missing.graph: line 2: stage 'align': job script $src/jobs/no-such-stage.sh does not exist" -- \
  "$precis" workflow run missing.graph --config w.ini --executor local --run-dir run.bad --home "$src"
mkdir -p home/jobs && cp "$src"/jobs/common.sh "$src"/jobs/simulate.sh home/jobs/
printf 'source common.sh\nprecis_mpi notacommand\n' >home/jobs/future.sh
printf 'simulate jobs/simulate.sh -\nfuture jobs/future.sh simulate\n' >future.graph
expect_error 2 "command 'precis notacommand' is not in this version" -- \
  "$precis" workflow run future.graph --config w.ini --run-dir run.bad --home home
expect_error 2 "--executor pbs: must be local or slurm" -- "$precis" workflow run "$graph" --config w.ini --executor pbs
[ ! -e run.bad ] && pass "nothing created for refused graphs" || fail "run.bad created"
expect_error 2 "no ledger.tsv" -- "$precis" ledger verify nowhere

# 8. Inputs are checked before anything runs (also for --dry-run and before any sbatch): an in= value that
#    names no file and that no stage it waits for writes is refused with one line naming the config, the
#    section, the key and the path; one written upstream is not.
printf 'convert jobs/convert.sh - in=vcf,phenotypes,covariates out=out\n' >conv.graph
printf '[convert]\nvcf = %s/missing.vcf.gz\nout = %s/conv/cohort.h5\n' "$PWD" "$PWD" >c.ini
missing="c.ini: [convert] vcf = $PWD/missing.vcf.gz: no such file (an input of stage 'convert' that no earlier stage writes)"
expect_error 2 "$missing" -- "$precis" workflow run conv.graph --config c.ini --run-dir run.in --ranks 1
expect_error 2 "$missing" -- "$precis" workflow run conv.graph --config c.ini --run-dir run.in --dry-run
mkdir -p fakebin && printf '#!/bin/sh\ntouch "%s/sbatch.called"; echo 1\n' "$PWD" >fakebin/sbatch && chmod +x fakebin/sbatch
expect_error 2 "$missing" -- env PATH="$PWD/fakebin:$PATH" "$precis" workflow run conv.graph --config c.ini --executor slurm --run-dir run.in
[ ! -e run.in ] && [ ! -e sbatch.called ] && pass "nothing run, submitted or created for a missing input" \
  || fail "missing input: $(ls run.in sbatch.called 2>&1)"
# Array tasks: each task's path ({patient} replaced), resolved against the run's directory as the job does.
sed 's/^patient = P0001, P0002$/patient = P0001, P0003/' w.ini >w3.ini
printf 'align jobs/align.sh - array=patient in=ref,index,reads1,reads2 out=out\n' >align.graph
expect_error 2 "w3.ini: [align] reads1 = w/world/patients/{patient}_R1.fq.gz: no such file $(pwd -P)/w/world/patients/P0003_R1.fq.gz (an input of step 'align[2]' that no earlier stage writes)" -- \
  "$precis" workflow run align.graph --config w3.ini --run-dir run.in --dry-run
# Written by a stage that the reader does not wait for, or only by the reader itself (updated in place).
printf '[convert]\nvcf = w/world/cohort.vcf.gz\nout = fresh/cohort.h5\n[export]\ncohort = fresh/cohort.h5\nout = fresh/rt.vcf.gz\n[qc]\ncohort = fresh/cohort.h5\n' >fresh.ini
printf 'convert jobs/convert.sh - in=vcf out=out\nexport jobs/export.sh - in=cohort out=out\n' >unordered.graph
expect_error 2 "fresh.ini: [export] cohort = fresh/cohort.h5: no such file $(pwd -P)/fresh/cohort.h5 (an input of stage 'export'; stage 'convert' writes it, but 'export' does not wait for it)" -- \
  "$precis" workflow run unordered.graph --config fresh.ini --run-dir run.in --dry-run
printf 'qc jobs/qc.sh - in=cohort out=cohort\n' >inplace.graph
expect_error 2 "fresh.ini: [qc] cohort = fresh/cohort.h5: no such file" -- "$precis" workflow run inplace.graph --config fresh.ini --run-dir run.in --dry-run
printf 'convert jobs/convert.sh - in=vcf out=out\nexport jobs/export.sh convert in=cohort out=out\nqc jobs/qc.sh export in=cohort out=cohort\n' >ordered.graph
"$precis" workflow run ordered.graph --config fresh.ini --run-dir run.in --dry-run >dry.txt 2>&1 \
  && [ "$(grep -c 'not run before' dry.txt)" -eq 3 ] && pass "inputs written upstream are not flagged" || fail "ordered graph: $(cat dry.txt)"
# The demo with nothing made yet (configs/demo.ini, paths relative to here): simulate writes the world and
# every later input comes from upstream (per-patient paths, files under output directories, pca.eigenvec
# beside pca's prefix output).
"$precis" workflow run "$graph" --config "$src/configs/demo.ini" --run-dir run.demo --dry-run >dry.txt 2>&1 \
  && [ "$(grep -c '^run  .*not run before' dry.txt)" -eq 17 ] && [ ! -e runs ] \
  && pass "demo graph dry-run before anything exists: 17 steps to run" || fail "demo dry-run: $(cat dry.txt)"
finish
