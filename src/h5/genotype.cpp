#include "precis/h5/genotype.hpp"

#include <htslib/vcf.h>

namespace precis::h5 {

genotype_fault encode_genotype(const std::int32_t* gt, int max_ploidy, int alt, int n_allele, encoded_genotype& out) {
    int n = 0;
    int count = 0;
    int missing = 0;
    bool is_alt[2] = {false, false};
    bool is_missing[2] = {false, false};
    for (; n < max_ploidy && gt[n] != bcf_int32_vector_end; ++n) {
        if (n == 2) return genotype_fault::too_many_alleles;
        if (bcf_gt_is_missing(gt[n])) {
            is_missing[n] = true;
            ++missing;
            continue;
        }
        int allele = bcf_gt_allele(gt[n]);
        if (allele >= n_allele) return genotype_fault::allele_out_of_range;
        is_alt[n] = allele == alt;
        count += is_alt[n];
    }
    std::int8_t flags = 0;
    if (n <= 1) {
        flags = gt_haploid;
        missing += n == 0;
    } else {
        if (bcf_gt_is_phased(gt[1])) flags |= gt_phased;
        if (missing == 0 && count == 1 && is_alt[0]) flags |= gt_alt_first;
        if (missing == 1) {
            flags |= gt_half_missing;
            if (count == 1) flags |= gt_called_alt;
            if (is_missing[1]) flags |= gt_missing_second;
        }
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
    if (g.dosage < 0 && (g.flags & gt_half_missing)) {
        int called = (g.flags & gt_called_alt) ? 1 : 0;
        a = (g.flags & gt_missing_second) ? called : -1;
        b = (g.flags & gt_missing_second) ? -1 : called;
    } else if (g.dosage < 0) {
        a = b = -1;
    } else if (g.dosage == 2) {
        a = b = 1;
    } else if (g.dosage == 1) {
        (g.flags & gt_alt_first ? a : b) = 1;
    }
    if (a < 0 && b < 0 && !phased) {
        gt[0] = gt[1] = bcf_gt_missing;
        return;
    }
    gt[0] = a < 0 ? bcf_gt_missing : bcf_gt_unphased(a);
    gt[1] = phased ? bcf_gt_phased(b) : (b < 0 ? bcf_gt_missing : bcf_gt_unphased(b));
}

}  // namespace precis::h5
