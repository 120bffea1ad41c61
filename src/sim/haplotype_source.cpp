// Cohort haplotypes copied from real phased haplotypes (Li-Stephens-style mosaics), ancestries by PCA.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include "precis/core/error.hpp"
#include "precis/io/vcf.hpp"
#include "precis/sim/cohort.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

struct real_panel {
    std::vector<variant_site> sites;
    std::vector<std::uint8_t> alleles;  // sites x haplotypes
    std::size_t haplotypes = 0;
};

bool acgt_only(const std::string& s) { return !s.empty() && s.find_first_not_of("ACGT") == std::string::npos; }

real_panel read_panel(const genome& g, const std::filesystem::path& path) {
    io::vcf_reader reader(path);
    real_panel panel;
    panel.haplotypes = 2 * reader.samples().size();
    if (panel.haplotypes == 0) throw input_error(path.string() + ": --haplotypes file has no samples");
    auto rec = io::make_bcf_record();
    int32_t* gt = nullptr;
    int ngt_alloc = 0;
    std::vector<std::uint8_t> row(panel.haplotypes);
    int last_contig = -1;
    std::int64_t last_end = -1, last_pos = -1;
    try {
        while (reader.next(rec.get(), BCF_UN_ALL)) {
            int c = g.index_of(bcf_seqname_safe(reader.header(), rec.get()));
            if (c < 0) continue;
            auto ci = static_cast<std::size_t>(c);
            variant_site v;
            v.contig = c;
            v.pos = rec->pos;
            for (int a = 0; a < rec->n_allele; ++a) {
                std::string allele = rec->d.allele[a];
                for (auto& ch : allele) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                if (a == 0) v.ref = allele;
                else v.alts.push_back(allele);
            }
            if (c < last_contig || (c == last_contig && v.pos < last_pos))
                throw input_error(reader.where(rec.get()) + ": records are not sorted by position");
            if (v.pos < g.begin[ci] || v.end() > g.end[ci]) continue;
            std::string expected = g.sequences[ci].substr(static_cast<std::size_t>(v.pos), v.ref.size());
            if (v.ref != expected)
                throw input_error(reader.where(rec.get()) + ": REF '" + v.ref + "' does not match the reference ('" +
                                  expected + "' at " + g.names[ci] + ":" + std::to_string(v.pos + 1) + ")");
            if (v.alts.empty() || !acgt_only(v.ref) ||
                !std::all_of(v.alts.begin(), v.alts.end(), [](const std::string& a) { return acgt_only(a); }))
                continue;  // symbolic, spanning-deletion or monomorphic records
            if (c == last_contig && v.pos < last_end) continue;  // overlaps the previous kept site
            int n = bcf_get_genotypes(reader.header(), rec.get(), &gt, &ngt_alloc);
            if (n != static_cast<int>(panel.haplotypes))
                throw input_error(reader.where(rec.get()) + ": expected diploid GT for every sample");
            for (std::size_t h = 0; h < panel.haplotypes; h += 2) {
                int32_t a = gt[h], b = gt[h + 1];
                if (bcf_gt_is_missing(a) || b == bcf_int32_vector_end || bcf_gt_is_missing(b))
                    throw input_error(reader.where(rec.get()) + ": missing or haploid genotype of sample " +
                                      std::to_string(h / 2 + 1) + " (a phased, complete panel is required)");
                if (!bcf_gt_is_phased(b) && bcf_gt_allele(a) != bcf_gt_allele(b))
                    throw input_error(reader.where(rec.get()) + ": unphased heterozygous genotype of sample " +
                                      std::to_string(h / 2 + 1) + " (--haplotypes needs phased GT)");
                row[h] = static_cast<std::uint8_t>(bcf_gt_allele(a));
                row[h + 1] = static_cast<std::uint8_t>(bcf_gt_allele(b));
            }
            panel.alleles.insert(panel.alleles.end(), row.begin(), row.end());
            panel.sites.push_back(std::move(v));
            last_contig = c;
            last_pos = panel.sites.back().pos;
            last_end = panel.sites.back().end();
        }
    } catch (...) {
        std::free(gt);
        throw;
    }
    std::free(gt);
    if (panel.sites.empty())
        throw input_error(path.string() + ": no usable records on the selected contigs/region of the reference");
    return panel;
}

// Group of every real sample: PC1 of the standardised genotypes, split by sign (2 groups) or quantiles.
std::vector<int> pca_groups(const real_panel& panel, int groups) {
    const std::size_t R = panel.haplotypes / 2;
    std::vector<int> out(R, 0);
    if (groups == 1) return out;
    std::vector<std::size_t> common;
    for (std::size_t s = 0; s < panel.sites.size(); ++s) {
        const auto* row = panel.alleles.data() + s * panel.haplotypes;
        std::size_t alt = 0;
        for (std::size_t h = 0; h < panel.haplotypes; ++h) alt += row[h] != 0;
        double f = static_cast<double>(alt) / static_cast<double>(panel.haplotypes);
        if (f >= 0.05 && f <= 0.95) common.push_back(s);
    }
    std::size_t step = std::max<std::size_t>(1, common.size() / 5000);
    std::vector<std::size_t> used;
    for (std::size_t i = 0; i < common.size(); i += step) used.push_back(common[i]);
    if (used.size() < 10) throw input_error("--haplotypes: fewer than 10 common sites, cannot compute principal components");
    Eigen::MatrixXd x(R, used.size());
    for (std::size_t j = 0; j < used.size(); ++j) {
        const auto* row = panel.alleles.data() + used[j] * panel.haplotypes;
        double mean = 0;
        for (std::size_t i = 0; i < R; ++i) mean += x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = (row[2 * i] != 0) + (row[2 * i + 1] != 0);
        mean /= static_cast<double>(R);
        double sd = std::sqrt(std::max(1e-9, mean * (1 - mean / 2)));
        x.col(static_cast<Eigen::Index>(j)) = (x.col(static_cast<Eigen::Index>(j)).array() - mean) / sd;
    }
    Eigen::MatrixXd grm = x * x.transpose() / static_cast<double>(used.size());
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(grm);
    Eigen::VectorXd pc1 = eig.eigenvectors().col(static_cast<Eigen::Index>(R) - 1);
    std::vector<std::size_t> order(R);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return pc1(static_cast<Eigen::Index>(a)) < pc1(static_cast<Eigen::Index>(b));
    });
    if (groups == 2) {
        std::size_t negative = 0;
        for (std::size_t i = 0; i < R; ++i) negative += pc1(static_cast<Eigen::Index>(i)) < 0;
        bool flip = negative < R - negative;  // the larger group is the first population
        for (std::size_t i = 0; i < R; ++i) out[i] = (pc1(static_cast<Eigen::Index>(i)) < 0) == flip ? 1 : 0;
    } else {
        for (std::size_t rank = 0; rank < R; ++rank) out[order[rank]] = static_cast<int>(rank * static_cast<std::size_t>(groups) / R);
    }
    return out;
}

}  // namespace

cohort cohort_from_haplotypes(const genome& g, const std::filesystem::path& vcf, int max_sites,
                              const cohort_options& options, std::uint64_t seed) {
    if (options.samples < 10) throw input_error("--samples must be at least 10");
    if (!(options.missing_rate >= 0 && options.missing_rate < 0.5)) throw input_error("--missing-rate must be in [0, 0.5)");
    real_panel panel = read_panel(g, vcf);
    cohort c;
    c.ancestry_names = ancestry_labels(options);
    const int K = options.ancestries;
    if (static_cast<std::size_t>(K) * 2 > panel.haplotypes / 2)
        throw input_error("--ancestries " + std::to_string(K) + " is too many for the " + std::to_string(panel.haplotypes / 2) +
                          " samples of " + vcf.string());
    // At most max_sites sites, chosen uniformly.
    std::vector<std::size_t> keep(panel.sites.size());
    std::iota(keep.begin(), keep.end(), 0);
    if (max_sites > 0 && keep.size() > static_cast<std::size_t>(max_sites)) {
        rng r(seed, "haplotype-sites");
        for (std::size_t i = 0; i < static_cast<std::size_t>(max_sites); ++i) std::swap(keep[i], keep[i + r.below(keep.size() - i)]);
        keep.resize(static_cast<std::size_t>(max_sites));
        std::sort(keep.begin(), keep.end());
    }
    auto group = pca_groups(panel, K);
    std::vector<std::vector<std::size_t>> pool(static_cast<std::size_t>(K));
    for (std::size_t i = 0; i < group.size(); ++i) {
        pool[static_cast<std::size_t>(group[i])].push_back(2 * i);
        pool[static_cast<std::size_t>(group[i])].push_back(2 * i + 1);
    }
    for (const auto& p : pool) c.ancestry_share.push_back(static_cast<double>(p.size()) / static_cast<double>(panel.haplotypes));
    c.samples = options.samples;
    c.extra = options.extra;
    c.ancestry = detail::assign_ancestries(c.samples, c.extra, c.ancestry_share, seed);
    for (std::size_t s : keep) c.sites.push_back(panel.sites[s]);
    c.block.assign(c.sites.size(), -1);
    const std::size_t H = c.haplotypes(), S = c.sites.size();
    c.alleles.assign(S * H, 0);
    std::vector<double> switch_prob(S, 1.0);
    for (std::size_t s = 1; s < S; ++s)
        if (c.sites[s].contig == c.sites[s - 1].contig)
            switch_prob[s] = 1.0 - std::exp(-static_cast<double>(c.sites[s].pos - c.sites[s - 1].pos) / options.copy_length);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, H, 16), [&](const auto& range) {
        for (std::size_t h = range.begin(); h < range.end(); ++h) {
            rng r(seed, "copy", h);
            const auto& from = pool[static_cast<std::size_t>(c.ancestry[h / 2])];
            std::size_t source = 0;
            for (std::size_t s = 0; s < S; ++s) {
                if (r.uniform() < switch_prob[s]) source = from[r.below(from.size())];
                std::uint8_t a = panel.alleles[keep[s] * panel.haplotypes + source];
                if (r.uniform() < options.copy_error) {
                    auto n = static_cast<std::uint8_t>(c.sites[s].alts.size() + 1);
                    a = static_cast<std::uint8_t>((a + 1 + r.below(n - 1)) % n);
                }
                c.alleles[s * H + h] = a;
            }
        }
    });
    detail::finish_cohort(c, options, seed);
    return c;
}

}  // namespace precis::sim
