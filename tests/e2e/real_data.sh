#!/usr/bin/env bash
# Real data (shared/DATA.md): 1000 Genomes phased haplotypes (shapeit4-example, chr20:1-4 Mb, 300
# samples) and human GRCh37 chr20 (vt-examples). convert is identical at 1, 2 and 4 ranks and from BCF,
# the phased genotypes survive VCF -> HDF5 -> BCF exactly, and simulate builds a cohort from the real
# haplotypes on the real reference.
source "$(dirname "$0")/lib.sh"
vcf=/usr/share/doc/shapeit4/examples/test/reference.vcf.gz
ref=/usr/share/doc/vt/examples/ref/20.fa.gz
if [ ! -r "$vcf" ] || [ ! -r "$ref" ]; then
  echo "skipped: shapeit4-example or vt-examples not installed (scripts/setup.sh installs them)"
  exit 0
fi

for n in 1 2 4; do
  timeout 300 mpiexec -n $n "$precis" convert --vcf "$vcf" --out real.np$n.h5 --quiet || fail "convert at $n ranks"
  h5dump -g /samples -g /contigs -g /variants -g /calldata real.np$n.h5 | tail -n +2 | md5sum >sum.np$n
done
cmp -s sum.np1 sum.np2 && cmp -s sum.np1 sum.np4 && pass "real cohort identical at 1, 2, 4 ranks" || fail "rank counts differ"
bcftools view -Ob -o real.bcf "$vcf" && bcftools index real.bcf
timeout 300 mpiexec -n 2 "$precis" convert --vcf real.bcf --out real.bcf.h5 --quiet
h5dump -g /samples -g /contigs -g /variants -g /calldata real.bcf.h5 | tail -n +2 | md5sum | cmp -s - sum.np1 \
  && pass "BCF input gives the same cohort" || fail "BCF input differs"

"$precis" export --cohort real.np4.h5 --out back.bcf --quiet
fmt='%CHROM\t%POS\t%ID\t%REF\t%ALT[\t%GT]\n'
cmp -s <(bcftools query -f "$fmt" "$vcf") <(bcftools query -f "$fmt" back.bcf) \
  && pass "300 real phased genomes identical after VCF -> HDF5 -> BCF" || fail "real round trip differs"

"$precis" simulate --out-dir world --ref "$ref" --ref-region 20:1-4000000 --haplotypes "$vcf" --samples 200 \
  --variants 5000 --genes 5 --causal 20 --patients 1 --coverage 1 --quiet || fail "simulate from real haplotypes"
[ "$(bcftools query -l world/cohort.vcf.gz | wc -l)" -eq 200 ] && pass "200 samples from real haplotypes" \
  || fail "sample count"
# Every simulated site is a real 1000 Genomes site with the same alleles.
bcftools query -f '%POS\t%REF\t%ALT\n' world/cohort.vcf.gz | sort >sim_sites.txt
bcftools query -f '%POS\t%REF\t%ALT\n' "$vcf" | sort >real_sites.txt
[ -s sim_sites.txt ] && [ -z "$(comm -23 sim_sites.txt real_sites.txt)" ] && pass "$(wc -l <sim_sites.txt) sites, all real" \
  || fail "simulated sites not in the real VCF: $(comm -23 sim_sites.txt real_sites.txt | head -3)"
finish
