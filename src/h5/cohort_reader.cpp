#include <algorithm>

#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"

namespace precis::h5 {

namespace {

// Chunk cache of each genotype matrix handle: a row of tiles for up to 32 Ki samples.
constexpr std::size_t matrix_cache_bytes = 32u << 20;

transfer metadata_mode(const file& f) { return f.parallel() ? transfer::collective : transfer::independent; }

}  // namespace

cohort_reader cohort_reader::open(const std::filesystem::path& path, MPI_Comm comm) {
    cohort_reader r;
    r.m_file.emplace(file::open(path, comm));
    const file& f = *r.m_file;
    const std::string name = path.string();
    if (!f.has_attribute("format") || f.string_attribute("format") != cohort_format)
        throw input_error(name + ": not a precis cohort file");
    std::string version = f.has_attribute("format_version") ? f.string_attribute("format_version") : "(none)";
    if (version != cohort_format_version)
        throw input_error(name + ": format_version " + version + " not supported (this precis reads " +
                          cohort_format_version + ")");
    transfer mode = metadata_mode(f);
    dataset ids = dataset::open(f, "/samples/id");
    r.m_samples = read_strings(ids, 0, ids.dims().at(0), mode);
    dataset names = dataset::open(f, "/contigs/name");
    dataset lengths = dataset::open(f, "/contigs/length");
    auto n_contigs = names.dims().at(0);
    if (lengths.dims() != std::vector<std::uint64_t>{n_contigs})
        throw input_error(name + ": /contigs/length and /contigs/name differ in length");
    auto contig_names = read_strings(names, 0, n_contigs, mode);
    std::vector<std::int64_t> contig_lengths(n_contigs);
    lengths.read(contig_lengths.data(), {0}, {n_contigs}, mode);
    for (std::uint64_t i = 0; i < n_contigs; ++i) r.m_contigs.push_back({contig_names[i], contig_lengths[i]});
    r.m_dosage.emplace(dataset::open(f, "/calldata/dosage", matrix_cache_bytes));
    r.m_flags.emplace(dataset::open(f, "/calldata/gt_flags", matrix_cache_bytes));
    auto dims = r.m_dosage->matrix().dims();
    if (dims.size() != 2 || dims[1] != r.m_samples.size() || r.m_flags->matrix().dims() != dims)
        throw input_error(name + ": /calldata/dosage, /calldata/gt_flags and /samples/id disagree in shape");
    r.m_n_variants = static_cast<std::int64_t>(dims[0]);
    for (const char* v : {"/variants/chrom", "/variants/pos", "/variants/id", "/variants/ref", "/variants/alt"})
        if (auto d = dataset::open(f, v).dims(); d.size() != 1 || d[0] != dims[0])
            throw input_error(name + ": " + v + " has " + std::to_string(d.empty() ? 0 : d[0]) + " values, /calldata/dosage " +
                              std::to_string(dims[0]) + " rows");
    return r;
}

void cohort_reader::check_range(mpi::index_range range, std::int64_t n, const char* what) const {
    if (range.begin < 0 || range.end < range.begin || range.end > n)
        throw runtime_failure(m_file->file_name() + ": " + what + " range [" + std::to_string(range.begin) + ", " +
                              std::to_string(range.end) + ") outside [0, " + std::to_string(n) + ")");
}

variant_rows cohort_reader::read_variants(mpi::index_range rows, transfer mode) const {
    check_range(rows, m_n_variants, "variant");
    auto at = static_cast<std::uint64_t>(rows.begin);
    auto n = static_cast<std::uint64_t>(rows.size());
    variant_rows out;
    out.chrom = read_strings(dataset::open(*m_file, "/variants/chrom"), at, n, mode);
    out.id = read_strings(dataset::open(*m_file, "/variants/id"), at, n, mode);
    out.ref = read_strings(dataset::open(*m_file, "/variants/ref"), at, n, mode);
    out.alt = read_strings(dataset::open(*m_file, "/variants/alt"), at, n, mode);
    out.pos.resize(n);
    dataset::open(*m_file, "/variants/pos").read(out.pos.data(), {at}, {n}, mode);
    // Positions come from convert, which refuses both; only an edited file gets here.
    auto bad = [&](std::uint64_t i, const std::string& why) {
        return input_error(m_file->file_name() + ": /variants/pos[" + std::to_string(at + i) +
                           "] = " + std::to_string(out.pos[i]) + " " + why);
    };
    for (std::uint64_t i = 0; i < n; ++i) {
        if (out.pos[i] < 1) throw bad(i, "is not a position (they start at 1)");
        if (i > 0 && out.pos[i] < out.pos[i - 1] && out.chrom[i] == out.chrom[i - 1])
            throw bad(i, "comes after " + std::to_string(out.pos[i - 1]) + " on " + out.chrom[i] +
                             " (variants must be sorted by position)");
    }
    return out;
}

void cohort_reader::read_dosage(mpi::index_range rows, mpi::index_range samples, std::int8_t* out,
                                 transfer mode) const {
    check_range(rows, m_n_variants, "variant");
    check_range(samples, n_samples(), "sample");
    m_dosage->read(out, static_cast<std::uint64_t>(rows.begin), static_cast<std::uint64_t>(rows.size()),
                   static_cast<std::uint64_t>(samples.begin), static_cast<std::uint64_t>(samples.size()), mode);
}

void cohort_reader::read_gt_flags(mpi::index_range rows, mpi::index_range samples, std::int8_t* out,
                                  transfer mode) const {
    check_range(rows, m_n_variants, "variant");
    check_range(samples, n_samples(), "sample");
    m_flags->read(out, static_cast<std::uint64_t>(rows.begin), static_cast<std::uint64_t>(rows.size()),
                  static_cast<std::uint64_t>(samples.begin), static_cast<std::uint64_t>(samples.size()), mode);
}

std::vector<std::string> cohort_reader::names_in(const std::string& group_name) const {
    if (!m_file->exists(group_name)) return {};
    return group::open(*m_file, group_name).children();
}

std::vector<double> cohort_reader::sample_values(const std::string& path, transfer mode) const {
    dataset ds = dataset::open(*m_file, path);
    if (ds.dims() != std::vector<std::uint64_t>{static_cast<std::uint64_t>(n_samples())})
        throw input_error(ds.where() + ": expected one value per sample");
    std::vector<double> out(static_cast<std::size_t>(n_samples()));
    ds.read(out.data(), {0}, {out.size()}, mode);
    return out;
}

std::vector<double> cohort_reader::phenotype(const std::string& name, transfer mode) const {
    return sample_values("/phenotypes/" + name, mode);
}

std::vector<double> cohort_reader::covariate(const std::string& name, transfer mode) const {
    return sample_values("/covariates/" + name, mode);
}

}  // namespace precis::h5
