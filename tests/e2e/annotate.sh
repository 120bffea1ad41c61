# precis annotate on simulated data: valid indexed VCF with CSQ, identical output at 1/2/4 ranks, the planted
# pathogenic variant of P0001 in --findings, agreement with bcftools csq, bad input counted or (--strict) fatal.
source "$(dirname "$0")/lib.sh"

"$precis" simulate --out-dir w --samples 100 --variants 8000 --genes 30 --patients 1 --coverage 1 --quiet
common=(--ref w/reference.fa --genes w/genes.gff3 --known w/clinvar.vcf.gz --frequencies w/frequencies.vcf.gz)
grep -P '\tgene\t' w/genes.gff3 | awk 'NR <= 3' | cut -f9 | cut -d';' -f2 | sed 's/Name=//' > panel.txt

for n in 1 2 4; do
  timeout 300 mpiexec -n $n "$precis" annotate "${common[@]}" --vcf w/cohort.vcf.gz --out np$n.vcf.gz \
    --tsv np$n.tsv --findings np$n.findings.tsv --panel panel.txt --quiet || fail "annotate at $n ranks"
done

# A valid, indexed VCF that bcftools reads, with the declared CSQ field on every record.
records_in=$(bcftools view -H w/cohort.vcf.gz | wc -l)
records_out=$(bcftools view -H np1.vcf.gz | wc -l)
[ "$records_in" -gt 0 ] && [ "$records_in" -eq "$records_out" ] && pass "$records_out records in and out" \
  || fail "records: in $records_in, out $records_out"
[ -f np1.vcf.gz.tbi ] && bcftools view -H -r chr1:1-100000 np1.vcf.gz > /dev/null && pass "indexed (.tbi) and region queries work" \
  || fail "no usable .tbi"
# The .tbi is built while writing: the same answers as one tabix builds from the file, at every rank count.
cp np1.vcf.gz retabix.vcf.gz && tabix -f -p vcf retabix.vcf.gz
same_regions=yes
for r in chr1:1-100000 chr1:150000-400000 chr2 chr1:1999000-2000000 chr2:1-1; do
  cmp -s <(tabix np1.vcf.gz "$r") <(tabix retabix.vcf.gz "$r") || same_regions="no ($r)"
done
[ "$same_regions" = yes ] && pass "on-the-fly .tbi answers region queries as tabix's own" || fail "region queries differ: $same_regions"
cmp -s np1.vcf.gz.tbi np2.vcf.gz.tbi && cmp -s np1.vcf.gz.tbi np4.vcf.gz.tbi && pass ".tbi identical at 1, 2, 4 ranks" \
  || fail ".tbi differs across rank counts"
# Another compression level: other bytes, the same records and region answers, at 2 ranks.
timeout 300 mpiexec -n 2 "$precis" annotate "${common[@]}" --vcf w/cohort.vcf.gz --out fast.vcf.gz --panel panel.txt \
  --compression-level 1 --quiet || fail "annotate --compression-level 1"
! cmp -s fast.vcf.gz np1.vcf.gz && cmp -s <(gzip -dc fast.vcf.gz) <(gzip -dc np1.vcf.gz) \
  && cmp -s <(tabix fast.vcf.gz chr1:150000-400000) <(tabix np1.vcf.gz chr1:150000-400000) \
  && pass "--compression-level 1: same records, indexed" || fail "--compression-level 1 changed the records or the index"
bcftools view -h np1.vcf.gz > header.txt
grep -q '^##INFO=<ID=CSQ,.*Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|CANONICAL' header.txt \
  && pass "CSQ header" || fail "CSQ header missing"
without=$(bcftools view -H -i 'INFO/CSQ=""' np1.vcf.gz 2>/dev/null | wc -l)
with=$(bcftools query -f '%INFO/CSQ\n' np1.vcf.gz | grep -c '|' || true)
[ "$with" -eq "$records_out" ] && pass "every record has a CSQ" || fail "CSQ on $with of $records_out records ($without empty)"
fields=$(bcftools query -f '%INFO/CSQ\n' np1.vcf.gz | tr ',' '\n' | awk -F'|' '{print NF}' | sort -u | tr '\n' ' ')
[ "$fields" = "22 " ] && pass "22 CSQ sub-fields in every entry" || fail "CSQ sub-field counts: $fields"
bcftools query -f '%INFO/CSQ\t%INFO/CLNSIG\t%INFO/POP_AF\n' np1.vcf.gz > info.txt
missense=$(cut -f1 info.txt | grep -c 'missense_variant|MODERATE' || true)
clnsig=$(cut -f2 info.txt | grep -vc '^\.$' || true)
pop_af=$(cut -f3 info.txt | grep -vc '^\.$' || true)
intergenic=$(cut -f1 info.txt | grep -c 'intergenic_variant|MODIFIER' || true)
[ "$intergenic" -gt 0 ] && pass "$intergenic records with intergenic entries" || fail "no intergenic entries"
picks=$(cut -f1 info.txt | tr ',' '\n' | awk -F'|' '$22 == "1"' | wc -l)
alleles=$(bcftools view -H np1.vcf.gz | awk -F'\t' '{n += split($5, a, ",")} END {print n}')
[ "$picks" -eq "$alleles" ] && pass "one PICK per allele ($picks)" || fail "PICK entries $picks for $alleles alleles"
[ "$missense" -gt 0 ] && pass "$missense records with missense entries" || fail "no missense entries"
[ "$clnsig" -gt 0 ] && pass "ClinVar CLNSIG on $clnsig records" || fail "no CLNSIG"
[ "$pop_af" -gt 0 ] && pass "POP_AF on $pop_af records" || fail "no POP_AF"

# The reference reader: a soft-masked (lower-case), CRLF FASTA with descriptions on its header lines,
# bgzipped, gives the same records.
awk '/^>/ {printf "%s some description\r\n", $0; next} {printf "%s\r\n", tolower($0)}' w/reference.fa | bgzip > softmasked.fa.gz
samtools faidx softmasked.fa.gz
"$precis" annotate --ref softmasked.fa.gz --genes w/genes.gff3 --vcf w/cohort.vcf.gz --out soft.vcf.gz --quiet \
  && "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf w/cohort.vcf.gz --out plain.vcf.gz --quiet \
  && cmp -s <(bcftools view -H soft.vcf.gz) <(bcftools view -H plain.vcf.gz) \
  && pass "lower-case CRLF bgzipped FASTA read as the plain one" || fail "soft-masked CRLF FASTA gives other records"
# Identical output at any rank count (decompressed VCF, TSV, findings).
for n in 2 4; do
  cmp -s <(zcat np1.vcf.gz) <(zcat np$n.vcf.gz) && pass "VCF identical at 1 and $n ranks" || fail "VCF differs at $n ranks"
  cmp -s np1.tsv np$n.tsv && pass "TSV identical at 1 and $n ranks" || fail "TSV differs at $n ranks"
  cmp -s np1.findings.tsv np$n.findings.tsv && pass "findings identical at 1 and $n ranks" || fail "findings differ at $n ranks"
done
# One contig of the file, its header still naming the others (as a one-chromosome VCF of a genome does):
# its records are annotated as in the whole file, ClinVar and frequencies included, at 1 and 2 ranks.
first=$(bcftools index -s w/cohort.vcf.gz | awk 'NR == 1 {print $1}')
bcftools view -r "$first" -Oz -o one.vcf.gz w/cohort.vcf.gz && bcftools index -t one.vcf.gz
for n in 1 2; do
  timeout 300 mpiexec -n $n "$precis" annotate "${common[@]}" --vcf one.vcf.gz --out one$n.vcf.gz --panel panel.txt \
    --quiet || fail "annotate one contig at $n ranks"
  cmp -s <(bcftools view -H -r "$first" np1.vcf.gz) <(bcftools view -H one$n.vcf.gz) \
    && pass "$first alone (other contigs in the header) annotated as in the whole file at $n ranks" \
    || fail "$first alone annotated differently at $n ranks"
done
[ "$(head -1 np1.findings.tsv)" = "$(printf 'sample_id\tchrom\tpos\tref\talt\tgene\ttranscript\tconsequence\timpact\thgvs_c\thgvs_p\tzygosity\tclnsig\treview_stars\tcondition\treason')" ] \
  && pass "findings columns" || fail "findings header: $(head -1 np1.findings.tsv)"
panel_rows=$(awk -F'\t' 'NR > 1 && $16 == "high_impact_panel"' np1.findings.tsv | wc -l)
[ "$panel_rows" -gt 0 ] && pass "$panel_rows panel findings" || fail "no high_impact_panel findings for $(tr '\n' ' ' < panel.txt)"

# The planted pathogenic variant of P0001 is reported.
"$precis" annotate "${common[@]}" --vcf w/patients/P0001.truth.vcf.gz --out p1.vcf.gz --findings p1.findings.tsv --quiet \
  || fail "annotate P0001"
planted=$(bcftools view -H -i 'INFO/PLANTED=1' w/patients/P0001.truth.vcf.gz | cut -f1,2,4,5 | awk 'NR == 1')
if [ -n "$planted" ] && [ "$(awk -F'\t' -v p="$planted" 'NR > 1 && ($2 "\t" $3 "\t" $4 "\t" $5) == p && $16 == "clinvar" && ($13 ~ /athogenic/)' \
     p1.findings.tsv | wc -l)" -eq 1 ]; then
  pass "planted variant $planted in findings: $(grep -F "$(echo "$planted" | cut -f2)" p1.findings.tsv | cut -f6-16 | awk 'NR == 1')"
else
  fail "planted variant '$planted' not in findings"
fi

# Known-variant files naming contigs "1", "2" (ClinVar's style) for the input's "chr1", "chr2": the same
# records, ClinVar and frequencies included, at 1 and 2 ranks. RefSeq accessions match nothing: one warning.
bcftools view -h w/clinvar.vcf.gz | sed -n 's/^##contig=<ID=chr\([^,>]*\).*/chr\1 \1/p' > nochr.txt
awk '{printf "%s NC_%06d.11\n", $1, $2}' nochr.txt > refseq.txt
bcftools annotate --rename-chrs nochr.txt w/clinvar.vcf.gz -Oz -o cv_nochr.vcf.gz && tabix -p vcf cv_nochr.vcf.gz
bcftools annotate --rename-chrs nochr.txt w/frequencies.vcf.gz -Oz -o af_nochr.vcf.gz && tabix -p vcf af_nochr.vcf.gz
bcftools annotate --rename-chrs refseq.txt w/clinvar.vcf.gz -Oz -o cv_refseq.vcf.gz && tabix -p vcf cv_refseq.vcf.gz
for n in 1 2; do
  timeout 300 mpiexec -n $n "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --known cv_nochr.vcf.gz \
    --frequencies af_nochr.vcf.gz --vcf w/cohort.vcf.gz --out nochr$n.vcf.gz --findings nochr$n.findings.tsv --panel panel.txt \
    --quiet 2> nochr$n.log || fail "annotate with contigs 1, 2 at $n ranks"
  cmp -s <(zcat np1.vcf.gz | grep -v '^##') <(zcat nochr$n.vcf.gz | grep -v '^##') && cmp -s np1.findings.tsv nochr$n.findings.tsv \
    && [ ! -s nochr$n.log ] && pass "--known/--frequencies with contigs 1, 2 match chr1, chr2 at $n ranks" \
    || fail "contigs 1, 2 vs chr1, chr2 at $n ranks: other records or messages: $(cat nochr$n.log)"
done
timeout 300 mpiexec -n 2 "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --known cv_refseq.vcf.gz \
  --vcf w/cohort.vcf.gz --out refseq.vcf.gz --quiet 2> refseq.log || fail "annotate with RefSeq contigs"
[ "$(grep -c . refseq.log)" -eq 1 ] && grep -q 'cv_refseq.vcf.gz: --known names no contig of the input (NC_000001.11' refseq.log \
  && [ "$(bcftools view -H -i 'INFO/CLNSIG!="."' refseq.vcf.gz | wc -l)" -eq 0 ] && pass "RefSeq contigs: one warning ($(cat refseq.log))" \
  || fail "RefSeq contigs: $(cat refseq.log)"
# A panel as exported from a spreadsheet (byte order mark, comments, notes after a tab): the same findings;
# entries that name no gene (a lower-case symbol, an unknown one) get one warning, at 2 ranks.
{ printf '\xef\xbb\xbf# panel v2\n\n'
  awk 'NR == 1 {print $0 "\tcardiac gene"} NR == 2 {print "  " $0 "  # a note"} NR > 2' panel.txt
  head -1 panel.txt | tr '[:upper:]' '[:lower:]'; echo NOTAGENE; } > panel2.txt
timeout 300 mpiexec -n 2 "$precis" annotate "${common[@]}" --vcf w/cohort.vcf.gz --out panel2.vcf.gz --findings panel2.findings.tsv \
  --panel panel2.txt --quiet 2> panel2.log || fail "annotate with a spreadsheet panel"
lower=$(head -1 panel.txt | tr '[:upper:]' '[:lower:]')
cmp -s np1.findings.tsv panel2.findings.tsv && pass "BOM, comments and notes in --panel: the same findings" \
  || fail "spreadsheet panel changed the findings"
[ "$(grep -c . panel2.log)" -eq 1 ] \
  && grep -qF "panel2.txt: 2 of $(($(wc -l < panel.txt) + 2)) --panel genes match no gene symbol or id of w/genes.gff3 (case-sensitive): '$lower' (but '$(head -1 panel.txt)' does), 'NOTAGENE'" panel2.log \
  && pass "unmatched panel genes: one warning ($(cat panel2.log))" || fail "unmatched panel genes: $(cat panel2.log)"

# Agreement with bcftools csq (local, sites-only) on the most severe consequence per record.
bcftools view -G w/cohort.vcf.gz -Ou | bcftools csq -l -f w/reference.fa -g w/genes.gff3 -Ov -o csq.vcf 2> csq.log
python3 "$src/bench/annotate_compare.py" np1.vcf.gz csq.vcf > agreement.txt
cat agreement.txt
while IFS=$'\t' read -r cls n ok rate; do
  case $cls in SNV|indel|protein_change) awk -v r="$rate" -v n="$n" 'BEGIN { exit !(n > 20 && r >= 0.95) }' \
    && pass "$cls agreement with bcftools csq $ok/$n" || fail "$cls agreement with bcftools csq $ok/$n below 0.95";; esac
done < agreement.txt

# Bad input: REF mismatch, unknown contig, symbolic allele: counted and warned; --strict: exit 2.
{ zcat w/cohort.vcf.gz | grep '^##'; echo "##contig=<ID=chrUnknown>"; zcat w/cohort.vcf.gz | grep '^#CHROM' | cut -f1-8
  zcat w/cohort.vcf.gz | grep -v '^#' | awk 'NR <= 3' | cut -f1-8
  python3 - w/reference.fa <<'PY'
import sys
seq = "".join(l.strip() for l in open(sys.argv[1]).read().split(">chr1", 1)[1].split(">")[0].splitlines()[1:])
base = seq[999999]
wrong = "C" if base != "C" else "G"
print(f"chr1\t1000000\t.\t{wrong}\tT\t.\t.\t.")
print(f"chr1\t1000010\t.\t{seq[1000009]}\t<DEL>\t.\t.\t.")
print(f"chr1\t1000020\t.\t{seq[1000019]}\t{seq[1000019].lower()}\t.\t.\t.")
PY
  echo -e "chrUnknown\t5\t.\tA\tT\t.\t.\t."; } > bad.vcf
"$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf bad.vcf --out bad.vcf.gz 2> bad.log \
  && pass "bad records do not stop a normal run" || fail "bad records crashed the run: $(cat bad.log)"
grep -q "REF does not match the FASTA: 1 in total" bad.log && grep -q "contig absent from the FASTA: 1 in total" bad.log \
  && grep -q "symbolic or non-ACGTN allele skipped: 1 in total" bad.log \
  && grep -q "ALT equal to REF (not a variant) skipped: bad.vcf: record 6 (chr1:1000020): ALT " bad.log \
  && grep -q "ALT equal to REF (not a variant) skipped: 1 in total" bad.log && pass "bad records counted" \
  || fail "bad record counts: $(cat bad.log)"
[ "$(bcftools view -H bad.vcf.gz | wc -l)" -eq 7 ] && pass "bad records kept in the output" || fail "records lost"
[ "$(bcftools query -r chr1:1000020 -f '%INFO/CSQ' bad.vcf.gz)" = . ] && pass "ALT equal to REF: no CSQ" \
  || fail "ALT equal to REF annotated: $(bcftools query -r chr1:1000020 -f '%INFO/CSQ' bad.vcf.gz)"
{ grep '^#' bad.vcf; grep -P '^chr1\t1000020\t' bad.vcf; } > same.vcf
expect_error 2 "same.vcf: record 1 (chr1:1000020): ALT " -- "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 \
  --vcf same.vcf --out same.vcf.gz --strict --quiet
grep -q "ALT equal to REF (not a variant) skipped (--strict)" err.txt && pass "--strict: ALT equal to REF named" \
  || fail "--strict ALT equal to REF: $(cat err.txt)"
expect_error 2 "REF does not match the FASTA" -- "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf bad.vcf \
  --out strict.vcf.gz --strict --quiet
{ cat w/genes.gff3; echo -e "chr1\tx\texon\tnot_a_number\t10\t.\t+\t.\tParent=transcript:X"; } > bad.gff3
"$precis" annotate --ref w/reference.fa --genes bad.gff3 --vcf w/cohort.vcf.gz --out g.vcf.gz 2> g.log \
  && grep -q "malformed line" g.log && pass "malformed GFF3 line counted" || fail "malformed GFF3: $(cat g.log)"
expect_error 2 "malformed GFF3/GTF line" -- "$precis" annotate --ref w/reference.fa --genes bad.gff3 --vcf w/cohort.vcf.gz \
  --out g2.vcf.gz --strict --quiet
expect_error 2 "--out" -- "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf w/cohort.vcf.gz --out x.txt --quiet
expect_mpi_error 2 "no index" -- timeout 120 mpiexec -n 2 "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 \
  --vcf bad.vcf --out mpi.vcf.gz --quiet
bgzip -c bad.vcf > bad.vcf.gz.in && mv bad.vcf.gz.in badidx.vcf.gz && bcftools index -t badidx.vcf.gz
expect_mpi_error 2 "REF does not match the FASTA" -- timeout 120 mpiexec -n 2 "$precis" annotate --ref w/reference.fa \
  --genes w/genes.gff3 --vcf badidx.vcf.gz --out mpi.vcf.gz --strict --quiet
# Bad records spread over the file: the same warnings (CHROM:POS, no rank-relative record numbers) at 1, 2
# and 4 ranks, and under --strict one error line, the first bad record's, whichever ranks meet one.
zcat w/cohort.vcf.gz | cut -f1-8 | awk 'BEGIN {OFS = "\t"} /^#/ {print; next} {++n}
  n == 2500 || n == 5200 {$5 = "<DEL>"} n == 7600 {$5 = $4} n == 7700 {$5 = "*"} {print}' | bgzip > spread.vcf.gz
tabix -p vcf spread.vcf.gz
first_bad=$(bcftools view -H spread.vcf.gz | awk 'NR == 2500 {print $1 ":" $2}')
for n in 1 2 4; do
  timeout 300 mpiexec -n $n "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf spread.vcf.gz --out spread$n.vcf.gz \
    --quiet 2> spread$n.log || fail "annotate spread.vcf.gz at $n ranks"
  sed 's/^\[precis annotate [0-9.]*s\] //' spread$n.log > spread$n.txt
done
[ "$(grep -c . spread1.txt)" -eq 6 ] && grep -q "^warning: symbolic or non-ACGTN allele skipped: spread.vcf.gz: $first_bad: ALT <DEL>$" spread1.txt \
  && pass "bad records named by CHROM:POS ($(head -1 spread1.txt))" || fail "bad record warnings: $(cat spread1.txt)"
for n in 2 4; do
  cmp -s spread1.txt spread$n.txt && pass "the same warnings at 1 and $n ranks" \
    || fail "warnings differ at $n ranks: $(diff spread1.txt spread$n.txt | tr '\n' ' ')"
done
expect_error 2 "spread.vcf.gz: $first_bad: ALT <DEL>: symbolic or non-ACGTN allele skipped (--strict)" -- \
  "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf spread.vcf.gz --out spread_strict.vcf.gz --strict --quiet
for n in 2 4; do
  expect_mpi_error 2 "spread.vcf.gz: $first_bad: ALT <DEL>: symbolic or non-ACGTN allele skipped (--strict)" -- \
    timeout 120 mpiexec -n $n "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 --vcf spread.vcf.gz \
    --out spread_strict.vcf.gz --strict --quiet
  [ "$(grep -c 'error:' err.txt)" -eq 1 ] && pass "--strict at $n ranks: one error line" \
    || fail "--strict at $n ranks: $(grep -c 'error:' err.txt) error lines: $(grep 'error:' err.txt)"
done
[ ! -e .strict.vcf.gz.precis-vcf.0 ] && [ ! -e spread_strict.vcf.gz ] && [ ! -e .spread_strict.vcf.gz.precis-vcf.1 ] && [ ! -e strict.vcf.gz ] && [ ! -e mpi.vcf.gz ] && [ ! -e g2.vcf.gz ] && pass "no output left by failed runs" || fail "failed run left an output"
# Haplotype-aware consequences on a dense phased cohort: HCSQ compounds agree with bcftools csq's
# (haplotype mode), the output is identical at 1, 2 and 4 ranks (compounds straddling windows included),
# and --local-csq turns them off.
"$precis" simulate --out-dir h --samples 20 --variants 30000 --contigs 1 --contig-length 600000 --genes 20 --patients 0 \
  --phased --quiet
grep -P '\tgene\t' h/genes.gff3 | cut -f9 | cut -d';' -f2 | sed 's/Name=//' > hpanel.txt
for n in 1 2 4; do
  timeout 300 mpiexec -n $n "$precis" annotate --ref h/reference.fa --genes h/genes.gff3 --vcf h/cohort.vcf.gz --out h$n.vcf.gz \
    --findings h$n.findings.tsv --panel hpanel.txt --quiet || fail "haplotype annotate at $n ranks"
done
"$precis" annotate --ref h/reference.fa --genes h/genes.gff3 --vcf h/cohort.vcf.gz --out ht3.vcf.gz \
  --findings ht3.findings.tsv --panel hpanel.txt --threads 3 --quiet || fail "haplotype annotate with 3 threads"
for n in 2 4 t3; do
  case $n in t3) other=ht3;; *) other=h$n;; esac
  cmp -s h1.vcf.gz $other.vcf.gz && cmp -s h1.findings.tsv $other.findings.tsv && pass "HCSQ output identical (bytes) at 1 rank and $n" \
    || fail "haplotype output differs at $n"
done
bcftools view -h h1.vcf.gz | grep -q '^##INFO=<ID=HCSQ,.*Format: Consequence|IMPACT|SYMBOL|Gene|Feature|BIOTYPE|Variants|HGVSc|HGVSp' \
  && pass "HCSQ header" || fail "HCSQ header missing"
hcsq=$(bcftools query -i 'INFO/HCSQ!="."' -f '%POS\n' h1.vcf.gz | wc -l)
[ "$hcsq" -gt 0 ] && pass "$hcsq records with HCSQ" || fail "no HCSQ"
compound_rows=$(awk -F'\t' 'NR > 1 && $10 ~ /c\.\[/' h1.findings.tsv | wc -l)
[ "$compound_rows" -gt 0 ] && pass "$compound_rows findings with a combined effect" || fail "no combined effect in findings"
bcftools csq -p s -f h/reference.fa -g h/genes.gff3 h/cohort.vcf.gz -Oz -o hcsq.vcf.gz 2> hcsq.log
python3 "$src/bench/annotate_haplotype.py" h1.vcf.gz hcsq.vcf.gz > hagreement.txt
cat hagreement.txt
while IFS=$'\t' read -r cls n ok rate; do
  case $cls in snv_compound|snv_compound_consequence|indel_compound|indel_compound_consequence)
    awk -v r="$rate" -v n="$n" 'BEGIN { exit !(n == 0 || r >= 0.95) }' && pass "$cls vs bcftools csq $ok/$n" \
      || fail "$cls vs bcftools csq $ok/$n below 0.95";; esac
done < hagreement.txt
"$precis" annotate --ref h/reference.fa --genes h/genes.gff3 --vcf h/cohort.vcf.gz --out hl.vcf.gz --local-csq --quiet \
  && [ "$(bcftools view -h hl.vcf.gz | grep -c HCSQ)" -eq 0 ] && cmp -s <(zcat hl.vcf.gz | grep -v '^#') \
     <(bcftools annotate -x INFO/HCSQ h1.vcf.gz | zcat -f | grep -v '^#') && pass "--local-csq: no HCSQ, CSQ unchanged" \
  || fail "--local-csq"
# Phase sets (FORMAT/PS): one set for all records combines as without PS; a set per record (PS=POS) leaves
# only combinations in which every sample has at most one heterozygous member.
with_ps() {  # VCF PS_EXPR OUT: PS_EXPR is "one" (PS=1) or "pos" (PS=POS)
  zcat "$1" | awk -v mode="$2" 'BEGIN {OFS = "\t"}
    /^##/ {print; next}
    /^#CHROM/ {print "##FORMAT=<ID=PS,Number=1,Type=Integer,Description=\"Phase set\">"; print; next}
    {ps = mode == "one" ? 1 : $2; $9 = $9 ":PS"; for (i = 10; i <= NF; ++i) $i = $i ":" ps; print}' | bgzip > "$3"
  tabix -p vcf "$3"
}
with_ps h/cohort.vcf.gz one hps1.vcf.gz
with_ps h/cohort.vcf.gz pos hpsp.vcf.gz
for v in ps1 psp; do
  "$precis" annotate --ref h/reference.fa --genes h/genes.gff3 --vcf h$v.vcf.gz --out h$v.out.vcf.gz --quiet || fail "annotate with PS ($v)"
done
cmp -s <(bcftools query -f '%POS\t%INFO/HCSQ\n' h1.vcf.gz) <(bcftools query -f '%POS\t%INFO/HCSQ\n' hps1.out.vcf.gz) \
  && pass "PS: one phase set combines as without PS" || fail "PS: one phase set changes HCSQ"
# Per HCSQ entry and listed haplotype: how many members are heterozygous in that sample ("bad" when two).
bcftools query -f '%POS[\t%GT]\n' h/cohort.vcf.gz > h.gt
het_pairs() {  # HCSQ VCF -> "bad total"
  bcftools query -i 'INFO/HCSQ!="."' -f '%INFO/HCSQ\n' "$1" > "$1.hcsq"
  python3 - h.gt "$1.hcsq" h/cohort.vcf.gz <<'PY'
import subprocess, sys
samples = subprocess.run(["bcftools", "query", "-l", sys.argv[3]], capture_output=True, text=True).stdout.split()
gts = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    gts[f[0]] = dict(zip(samples, f[1:]))
bad = total = 0
for line in open(sys.argv[2]):
    for entry in line.rstrip("\n").split(","):
        f = entry.split("|")
        positions = [v.split(":")[0] for v in f[6].split("&")]
        for hap in f[13].split("&"):
            sample = hap.rsplit(":", 1)[0]
            total += 1
            het = sum(1 for p in positions if len(set(gts[p][sample].replace("|", "/").split("/"))) > 1)
            bad += het > 1
print(bad, total)
PY
}
h1_pairs=$(het_pairs h1.vcf.gz)
psp_pairs=$(het_pairs hpsp.out.vcf.gz)
[ "${h1_pairs%% *}" -gt 0 ] && [ "${psp_pairs%% *}" = 0 ] && [ "${psp_pairs##* }" -gt 0 ] \
  && pass "PS: a set per record: no combination joins two heterozygous alleles (without PS: ${h1_pairs%% *} do)" \
  || fail "PS: a set per record: $psp_pairs (joined, total) vs without PS $h1_pairs"

# --tsv on a full disk (an 8 KiB gap on a tmpfs, where mounting is allowed): exit 1 and no TSV, not a
# truncated one with exit 0; the VCF, on another disk, is complete.
room=$(mktemp -d)
if mount -t tmpfs -o size=1m tmpfs "$room" 2>/dev/null; then
  dd if=/dev/zero of="$room/filler" bs=4k count=$(($(df --output=avail -B4096 "$room" | tail -1) - 2)) status=none
  expect_error 1 "full.tsv: write failed" -- "$precis" annotate --ref w/reference.fa --genes w/genes.gff3 \
    --vcf w/cohort.vcf.gz --out full.vcf.gz --tsv "$room/full.tsv" --quiet
  [ "$(ls -A "$room")" = filler ] && pass "no TSV on the full disk" || fail "left on the full disk: $(ls -A "$room")"
  bcftools view -h full.vcf.gz >/dev/null 2>&1 && pass "the VCF is complete" || fail "the VCF is not complete"
  umount -l "$room"
else
  echo "skip: cannot mount a tmpfs here (full-disk check)"
fi
rmdir "$room"
finish
