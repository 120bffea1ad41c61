#include "precis/h5/genotype.hpp"

#include <htslib/vcf.h>

namespace precis::h5 {

genotype_fault encode_genotype(const std::int32_t* gt, int max_ploidy, int alt, int n_allele, encoded_genotype& out) {
    int n = 0;
    int count = 0;
    int first = -1;
    bool missing = false;
    for (; n < max_ploidy && gt[n] != bcf_int32_vector_end; ++n) {
        if (n == 2) return genotype_fault::too_many_alleles;
        if (bcf_gt_is_missing(gt[n])) {
            missing = true;
            continue;
        }
        int allele = bcf_gt_allele(gt[n]);
        if (allele >= n_allele) return genotype_fault::allele_out_of_range;
        if (n == 0) first = allele;
        count += allele == alt;
    }
    std::int8_t flags = 0;
    if (n <= 1) {
        flags = gt_haploid;
        missing = missing || n == 0;
    } else if (bcf_gt_is_phased(gt[1])) {
        flags = gt_phased;
        if (!missing && count == 1 && first == alt) flags |= gt_alt_first;
    }
    out.dosage = missing ? dosage_missing : static_cast<std::int8_t>(count);
    out.flags = flags;
    return genotype_fault::none;
}

void decode_genotype(encoded_genotype g, std::int32_t* gt) {
    if (g.flags & gt_haploid) {
        gt[0] = g.dosage < 0 ? bcf_gt_missing : bcf_gt_unphased(g.dosage > 0 ? 1 : 0);
        gt[1] = bcf_int32_vector_end;
        return;
    }
    bool phased = g.flags & gt_phased;
    int a = 0, b = 0;
    if (g.dosage < 0) {
        gt[0] = bcf_gt_missing;
        gt[1] = phased ? bcf_gt_phased(-1) : bcf_gt_missing;
        return;
    }
    if (g.dosage == 2) a = b = 1;
    if (g.dosage == 1) {
        if (phased && (g.flags & gt_alt_first)) a = 1;
        else b = 1;
    }
    gt[0] = bcf_gt_unphased(a);
    gt[1] = phased ? bcf_gt_phased(b) : bcf_gt_unphased(b);
}

}  // namespace precis::h5
