#pragma once
/// A binary disease from a liability-threshold model with causal variants, age and sex.
#include <cstdint>
#include <vector>

#include "precis/sim/cohort.hpp"

namespace precis::sim {

/// Options of the disease model.
struct phenotype_options {
    int causal = 100;            ///< causal variants (biallelic cohort sites with MAF >= 1 %)
    double heritability = 0.5;   ///< variance of the genetic liability (total liability variance is 1)
    double prevalence = 0.1;     ///< share of affected people
    double covariate_share = 0.05;  ///< share of the non-genetic variance explained by age and sex
};

/// One causal variant: site index and effect per standardised genotype.
struct causal_variant {
    std::size_t site = 0;
    double effect = 0.0;
    double frequency = 0.0;  ///< cohort ALT frequency used for standardising
};

/// Per individual (cohort then extra individuals): covariates, liabilities and status.
struct phenotypes {
    std::vector<causal_variant> causal;
    std::vector<int> age;           ///< years
    std::vector<int> sex;           ///< 0 male, 1 female
    std::vector<double> genetic;    ///< genetic liability
    std::vector<double> liability;  ///< total liability
    std::vector<int> disease;       ///< 0/1
    double threshold = 0.0;
    double realised_heritability = 0.0;  ///< var(genetic) / var(total) in the cohort
    double realised_prevalence = 0.0;    ///< in the cohort
};

/// Liability L = g + a*age_z + b*sex_z + e with var(g) = h^2 exactly in the cohort (effects N(0,1) on
/// standardised genotypes, rescaled), age ~ N(55, 12) in [18, 90], sex ~ Bernoulli(0.5), covariates
/// explaining `covariate_share` of 1 - h^2 and e the rest; disease when L > Phi^-1(1 - prevalence).
/// Throws input_error for heritability outside [0, 1), prevalence outside (0, 1) or too few eligible sites.
phenotypes simulate_phenotypes(const cohort& c, const phenotype_options& options, std::uint64_t seed);

}  // namespace precis::sim
