// Scoring a patient VCF/BCF: one pass over the records, matching weighted variants by contig and position.
#include <htslib/vcf.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "precis/core/error.hpp"
#include "precis/io/vcf.hpp"
#include "precis/model/detail/scoring.hpp"

namespace precis::model::detail {

raw_scores score_vcf(const std::filesystem::path& path, const score_weights& w, bool absent_is_reference,
                     bool contributions, const logger& log) {
    require_readable_file(path, "--vcf");
    io::vcf_reader reader(path);
    raw_scores out;
    out.samples = reader.samples();
    const std::size_t ns = out.samples.size();
    if (ns == 0) throw input_error(path.string() + ": no samples (a sites-only VCF cannot be scored)");
    out.raw.assign(ns, 0.0);
    // Per sample: (model index, dosage) of the matched variants, sorted into model order at the end.
    std::vector<std::vector<std::pair<std::size_t, double>>> used(contributions ? ns : 0);
    std::map<std::pair<std::string, std::int64_t>, std::vector<std::size_t>> by_site;
    for (std::size_t k = 0; k < w.variants.size(); ++k)
        by_site[{normalise_contig(w.variants[k].chrom), w.variants[k].pos}].push_back(k);
    std::set<std::string> contigs;
    for (const auto& c : reader.contigs()) contigs.insert(normalise_contig(c.name));
    std::vector<std::uint8_t> seen(w.variants.size(), 0);
    io::bcf1_ptr rec(bcf_init());
    int32_t* gt = nullptr;
    int n_gt = 0;
    while (reader.next(rec.get(), BCF_UN_ALL)) {
        std::string chrom = normalise_contig(bcf_hdr_id2name(reader.header(), rec->rid));
        contigs.insert(chrom);
        auto it = by_site.find({chrom, rec->pos + 1});
        if (it == by_site.end()) continue;
        int got = bcf_get_genotypes(reader.header(), rec.get(), &gt, &n_gt);
        const int ploidy = got / static_cast<int>(ns);
        if (got <= 0 || ploidy > 2) {
            std::free(gt);
            throw input_error(reader.where(rec.get()) + ": " +
                              (got <= 0 ? "no GT field" : "a GT with more than two alleles (only haploid and diploid calls are supported)"));
        }
        for (auto k : it->second) {
            const auto& v = w.variants[k];
            int effect = -1, other = v.other_allele.empty() ? 0 : -1;
            for (int a = 0; a < rec->n_allele; ++a) {  // bases compare case-insensitively (VCF)
                if (same_bases(v.effect_allele, rec->d.allele[a])) effect = a;
                if (!v.other_allele.empty() && same_bases(v.other_allele, rec->d.allele[a])) other = a;
            }
            if (effect < 0 || other < 0) continue;
            if (seen[k]) {
                std::free(gt);
                throw input_error(reader.where(rec.get()) + ": a second record for the weighted variant " + v.chrom + ":" +
                                  std::to_string(v.pos) + " " + v.effect_allele + " (duplicate records: which genotype is right?)");
            }
            seen[k] = 1;
            ++out.matched;
            for (std::size_t s = 0; s < ns; ++s) {
                double dosage = 0;
                bool missing = false;
                for (int p = 0; p < ploidy; ++p) {
                    int32_t a = gt[s * static_cast<std::size_t>(ploidy) + static_cast<std::size_t>(p)];
                    if (a == bcf_int32_vector_end) break;
                    if (bcf_gt_is_missing(a)) {
                        missing = true;
                    } else if (bcf_gt_allele(a) >= rec->n_allele) {
                        std::free(gt);
                        throw input_error(reader.where(rec.get()) + ": GT of sample " + out.samples[s] + " names allele " +
                                          std::to_string(bcf_gt_allele(a)) + ", which the record does not have");
                    } else {
                        dosage += bcf_gt_allele(a) == effect;
                    }
                }
                const double d = missing ? missing_dosage(v) : dosage;
                out.raw[s] += v.weight * d;
                if (contributions) used[s].emplace_back(k, d);
            }
        }
    }
    std::free(gt);
    // Weighted variants without a record on a contig the VCF covers.
    std::int64_t absent = 0;
    for (std::size_t k = 0; k < w.variants.size(); ++k) {
        if (seen[k]) continue;
        const auto& v = w.variants[k];
        if (!contigs.count(normalise_contig(v.chrom))) continue;
        if (!absent_is_reference || !w.reference_allele_known) continue;  // unmatched: contributes nothing
        ++absent, ++out.matched;
        double dosage = same_bases(v.effect_allele, v.ref) ? 2.0 : 0.0;
        for (std::size_t s = 0; s < ns; ++s) {
            out.raw[s] += v.weight * dosage;
            if (contributions) used[s].emplace_back(k, dosage);
        }
    }
    if (contributions) {
        out.contributions.resize(ns);
        for (std::size_t s = 0; s < ns; ++s) {
            std::sort(used[s].begin(), used[s].end());
            for (const auto& [k, d] : used[s]) out.contributions[s].push_back(contribution_of(w.variants[k], d));
        }
    }
    if (absent > 0) log.info(path.string(), ": ", absent, " weighted variants without a record counted as homozygous reference");
    return out;
}

}  // namespace precis::model::detail
