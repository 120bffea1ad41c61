#!/usr/bin/env bash
# The demo on this machine: set-up, Release build, then every stage that exists in this version,
# run through the same stage graph and job scripts a cluster uses (workflows/demo.graph, jobs/),
# driven by configs/demo.ini.
# Usage: scripts/demo.sh [CONFIG.ini]      (MPI stages use PRECIS_RANKS ranks, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-configs/demo.ini}

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target precis
export PRECIS=$PWD/build/release/src/precis
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p runs/demo

# Resumable: a second run skips every step that is up to date (runs/demo.run holds the manifest and ledger).
"$PRECIS" workflow run workflows/demo.graph --config "$config" --executor local --run-dir runs/demo.run \
  --ranks "${PRECIS_RANKS:-2}"
"$PRECIS" ledger verify runs/demo.run

echo "== checking the outputs with the standard tools"
world=runs/demo/world
bcftools view -h "$world/cohort.vcf.gz" >/dev/null
h5dump -A -H runs/demo/cohort.h5 >/dev/null
# The genotype round trip VCF -> HDF5 -> VCF is lossless (multi-allelic sites come back split, as bcftools norm -m-).
diff <(bcftools norm -m- "$world/cohort.vcf.gz" 2>/dev/null | bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n') \
     <(bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n' runs/demo/cohort.roundtrip.vcf.gz) >/dev/null \
  && echo "round trip: genotypes identical"
for p in runs/demo/P*.bam; do samtools quickcheck "$p" && echo "$(basename "$p"): $(samtools view -c -F 0x904 "$p") reads, $(samtools view -c -F 0x904 -q 20 "$p") at MAPQ >= 20"; done
for p in runs/demo/P*.calls.vcf.gz; do
  echo "$(basename "$p"): $(bcftools view -H -f PASS "$p" | wc -l) PASS calls; vs truth: $(bcftools isec -n=2 -c none "$p" runs/demo/world/patients/$(basename "$p" .calls.vcf.gz).truth.vcf.gz 2>/dev/null | wc -l) shared of $(bcftools view -H runs/demo/world/patients/$(basename "$p" .calls.vcf.gz).truth.vcf.gz | wc -l) true"
done
bcftools view -h runs/demo/P0001.annotated.vcf.gz | grep -q '^##INFO=<ID=CSQ' && echo "annotation: CSQ declared"
for p in runs/demo/P*.findings.tsv; do echo "$(basename "$p" .findings.tsv) reportable findings: $(( $(wc -l <"$p") - 1 ))"; done
echo "risk model: test AUC $(h5dump -a /metrics/auc runs/demo/model.h5 2>/dev/null | awk '/\(0\)/ {print $2}'), $(( $(wc -l <runs/demo/scores.tsv) - 1 )) samples scored"
echo "reports: $(ls runs/demo/reports/patients/*.html | wc -l) patients, PDFs $(ls runs/demo/reports/patients/*.pdf 2>/dev/null | wc -l), cohort summary runs/demo/reports/cohort.html"
echo "gwas: $(awk -F'\t' 'NR > 1 && $NF == "." && $(NF-1) < 5e-8' runs/demo/gwas.disease.glm.logistic.hybrid | wc -l) variants at p < 5e-8"

cat <<EOT

Demo finished. Outputs:
  $world/reference.fa, genes.gff3
      simulated genome and gene models
  $world/cohort.vcf.gz, phenotypes.tsv, covariates.tsv
      the cohort ($(bcftools query -l "$world/cohort.vcf.gz" | wc -l) samples), its disease and covariates
  $world/clinvar.vcf.gz, frequencies.vcf.gz
      known variants (ClinVar conventions) and population frequencies
  $world/patients/
      patient FASTQ pairs with their truth VCFs
  $world/truth/
      causal variants, liabilities, parameters
  runs/demo/cohort.h5
      the cohort as HDF5 (h5dump -H runs/demo/cohort.h5; format in docs/formats.md)
  runs/demo/cohort.roundtrip.vcf.gz
      cohort.h5 exported back to VCF
  runs/demo/qc.*, runs/demo/pca.eigenvec, pca.eigenval
      quality control (masks in cohort.h5 /qc) and principal components (/pca)
  runs/demo/gwas.disease.glm.logistic.hybrid, gwas.disease.manhattan.svg, gwas.disease.qq.svg
      association results in plink2's layout, Manhattan and QQ plots
  runs/demo/model.h5, model.pgs.txt, scores.tsv
      the risk model (weights, lambda path, CV curve, test metrics), its PGS Catalog file, and every
      sample's score, percentile, Z, ancestry-adjusted Z and absolute risk
  runs/demo/P0001.annotated.vcf.gz, P0001.annotated.tsv, P0001.findings.tsv (and P0002.*)
      each patient's variants with consequences, HGVS, ClinVar, and the reportable findings
  runs/demo/patients/
      the patients' VCFs merged, projected on the PCs, scored (with per-variant contributions)
  runs/demo/reports/cohort.html, patients/*.html|pdf|json
      risk reports per patient (pseudonymised; mapping in runs/demo/secure/pseudonyms.tsv) and the cohort summary
  runs/demo.run/
      the run's manifest, provenance ledger (precis ledger verify runs/demo.run) and step logs
EOT
