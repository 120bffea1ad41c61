#!/usr/bin/env bash
# Installs every build, test and demo dependency of precis from Debian packages.
# Idempotent: packages already present are left alone; safe to run on every build.
# Usage: scripts/setup.sh [--bench]   (--bench adds the benchmark-only peers: R with glmnet, snpEff)
# Elsewhere (no apt, or not root) it stops and points to the Spack route (Spack.yaml).
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git
  # the fixed dependency set
  libopenmpi-dev openmpi-bin libhdf5-openmpi-dev libhts-dev libtbb-dev libeigen3-dev
  libboost-program-options-dev libgtest-dev libssl-dev
  # libdeflate: HTSlib's deflate codec, also the cohort.h5 tile reader (src/h5/tile_reader.cpp)
  libdeflate-dev
  # SIMD Smith-Waterman for precis align (src/align/sources.cmake)
  libparasail-dev
  # validation and peer tools used by tests, demo and benchmarks
  hdf5-tools samtools bcftools tabix time bwa
  # a private Slurm cluster for the workflow tests (tests/slurm/)
  slurmctld slurmd slurm-client munge
  # real data used by tests and benchmarks (shared/DATA.md)
  vt-examples shapeit4-example
  # peer tools the tests compare with; real GFF3/GTF flavours for the annotate tests
  plink2 python3-gffutils
  # headless Chromium and a font for precis report PDFs and its rendering tests
  chromium fonts-dejavu-core
)
# Only for benchmarks (scripts/bench.sh passes --bench): R with glmnet and brglm2 (the Firth fits of
# bench/glm_arbiter.sh), snpEff, the other aligners and callers, and E. coli 536 (bowtie-examples) as the
# second genome of bench/align.sh.
if [ "${1:-}" = "--bench" ]; then
  packages+=(r-base-core r-cran-glmnet r-cran-brglm2 snpeff minimap2 snap-aligner freebayes bowtie-examples)
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup.sh: no apt-get here. On a cluster, install the dependencies with Spack:" >&2
  echo "  spack env activate . && spack install   (see Spack.yaml and README.md)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: run as root to install Debian packages, or use Spack (see Spack.yaml)." >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages present"
  exit 0
fi
echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup.sh: done"
