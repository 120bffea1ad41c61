// precis pca --project: scores of new samples from the stored loadings.
#include <cstdlib>
#include <string>
#include <unordered_map>

#include "precis/core/error.hpp"
#include "precis/h5/genotype.hpp"
#include "precis/io/vcf.hpp"
#include "precis/model/pca.hpp"

namespace precis::model {

namespace {

std::string key(const std::string& chrom, std::int64_t pos, const std::string& ref, const std::string& alt) {
    return chrom + ':' + std::to_string(pos) + ':' + ref + ':' + alt;
}

struct gt_buffer {
    std::int32_t* data = nullptr;
    int size = 0;
    ~gt_buffer() { std::free(data); }
};

}  // namespace

projection project(const pca_model& model, const h5::variant_rows& variants, const std::filesystem::path& vcf) {
    require_readable_file(vcf, "--project");
    const auto k = static_cast<std::size_t>(model.k);
    std::unordered_map<std::string, std::size_t> rows;  // model variants by chrom:pos:ref:alt
    for (std::size_t v = 0; v < variants.size(); ++v)
        if (model.variant_scale[v] > 0) rows.emplace(key(variants.chrom[v], variants.pos[v], variants.ref[v], variants.alt[v]), v);
    projection p;
    p.model_variants = static_cast<std::int64_t>(rows.size());
    io::vcf_reader reader(vcf);
    p.samples = reader.samples();
    if (p.samples.empty()) throw input_error(vcf.string() + ": no samples (a sites-only VCF has no genotypes to project)");
    const std::size_t ns = p.samples.size();
    p.scores.assign(ns * k, 0.0);
    std::vector<std::uint8_t> seen(variants.size(), 0);
    io::bcf1_ptr rec(bcf_init());
    gt_buffer gt;
    std::vector<double> x(ns);
    while (reader.next(rec.get(), BCF_UN_ALL)) {
        const std::string chrom = bcf_seqname(reader.header(), rec.get());
        const std::int64_t pos = rec->pos + 1;
        const int n_alt = std::max(1, static_cast<int>(rec->n_allele) - 1);
        for (int a = 1; a <= n_alt; ++a) {
            const std::string ref = rec->d.allele[0];
            const std::string alt = rec->n_allele > 1 ? rec->d.allele[a] : ".";
            bool flip = false;
            auto it = rows.find(key(chrom, pos, ref, alt));
            if (it == rows.end() && rec->n_allele == 2) {
                it = rows.find(key(chrom, pos, alt, ref));
                flip = it != rows.end();
            }
            if (it == rows.end()) {
                ++p.unmatched_records;
                continue;
            }
            const std::size_t v = it->second;
            if (seen[v])  // as score --vcf: two genotypes for one variant, of which either could be used
                throw input_error(reader.where(rec.get()) + ": a second record for the PCA variant " + variants.chrom[v] + ":" +
                                  std::to_string(variants.pos[v]) + " " + variants.ref[v] + ">" + variants.alt[v] +
                                  " (duplicate records: which genotype is right?)");
            seen[v] = 1;
            ++p.matched;
            p.flipped += flip;
            const int n = bcf_get_genotypes(reader.header(), rec.get(), &gt.data, &gt.size);
            const int ploidy = n > 0 ? n / static_cast<int>(ns) : 0;
            if (ploidy == 0) continue;  // no GT: every call missing, i.e. the mean
            for (std::size_t s = 0; s < ns; ++s) {
                h5::encoded_genotype g;
                if (h5::encode_genotype(gt.data + s * static_cast<std::size_t>(ploidy), ploidy, a, rec->n_allele, g) !=
                        h5::genotype_fault::none)
                    throw input_error(reader.where(rec.get()) + ": unusable GT for sample " + p.samples[s]);
                double d = g.dosage;
                if (g.dosage < 0) { x[s] = 0; continue; }
                if (flip) d = 2 - d;
                x[s] = (d - model.variant_mean[v]) * model.variant_scale[v];
            }
            const double* load = model.loadings.data() + v * k;
            for (std::size_t s = 0; s < ns; ++s) {
                if (x[s] == 0) continue;
                double* out = p.scores.data() + s * k;
                for (std::size_t c = 0; c < k; ++c) out[c] += x[s] * load[c];
            }
        }
    }
    return p;
}

}  // namespace precis::model
