#include "precis/sim/vcf_output.hpp"

#include <cstdio>

#include "precis/core/error.hpp"
#include "precis/io/vcf.hpp"

namespace precis::sim {

namespace {

void header_line(bcf_hdr_t* h, const std::string& line) {
    if (bcf_hdr_append(h, line.c_str()) != 0) throw runtime_failure("cannot add VCF header line " + line);
}

void set_site(bcf_hdr_t* h, bcf1_t* rec, const genome& g, const variant_site& s, const std::string& id) {
    bcf_clear(rec);
    rec->rid = bcf_hdr_name2id(h, g.names[static_cast<std::size_t>(s.contig)].c_str());
    rec->pos = s.pos;
    std::string alleles = s.ref;
    for (const auto& a : s.alts) alleles += "," + a;
    if (bcf_update_alleles_str(h, rec, alleles.c_str()) != 0 || (!id.empty() && bcf_update_id(h, rec, id.c_str()) != 0))
        throw runtime_failure("cannot build the VCF record at " + g.names[static_cast<std::size_t>(s.contig)] + ":" +
                              std::to_string(s.pos + 1));
}

}  // namespace

std::string sample_name(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "S%06d", i + 1);
    return buf;
}

bcf_hdr_t* make_vcf_header(const genome& g, const std::string& source) {
    bcf_hdr_t* h = bcf_hdr_init("w");
    header_line(h, "##source=" + source);
    header_line(h, "##reference=reference.fa");
    for (int c = 0; c < g.size(); ++c)
        header_line(h, "##contig=<ID=" + g.names[static_cast<std::size_t>(c)] +
                           ",length=" + std::to_string(g.sequences[static_cast<std::size_t>(c)].size()) + ">");
    return h;
}

void write_cohort_vcf(const std::filesystem::path& path, const genome& g, const cohort& c, bool phased, int threads) {
    io::bcf_hdr_ptr h(make_vcf_header(g, "precis-simulate"));
    header_line(h.get(), "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">");
    for (int i = 0; i < c.samples; ++i) bcf_hdr_add_sample(h.get(), sample_name(i).c_str());
    if (bcf_hdr_sync(h.get()) != 0) throw runtime_failure(path.string() + ": cannot build the VCF header");
    io::vcf_writer out(path, h.get(), threads);
    auto rec = io::make_bcf_record();
    std::vector<int32_t> gt(2 * static_cast<std::size_t>(c.samples));
    for (std::size_t s = 0; s < c.sites.size(); ++s) {
        if (!c.in_cohort[s]) continue;
        set_site(out.header(), rec.get(), g, c.sites[s], site_id(g, c.sites[s]));
        const auto* row = c.row(s);
        for (std::size_t i = 0; i < static_cast<std::size_t>(c.samples); ++i) {
            int a = row[2 * i], b = row[2 * i + 1];
            if (!phased && a > b) std::swap(a, b);
            gt[2 * i] = bcf_gt_unphased(a);
            gt[2 * i + 1] = phased ? bcf_gt_phased(b) : bcf_gt_unphased(b);
        }
        for (auto i : c.missing[s]) gt[2 * i] = gt[2 * i + 1] = bcf_gt_missing;
        if (bcf_update_genotypes(out.header(), rec.get(), gt.data(), static_cast<int>(gt.size())) != 0)
            throw runtime_failure(path.string() + ": cannot set genotypes");
        out.write(rec.get());
    }
    out.close();
}

void write_frequencies_vcf(const std::filesystem::path& path, const genome& g, const cohort& c, int threads) {
    io::bcf_hdr_ptr h(make_vcf_header(g, "precis-simulate"));
    header_line(h.get(), "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count in genotypes, for each ALT allele\">");
    header_line(h.get(), "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"Total number of alleles in called genotypes\">");
    header_line(h.get(), "##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele frequency, for each ALT allele\">");
    for (const auto& name : c.ancestry_names)
        header_line(h.get(), "##INFO=<ID=AF_" + name + ",Number=A,Type=Float,Description=\"Allele frequency in population " + name + "\">");
    if (bcf_hdr_sync(h.get()) != 0) throw runtime_failure(path.string() + ": cannot build the VCF header");
    io::vcf_writer out(path, h.get(), threads);
    auto rec = io::make_bcf_record();
    const std::size_t P = c.ancestry_names.size();
    std::vector<char> missing(static_cast<std::size_t>(c.samples));
    for (std::size_t s = 0; s < c.sites.size(); ++s) {
        if (!c.in_cohort[s]) continue;
        const auto& site = c.sites[s];
        const std::size_t A = site.alts.size();
        set_site(out.header(), rec.get(), g, site, site_id(g, site));
        std::fill(missing.begin(), missing.end(), 0);
        for (auto i : c.missing[s]) missing[i] = 1;
        std::vector<int32_t> ac(A, 0);
        std::vector<std::vector<double>> pop_ac(P, std::vector<double>(A, 0.0));
        std::vector<double> pop_an(P, 0.0);
        int32_t an = 0;
        const auto* row = c.row(s);
        for (std::size_t i = 0; i < static_cast<std::size_t>(c.samples); ++i) {
            if (missing[i]) continue;
            auto k = static_cast<std::size_t>(c.ancestry[i]);
            an += 2;
            pop_an[k] += 2;
            for (int j = 0; j < 2; ++j)
                if (int a = row[2 * i + static_cast<std::size_t>(j)]; a > 0) {
                    ++ac[static_cast<std::size_t>(a - 1)];
                    ++pop_ac[k][static_cast<std::size_t>(a - 1)];
                }
        }
        std::vector<float> af(A);
        for (std::size_t a = 0; a < A; ++a) af[a] = an > 0 ? static_cast<float>(ac[a]) / static_cast<float>(an) : 0.0f;
        bool ok = bcf_update_info_int32(out.header(), rec.get(), "AC", ac.data(), static_cast<int>(A)) == 0 &&
                  bcf_update_info_int32(out.header(), rec.get(), "AN", &an, 1) == 0 &&
                  bcf_update_info_float(out.header(), rec.get(), "AF", af.data(), static_cast<int>(A)) == 0;
        for (std::size_t k = 0; k < P && ok; ++k) {
            for (std::size_t a = 0; a < A; ++a) af[a] = pop_an[k] > 0 ? static_cast<float>(pop_ac[k][a] / pop_an[k]) : 0.0f;
            ok = bcf_update_info_float(out.header(), rec.get(), ("AF_" + c.ancestry_names[k]).c_str(), af.data(), static_cast<int>(A)) == 0;
        }
        if (!ok) throw runtime_failure(path.string() + ": cannot set INFO fields");
        out.write(rec.get());
    }
    out.close();
}

void write_truth_vcf(const std::filesystem::path& path, const genome& g, const patient& p) {
    io::bcf_hdr_ptr h(make_vcf_header(g, "precis-simulate truth"));
    header_line(h.get(), "##INFO=<ID=PLANTED,Number=0,Type=Flag,Description=\"Planted known (ClinVar-simulated) variant\">");
    header_line(h.get(), "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Phased genotype (haplotype 1 | haplotype 2)\">");
    bcf_hdr_add_sample(h.get(), p.id.c_str());
    if (bcf_hdr_sync(h.get()) != 0) throw runtime_failure(path.string() + ": cannot build the VCF header");
    io::vcf_writer out(path, h.get());
    auto rec = io::make_bcf_record();
    for (const auto& v : p.variants) {
        set_site(out.header(), rec.get(), g, v.site, site_id(g, v.site));
        int32_t gt[2] = {bcf_gt_unphased(v.allele[0]), bcf_gt_phased(v.allele[1])};
        if (bcf_update_genotypes(out.header(), rec.get(), gt, 2) != 0 ||
            (v.planted && bcf_update_info_flag(out.header(), rec.get(), "PLANTED", nullptr, 1) != 0))
            throw runtime_failure(path.string() + ": cannot set the genotype");
        out.write(rec.get());
    }
    out.close();
}

}  // namespace precis::sim
