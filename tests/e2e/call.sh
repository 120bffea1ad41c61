# precis call on simulated patients aligned with bwa mem: a valid indexed VCF that bcftools accepts,
# accuracy against the simulation truth, byte-identical output at 1/2/4 ranks and 1/2 threads, joint
# calling, downstream use by annotate and convert, and bad input (exit 2 naming the file).
source "$(dirname "$0")/lib.sh"

"$precis" simulate --out-dir w --contigs 1 --contig-length 150000 --samples 30 --variants 800 --genes 4 \
  --patients 2 --coverage 16 --quiet
bwa index w/reference.fa 2>/dev/null
for s in P0001 P0002; do
  bwa mem -t 2 -R "@RG\tID:$s\tSM:$s" w/reference.fa w/patients/${s}_R1.fq.gz w/patients/${s}_R2.fq.gz 2>/dev/null |
    samtools sort -o $s.bam - 2>/dev/null
  samtools index $s.bam
done

# Single sample: valid output that bcftools reads without warnings, indexed.
"$precis" call --ref w/reference.fa --bam P0001.bam --out single.vcf.gz --quiet || fail "single-sample call"
bcftools view single.vcf.gz > /dev/null 2> view.err && [ ! -s view.err ] && pass "bcftools view reads it without warnings" \
  || fail "bcftools view: $(cat view.err)"
[ -f single.vcf.gz.tbi ] && pass "indexed (.tbi)" || fail "no .tbi"
bcftools index -f -c single.vcf.gz -o reindex.csi 2> index.err && [ ! -s index.err ] && pass "bcftools index accepts it" \
  || fail "bcftools index: $(cat index.err)"
bcftools view -h single.vcf.gz > header.txt
for line in '##contig=<ID=chr1,length=150000>' '##FORMAT=<ID=PL' '##FORMAT=<ID=AD' '##FILTER=<ID=LowQual' '##precisCommand='; do
  grep -qF "$line" header.txt && pass "header has $line" || fail "header lacks $line"
done
[ "$(bcftools query -l single.vcf.gz)" = P0001 ] && pass "sample name from @RG SM" || fail "sample: $(bcftools query -l single.vcf.gz)"
bcftools norm -f w/reference.fa -c e single.vcf.gz -Ou > /dev/null 2> norm.err && pass "REF matches the FASTA" \
  || fail "bcftools norm -c e: $(cat norm.err)"

# Accuracy against the truth (16x, a small genome: loose bounds that a broken caller cannot meet).
python3 "$src/bench/call_compare.py" w/reference.fa w/patients/P0001.truth.vcf.gz P0001 single.vcf.gz P0001 --label e2e > acc.tsv
cat acc.tsv
awk '$2 == "snv" && $8 >= 0.97 {ok = 1} END {exit !ok}' acc.tsv && pass "SNV F1 >= 0.97" || fail "SNV F1 too low"
awk '$2 == "indel" && $8 >= 0.85 {ok = 1} END {exit !ok}' acc.tsv && pass "indel F1 >= 0.85" || fail "indel F1 too low"

# Joint calling: byte-identical at 1, 2 and 4 ranks and 1 or 2 threads (small chunks so ranks share work).
# The command line (in ##precisCommand) must be the same, so each run writes calls.vcf.gz in its own directory.
mkdir -p np1 np2 np4
(cd np1 && "$precis" call --ref ../w/reference.fa --bam ../P0001.bam --bam ../P0002.bam --chunk-size 20000 \
  --threads 2 --quiet --out calls.vcf.gz) || fail "joint call"
for n in 2 4; do
  (cd np$n && timeout 300 mpiexec -n $n "$precis" call --ref ../w/reference.fa --bam ../P0001.bam --bam ../P0002.bam \
    --chunk-size 20000 --threads 2 --quiet --out calls.vcf.gz) || fail "joint call at $n ranks"
  cmp -s np1/calls.vcf.gz np$n/calls.vcf.gz && pass "byte-identical output at $n ranks" || fail "output differs at $n ranks"
done
(cd np2 && "$precis" call --ref ../w/reference.fa --bam ../P0001.bam --bam ../P0002.bam --chunk-size 20000 --threads 1 \
  --quiet --out calls1.vcf.gz) || fail "joint call, 1 thread"
cmp -s <(bcftools view -H np1/calls.vcf.gz) <(bcftools view -H np2/calls1.vcf.gz) && pass "same records at 1 and 2 threads" \
  || fail "records differ between 1 and 2 threads"
cp np1/calls.vcf.gz np1.vcf.gz
[ "$(bcftools query -l np1.vcf.gz | tr '\n' ' ')" = "P0001 P0002 " ] && pass "two samples" || fail "samples of the joint call"
python3 "$src/bench/call_compare.py" w/reference.fa w/patients/P0002.truth.vcf.gz P0002 np1.vcf.gz P0002 --label joint > acc2.tsv
awk '$2 == "snv" && $8 >= 0.97 {ok = 1} END {exit !ok}' acc2.tsv && pass "joint SNV F1 of P0002 >= 0.97" || fail "joint F1: $(cat acc2.tsv)"
"$precis" call --ref w/reference.fa --bam P0001.bam --out region.vcf.gz --regions chr1:20001-60000 --quiet || fail "--regions"
outside=$(bcftools view -H region.vcf.gz | awk '$2 < 20001 || $2 > 60000' | wc -l)
[ "$outside" -eq 0 ] && [ "$(bcftools view -H region.vcf.gz | wc -l)" -gt 0 ] && pass "--regions restricts the calls" || fail "--regions"

# Downstream: annotate and convert accept the calls.
"$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf np1.vcf.gz --out annotated.vcf.gz --quiet \
  && pass "precis annotate accepts the calls" || fail "annotate on the calls"
"$precis" convert --vcf np1.vcf.gz --out calls.h5 --quiet && pass "precis convert accepts the calls" || fail "convert on the calls"

# Bad input: exit 2 with one message naming the file.
expect_error 2 "missing.bam" -- "$precis" call --ref w/reference.fa --bam missing.bam --out x.vcf.gz
cp P0001.bam noindex.bam
expect_error 2 "noindex.bam: no index" -- "$precis" call --ref w/reference.fa --bam noindex.bam --out x.vcf.gz
samtools sort -n -o byname.bam P0001.bam 2>/dev/null
expect_error 2 "byname.bam: not coordinate-sorted" -- "$precis" call --ref w/reference.fa --bam byname.bam --out x.vcf.gz
samtools view -H P0001.bam | sed 's/SN:chr1/SN:chrX/' > renamed.sam
samtools reheader renamed.sam P0001.bam > renamed.bam && samtools index renamed.bam
expect_error 2 "renamed.bam: contig chrX is not in the reference" -- "$precis" call --ref w/reference.fa --bam renamed.bam --out x.vcf.gz
samtools view -H P0001.bam | grep -v '^@RG' > norg.sam
samtools reheader norg.sam P0001.bam > norg.bam && samtools index norg.bam
expect_error 2 "norg.bam: no sample name" -- "$precis" call --ref w/reference.fa --bam norg.bam --out x.vcf.gz
expect_error 2 "already comes from another --bam" -- "$precis" call --ref w/reference.fa --bam P0001.bam --bam P0001.bam --out x.vcf.gz
expect_mpi_error 2 "noindex.bam: no index" -- mpiexec -n 2 "$precis" call --ref w/reference.fa --bam noindex.bam --out x.vcf.gz
# Damaged compressed data mid-file: the same message (naming the region, not a rank's record count) at
# 1 and 2 ranks.
cp P0001.bam damaged.bam && cp P0001.bam.bai damaged.bam.bai
printf 'XXXXXXXX' | dd of=damaged.bam bs=1 seek=$(($(stat -c %s damaged.bam) / 2)) conv=notrunc status=none
expect_error 2 "damaged.bam: a malformed or truncated record in chr" -- "$precis" call --ref w/reference.fa --bam damaged.bam --out x.vcf.gz --quiet
one_rank=$(tail -1 err.txt)
expect_mpi_error 2 "damaged.bam: a malformed or truncated record in chr" -- mpiexec -n 2 "$precis" call --ref w/reference.fa --bam damaged.bam --out x.vcf.gz --quiet
grep -qF -- "${one_rank#precis call: error: }" err.txt && pass "same message at 1 and 2 ranks" || fail "messages differ: $one_rank :: $(cat err.txt)"
[ ! -e x.vcf.gz ] && pass "no output left behind by failed runs" || fail "x.vcf.gz exists after failures"
finish
