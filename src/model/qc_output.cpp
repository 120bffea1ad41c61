// precis qc: the /qc group and the TSV reports.
#include <cstdio>
#include <fstream>
#include <iomanip>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/model/qc.hpp"
#include "precis/model/qc_group.hpp"

namespace precis::model {

namespace {

template <class T> void write_vector(const h5::group& g, const std::string& name, hid_t type, const std::vector<T>& v,
                                     std::vector<std::uint64_t> dims = {}) {
    if (dims.empty()) dims = {v.size()};
    auto ds = h5::dataset::create_or_reuse(g, name, type, dims);
    if (!v.empty()) ds.write(v.data(), std::vector<std::uint64_t>(dims.size(), 0), dims, h5::transfer::independent);
}

const char* filter_name(std::uint8_t f) {
    static const char* names[] = {"kept", "call_rate", "maf", "hwe", "missingness", "heterozygosity"};
    return f < 6 ? names[f] : "?";
}

}  // namespace

void write_qc(const std::filesystem::path& path, const qc_result& r, const qc_options& o, const std::string& command_line,
              const mpi::communicator& comm) {
    const std::uint64_t nv = r.variant_filter.size(), ns = r.sample_filter.size();
    const std::uint64_t bytes = nv * (2 + 4 * 8 + 3 * 8) + ns * (2 + 3 * 8);  // masks, filters, counts, rates
    replace_group(path, "qc", command_line, bytes, [&](const h5::group& g) {
        std::vector<std::uint8_t> vmask(r.variant_filter.size()), smask(r.sample_filter.size());
        for (std::size_t i = 0; i < vmask.size(); ++i) vmask[i] = r.variant_filter[i] == 0;
        for (std::size_t i = 0; i < smask.size(); ++i) smask[i] = r.sample_filter[i] == 0;
        write_vector(g, "variant_mask", H5T_STD_U8LE, vmask);
        write_vector(g, "sample_mask", H5T_STD_U8LE, smask);
        write_vector(g, "variant_filter", H5T_STD_U8LE, r.variant_filter);
        write_vector(g, "sample_filter", H5T_STD_U8LE, r.sample_filter);
        write_vector(g, "variant_counts", H5T_STD_I64LE, r.variant_counts, {r.variant_filter.size(), 4});
        write_vector(g, "variant_call_rate", H5T_IEEE_F64LE, r.call_rate);
        write_vector(g, "variant_alt_freq", H5T_IEEE_F64LE, r.alt_freq);
        write_vector(g, "variant_hwe_p", H5T_IEEE_F64LE, r.hwe_p);
        write_vector(g, "sample_missing_rate", H5T_IEEE_F64LE, r.missing_rate);
        write_vector(g, "sample_het_rate", H5T_IEEE_F64LE, r.het_rate);
        write_vector(g, "sample_inbreeding_f", H5T_IEEE_F64LE, r.inbreeding_f);
        g.set_attribute("min_call_rate", o.min_call_rate);
        g.set_attribute("min_maf", o.min_maf);
        g.set_attribute("min_hwe_p", o.min_hwe_p);
        g.set_attribute("max_sample_missing", o.max_sample_missing);
        g.set_attribute("het_sd", o.het_sd);
        g.set_attribute("variants_kept", r.removed(qc_filter::kept, false));
        g.set_attribute("samples_kept", r.removed(qc_filter::kept, true));
    }, comm);
}

void write_qc_tsv(const std::string& prefix, const h5::cohort_reader& cohort, const qc_result& r) {
    require_output_dir(prefix + ".variants.tsv", "--tsv");
    {
        atomic_output out(prefix + ".variants.tsv");
        std::ofstream f(out.temp_path());
        f << std::setprecision(10);
        f << "chrom\tpos\tref\talt\thom_ref\thet\thom_alt\tmissing\tcall_rate\talt_freq\thwe_p\tfilter\n";
        const std::int64_t step = 65536;
        for (std::int64_t first = 0; first < cohort.n_variants(); first += step) {
            const std::int64_t n = std::min(step, cohort.n_variants() - first);
            auto rows = cohort.read_variants({first, first + n});
            for (std::int64_t i = 0; i < n; ++i) {
                const auto v = static_cast<std::size_t>(first + i), k = static_cast<std::size_t>(i);
                f << rows.chrom[k] << '\t' << rows.pos[k] << '\t' << rows.ref[k] << '\t' << rows.alt[k];
                for (int c = 0; c < 4; ++c) f << '\t' << r.variant_counts[v * 4 + static_cast<std::size_t>(c)];
                f << '\t' << r.call_rate[v] << '\t' << r.alt_freq[v] << '\t' << r.hwe_p[v] << '\t'
                  << filter_name(r.variant_filter[v]) << '\n';
            }
        }
        f.close();
        if (!f) throw runtime_failure(out.final_path().string() + ": write error");
        out.commit();
    }
    atomic_output out(prefix + ".samples.tsv");
    std::ofstream f(out.temp_path());
    f << std::setprecision(10);
    f << "sample_id\tmissing\tmissing_rate\thet_rate\tinbreeding_f\tfilter\n";
    for (std::size_t s = 0; s < cohort.samples().size(); ++s)
        f << cohort.samples()[s] << '\t' << r.sample_missing[s] << '\t' << r.missing_rate[s] << '\t' << r.het_rate[s] << '\t'
          << r.inbreeding_f[s] << '\t' << filter_name(r.sample_filter[s]) << '\n';
    f.close();
    if (!f) throw runtime_failure(out.final_path().string() + ": write error");
    out.commit();
}

}  // namespace precis::model
