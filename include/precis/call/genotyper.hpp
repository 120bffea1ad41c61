#pragma once
/// Diploid genotype likelihoods and joint genotyping across samples with an allele-frequency prior.
#include <cstdint>
#include <vector>

namespace precis::call {

/// The evidence of one sample at one site: for each read, the log10-likelihood of the read under each
/// allele (allele 0 = REF), stored read-major (read r, allele a at r * n_alleles + a).
struct sample_evidence {
    std::vector<float> read_lk;
    std::vector<int> ad;  ///< reads that clearly support each allele
    int dp = 0;           ///< reads (or bases) used
};

/// Genotype of one sample: GT allele indices (-1 = missing), GQ, PL in VCF genotype order.
struct sample_call {
    int a1 = -1, a2 = -1;
    int gq = 0;
    std::vector<int> pl;
};

/// The joint result at a site.
struct site_call {
    double qual = 0;             ///< phred probability that no sample carries an ALT allele
    std::vector<double> freq;    ///< estimated allele frequencies (EM), REF first
    std::vector<sample_call> samples;
    bool variant() const;        ///< some sample has a non-REF allele in its GT
};

/// Number of unordered diploid genotypes over `n_alleles` alleles.
inline int genotype_count(int n_alleles) { return n_alleles * (n_alleles + 1) / 2; }
/// VCF order index of genotype (j, k), j <= k: k(k+1)/2 + j.
inline int genotype_index(int j, int k) { return k * (k + 1) / 2 + j; }

/// log10 P(reads | genotype) for each genotype in VCF order, from per-read allele likelihoods.
std::vector<double> genotype_log10_likelihoods(const sample_evidence& ev, int n_alleles);

/// Joint genotyping: allele frequencies by EM under Hardy-Weinberg with a weak Dirichlet prior, then per
/// sample the genotype with the largest posterior; QUAL compares "some ALT" (prior `prior`) to "all REF".
/// Samples without evidence get a missing GT. Deterministic (fixed iteration order and count).
site_call genotype_site(const std::vector<sample_evidence>& samples, int n_alleles, double prior);

}  // namespace precis::call
