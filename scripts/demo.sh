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

bash workflows/run-local.sh workflows/demo.graph "$config"

echo "== checking the outputs with the standard tools"
world=runs/demo/world
bcftools view -h "$world/cohort.vcf.gz" >/dev/null
h5dump -A -H runs/demo/cohort.h5 >/dev/null
# The genotype round trip VCF -> HDF5 -> VCF is lossless (multi-allelic sites come back split, as bcftools norm -m-).
diff <(bcftools norm -m- "$world/cohort.vcf.gz" 2>/dev/null | bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n') \
     <(bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n' runs/demo/cohort.roundtrip.vcf.gz) >/dev/null \
  && echo "round trip: genotypes identical"

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
Stages not in this version yet: index align call annotate qc pca gwas train score report workflow
EOT
