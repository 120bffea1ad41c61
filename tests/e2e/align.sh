#!/usr/bin/env bash
# index + align on a small simulated genome: SAM conventions checked by samtools (quickcheck, fixmate,
# calmd), placement against the simulation's truth, the same records at 1/2/4 ranks and 1/2 threads,
# chimeric and unmapped reads, CRAM, and bad input (exit 2, one message, no partial output).
source "$(dirname "$0")/lib.sh"

"$precis" simulate --out-dir sim --contigs 2 --contig-length 150000 --genes 1 --samples 10 --variants 200 \
  --patients 1 --coverage 6 --quiet
# The reference gets a third contig: an exact copy of chr1:60001-62000 (a segmental duplication), so
# reads from there have secondary alignments.
ref=ref3.fa
{ cat sim/reference.fa; echo '>chr3'; samtools faidx sim/reference.fa chr1:60001-62000 | grep -v '>'; } >$ref
r1=sim/patients/P0001_R1.fq.gz
r2=sim/patients/P0001_R2.fq.gz

# Extra pairs: a chimera (R1 = 80 bp of chr1 + 70 bp of chr2) and a pair whose R2 is random sequence.
c1=$(samtools faidx $ref chr1:50001-50080 | grep -v '>' | tr -d '\n')
c2=$(samtools faidx $ref chr2:90001-90070 | grep -v '>' | tr -d '\n')
m1=$(samtools faidx -i $ref chr1:50301-50450 | grep -v '>' | tr -d '\n')
u1=$(samtools faidx $ref chr2:20001-20150 | grep -v '>' | tr -d '\n')
junk=$(awk 'BEGIN {srand(7); for (i = 0; i < 150; i++) printf "%s", substr("ACGT", int(rand() * 4) + 1, 1)}')
q=$(printf 'I%.0s' $(seq 150))
{ zcat $r1; printf '@chimera\n%s%s\n+\n%s\n@junkmate\n%s\n+\n%s\n' "$c1" "$c2" "$q" "$u1" "$q"; } | bgzip >r1.fq.gz
{ zcat $r2; printf '@chimera\n%s\n+\n%s\n@junkmate\n%s\n+\n%s\n' "$m1" "$q" "$junk" "$q"; } | bgzip >r2.fq.gz
pairs=$(( $(zcat r1.fq.gz | wc -l) / 4 ))
echo "$pairs pairs"

"$precis" index --ref $ref --quiet
[ -s $ref.pidx ] && pass "index written" || fail "no index"

"$precis" align --ref $ref --reads1 r1.fq.gz --reads2 r2.fq.gz --out t2.bam --read-group '@RG\tID:P1\tSM:P0001' \
  --threads 2 --quiet
samtools quickcheck t2.bam && [ -s t2.bam.bai ] && pass "quickcheck + .bai" || fail "quickcheck or index"
samtools view -H t2.bam >header.txt
grep -q $'^@HD\tVN:1.6\tSO:coordinate' header.txt && grep -c '^@SQ' header.txt | grep -qx 3 &&
  grep -q $'^@RG\tID:P1\tSM:P0001' header.txt && grep -q $'^@PG\tID:precis.*CL:.*precis align' header.txt &&
  pass "header: HD SO:coordinate, 3 SQ, RG, PG with command line" || fail "header: $(cat header.txt)"
n=$(samtools view -c -F 0x900 t2.bam)
[ "$n" -eq $((2 * pairs)) ] && pass "every read has one primary record ($n)" || fail "$n primaries for $pairs pairs"

# fixmate must change nothing but its own MC/MQ handling (samtools 1.16 drops them), calmd nothing at all.
strip() { samtools view "$1" | sed -E 's/\tMC:Z:[^\t]*//; s/\tMQ:i:[0-9]*//' | LC_ALL=C sort; }
samtools sort -n -o ns.bam t2.bam 2>/dev/null && samtools fixmate ns.bam fm.bam
d=$(diff <(strip ns.bam) <(strip fm.bam) | wc -l)
[ "$d" -eq 0 ] && pass "samtools fixmate changes no flag, mate field or TLEN" || fail "fixmate changed $d lines"
d=$(diff <(samtools view t2.bam) <(samtools calmd t2.bam $ref 2>/dev/null | grep -v '^@') | wc -l)
[ "$d" -eq 0 ] && pass "samtools calmd changes no NM/MD" || fail "calmd changed $d lines"

# Placement against the simulated truth (read names carry chr:R1left:R2left).
samtools view -F 0x904 t2.bam | grep '^P0001' | awk '{split($1, a, ":"); t = (int($2 / 64) % 2 ? a[3] : a[4]);
  d = $4 - t; if (d < 0) d = -d; if ($3 != a[2]) d = 1e9; n++; if ($5 >= 20) {q++; if (d > 20) bad++}}
  END {print n, q, bad + 0}' >acc.txt
read -r mapped q20 bad <acc.txt
echo "mapped $mapped, MAPQ>=20 $q20, misplaced at MAPQ>=20 $bad"
[ "$bad" -eq 0 ] && [ "$q20" -ge $((2 * (pairs - 2) * 97 / 100)) ] && pass "MAPQ>=20: $q20 reads, none misplaced" ||
  fail "accuracy: $q20 reads at MAPQ>=20, $bad misplaced"
samtools view -f 0x2 t2.bam | grep -c 'MC:Z:' | grep -qv '^0$' && [ "$(samtools view -f 0x1 -F 0x8 t2.bam | grep -vc 'MC:Z:')" -eq 0 ] &&
  pass "MC on every read with a mapped mate" || fail "MC tags missing"

# Unmapped mate: MAPQ 0, placed at its mate; the mate says its mate is unmapped.
read -r flag rname pos mapq mrname mpos <<<"$(samtools view -f 0x4 t2.bam | awk '$1 == "junkmate" {print $2, $3, $4, $5, $7, $8}')"
read -r mflag mrn mp <<<"$(samtools view -F 0x4 t2.bam | awk '$1 == "junkmate" {print $2, $3, $4}')"
[ "$mapq" = 0 ] && [ "$rname" = "$mrn" ] && [ "$pos" = "$mp" ] && [ "$mrname" = "=" ] && [ $((mflag & 8)) -eq 8 ] &&
  pass "unmapped read: MAPQ 0 at its mate's position ($rname:$pos)" || fail "unmapped read: $flag $rname $pos $mapq / mate $mflag $mrn $mp"

# Chimera: a supplementary (2048) with SA on both parts.
sup=$(samtools view -f 0x800 t2.bam | awk '$1 == "chimera"' | wc -l)
sa=$(samtools view t2.bam | awk '$1 == "chimera" && /SA:Z:/' | wc -l)
[ "$sup" -ge 1 ] && [ "$sa" -ge 2 ] && pass "chimeric read: $sup supplementary, SA on $sa records" ||
  fail "chimeric read: $sup supplementary, $sa with SA: $(samtools view t2.bam | awk '$1 == "chimera"' | cut -f 1-9)"

# Secondary alignments (flag 256): reads from the duplicated segment; MAPQ 0, no SA, mate fields from
# the mate's primary; callers ignore them (bcftools mpileup: same pileup without them); --max-secondary 0.
samtools view -f 0x100 t2.bam >sec.sam
nsec=$(wc -l <sec.sam)
[ "$nsec" -ge 10 ] && [ "$(awk '$5 != 0 || /SA:Z:/' sec.sam | wc -l)" -eq 0 ] &&
  [ "$(awk '$3 == "chr3" || ($3 == "chr1" && $4 > 59000 && $4 < 62000)' sec.sam | wc -l)" -eq "$nsec" ] &&
  pass "secondary: $nsec records in the duplicated segment, MAPQ 0, no SA" || fail "secondary records: $(head -3 sec.sam)"
samtools view -F 0x904 t2.bam | awk '{print $1, int($2 / 64) % 4, $3, $4, int($2 / 16) % 2}' | sort >prim.txt
awk 'int($2 / 8) % 2 == 0 {print $1, 3 - int($2 / 64) % 4, ($7 == "=" ? $3 : $7), $8, int($2 / 32) % 2}' sec.sam |
  sort -u >secmate.txt
[ "$(comm -13 prim.txt secmate.txt | wc -l)" -eq 0 ] && pass "secondary: mate fields are the mate's primary" ||
  fail "secondary mate fields: $(comm -13 prim.txt secmate.txt | head -3)"
samtools view -b -F 0x100 -o nosec.bam t2.bam && samtools index nosec.bam
cmp -s <(bcftools mpileup -f $ref -r chr3 t2.bam 2>/dev/null | grep -v '^#') \
  <(bcftools mpileup -f $ref -r chr3 nosec.bam 2>/dev/null | grep -v '^#') &&
  pass "bcftools mpileup ignores secondaries" || fail "bcftools mpileup differs with secondaries"
"$precis" align --ref $ref --reads1 r1.fq.gz --reads2 r2.fq.gz --out nosec2.bam --max-secondary 0 \
  --read-group '@RG\tID:P1\tSM:P0001' --quiet
[ "$(samtools view -c -f 0x100 nosec2.bam)" -eq 0 ] && cmp -s <(samtools view nosec.bam) <(samtools view nosec2.bam) &&
  pass "--max-secondary 0: the same records without secondaries" || fail "--max-secondary 0 output"

# Same records at any thread and rank count (small batches so that ranks share the work).
"$precis" align --ref $ref --reads1 r1.fq.gz --reads2 r2.fq.gz --out t1.bam --read-group '@RG\tID:P1\tSM:P0001' \
  --threads 1 --batch 700 --quiet
samtools view t2.bam >t2.sam
cmp -s t2.sam <(samtools view t1.bam) && pass "1 thread == 2 threads" || fail "1 vs 2 threads differ"
for np in 2 4; do
  mpiexec -n $np "$precis" align --ref $ref --reads1 r1.fq.gz --reads2 r2.fq.gz --out np$np.bam \
    --read-group '@RG\tID:P1\tSM:P0001' --threads 1 --batch 500 --quiet
  cmp -s t2.sam <(samtools view np$np.bam) && pass "$np ranks == 1 rank" || fail "$np ranks differ from 1 rank"
done
# Sorted runs on disk (--sort-memory 1 MiB): the same records at 1 and 2 ranks.
"$precis" align --ref $ref --reads1 r1.fq.gz --reads2 r2.fq.gz --out spill1.bam --read-group '@RG\tID:P1\tSM:P0001' \
  --sort-memory 1 --batch 500 2>spill1.log
grep -q "sorted runs on disk" spill1.log && cmp -s t2.sam <(samtools view spill1.bam) && pass "sorted runs at 1 rank" ||
  fail "sorted runs at 1 rank: $(tail -2 spill1.log)"
mpiexec -n 2 "$precis" align --ref $ref --reads1 r1.fq.gz --reads2 r2.fq.gz --out spill2.bam \
  --read-group '@RG\tID:P1\tSM:P0001' --threads 1 --sort-memory 1 --batch 500 --quiet
cmp -s t2.sam <(samtools view spill2.bam) && pass "sorted runs at 2 ranks" || fail "sorted runs at 2 ranks differ"
ls -a | grep -q precis-partial && fail "partial files left: $(ls -a | grep precis-partial)" || pass "no partial files left"

# Single-end and CRAM.
"$precis" align --ref $ref --reads1 $r1 --out se.bam --quiet
[ "$(samtools view -c -F 0x904 se.bam)" -ge $((pairs * 97 / 100 - 2)) ] && [ "$(samtools view -c -f 0x1 se.bam)" -eq 0 ] &&
  pass "single-end" || fail "single-end output"
"$precis" align --ref $ref --reads1 r1.fq.gz --reads2 r2.fq.gz --out t.cram --cram --quiet
samtools quickcheck t.cram && [ -s t.cram.crai ] && [ "$(samtools view -T $ref -c t.cram)" -eq "$(samtools view -c t2.bam)" ] &&
  pass "CRAM + .crai" || fail "CRAM output"

# Bad input: exit 2, one message naming the fault, no output under the final name.
bad() {  # bad TEXT ARGS...: align with ARGS must fail with TEXT and leave no bad.bam
  local text=$1; shift
  expect_error 2 "$text" -- "$precis" align --ref $ref --out bad.bam --quiet "$@"
  [ ! -e bad.bam ] && ! ls -a | grep -q 'precis-partial' || fail "partial output left for '$text'"
}
zcat r1.fq.gz >r1.fq && zcat r2.fq.gz >r2.fq
# Plain (uncompressed) FASTQ at 2 ranks: ranks seek to their batches in the text file.
mpiexec -n 2 "$precis" align --ref $ref --reads1 r1.fq --reads2 r2.fq --out plain2.bam \
  --read-group '@RG\tID:P1\tSM:P0001' --threads 1 --batch 500 --quiet
cmp -s t2.sam <(samtools view plain2.bam) && pass "plain FASTQ at 2 ranks == 1 rank" || fail "plain FASTQ at 2 ranks differs"
# A read trimmed to nothing: unmapped, its mate aligned as usual.
awk 'NR == 2 || NR == 4 {print ""; next} {print}' r1.fq >empty1.fq
"$precis" align --ref $ref --reads1 empty1.fq --reads2 r2.fq --out empty.bam --quiet || fail "align with an empty read"
first=$(head -1 empty1.fq | cut -c2- | cut -d' ' -f1)
[ "$(samtools view -f 0x44 empty.bam | awk -v n="${first%/1}" '$1 == n' | wc -l)" -eq 1 ] &&
  pass "an empty read is reported unmapped" || fail "empty read: $(samtools view empty.bam | awk -v n="${first%/1}" '$1 == n')"
head -n 4001 r1.fq | sed '$ s/.*/@cut/' | bgzip >trunc.fq.gz
bad "truncated or malformed" --reads1 trunc.fq.gz
printf '@a\nACGT\n+\nII\n' | bgzip >malformed.fq.gz
bad "record 1" --reads1 malformed.fq.gz
head -n 400 r2.fq | bgzip >short2.fq.gz
bad "must hold the same pairs" --reads1 r1.fq.gz --reads2 short2.fq.gz
sed '9 s/^@.*/@renamed/' r2.fq | bgzip >renamed2.fq.gz
bad "does not match" --reads1 r1.fq.gz --reads2 renamed2.fq.gz
bad "index not found" --reads1 r1.fq.gz --index nowhere.pidx
sed '8 s/^./ /' r2.fq | bgzip >badqual2.fq.gz  # a space (phred -1) in the qualities of record 2
bad "badqual2.fq.gz: record 2: a quality character outside '!'..'~'" --reads1 r1.fq.gz --reads2 badqual2.fq.gz
# Paired-end reads the FASTQs twice: a pipe is refused up front (single-end at one rank streams it).
bad "--reads1 /dev/stdin: not a regular file" --reads1 /dev/stdin --reads2 r2.fq < <(cat r1.fq)
cp $ref changed.fa && "$precis" index --ref changed.fa --quiet && sed -i '2 s/^./N/' changed.fa
expect_error 2 "stale index" -- "$precis" align --ref changed.fa --reads1 r1.fq.gz --out bad.bam --quiet
expect_mpi_error 2 "does not match" -- mpiexec -n 2 "$precis" align --ref $ref --reads1 r1.fq.gz --reads2 renamed2.fq.gz \
  --out bad.bam --quiet
[ ! -e bad.bam ] && pass "no bad.bam after the MPI failure" || fail "bad.bam exists"
printf '>x\nAC GT\n' >badref.fa
expect_error 2 "invalid base" -- "$precis" index --ref badref.fa --quiet
finish
