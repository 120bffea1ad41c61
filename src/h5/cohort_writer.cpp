#include <ctime>

#include "precis/core/timestamp.hpp"
#include "precis/core/build_info.hpp"
#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::h5 {

namespace {

// Genotype matrices: deflate level 4 on the int8 values. HDF5's scale-offset packing (2 bits per value)
// before deflate level 1 made larger files and its decoder took ~40% of qc's time (docs/formats.md).
const storage matrix_storage{{cohort_tile, cohort_tile}, 4};
const storage column_storage{{cohort_tile}, 4};
const storage small_storage{{65536}, 4};

// Rank 0's string on every rank of `comm` (or `value` itself without MPI).
std::string agree(const std::string& value, MPI_Comm comm) {
    return comm == MPI_COMM_NULL ? value : mpi::communicator(comm).broadcast(value);
}

}  // namespace

void variant_rows::clear() {
    chrom.clear();
    id.clear();
    ref.clear();
    alt.clear();
    pos.clear();
}

void variant_rows::push_back(std::string c, std::string i, std::string r, std::string a, std::int64_t p) {
    chrom.push_back(std::move(c));
    id.push_back(std::move(i));
    ref.push_back(std::move(r));
    alt.push_back(std::move(a));
    pos.push_back(p);
}

cohort_writer::cohort_writer(const std::filesystem::path& path, MPI_Comm comm, const cohort_layout& layout)
    : m_comm(comm), m_n_variants(layout.n_variants), m_n_samples(static_cast<std::int64_t>(layout.samples.size())) {
    if (m_n_samples == 0) throw input_error(layout.source + ": no samples: nothing to convert");
    if (m_n_variants == 0) throw input_error(layout.source + ": no variant records: nothing to convert");
    if (comm != MPI_COMM_NULL) m_root = mpi::communicator(comm).is_root();
    m_file.emplace(file::create(path, comm));
    const file& f = *m_file;
    f.set_attribute("format", cohort_format);
    f.set_attribute("format_version", cohort_format_version);
    f.set_attribute("precis_version", build_info::version);
    f.set_attribute("created", agree(utc_timestamp(), comm));
    f.set_attribute("command", layout.command);
    f.set_attribute("source", layout.source);

    const auto nv = static_cast<std::uint64_t>(m_n_variants);
    const auto ns = static_cast<std::uint64_t>(m_n_samples);
    std::vector<std::string> contig_names;
    std::vector<std::int64_t> contig_lengths;
    for (const auto& c : layout.contigs) {
        contig_names.push_back(c.name);
        contig_lengths.push_back(c.length);
    }
    auto mine = [&](std::size_t n) { return m_root ? n : 0; };
    {
        group samples = group::create(f, "samples");
        dataset ids = create_string_dataset(samples, "id", ns, max_length(layout.samples), small_storage);
        std::vector<std::string> none;
        write_strings(ids, m_root ? layout.samples : none, 0);

        group contigs = group::create(f, "contigs");
        auto nc = static_cast<std::uint64_t>(contig_names.size());
        dataset names = create_string_dataset(contigs, "name", nc, max_length(contig_names));
        write_strings(names, m_root ? contig_names : none, 0);
        dataset lengths = dataset::create(contigs, "length", H5T_STD_I64LE, {nc});
        lengths.write(contig_lengths.data(), {0}, {mine(contig_lengths.size())});
    }
    group variants = group::create(f, "variants");
    m_chrom.emplace(create_string_dataset(variants, "chrom", nv, max_length(contig_names), column_storage));
    m_pos.emplace(dataset::create(variants, "pos", H5T_STD_I64LE, {nv}, column_storage));
    m_id.emplace(create_string_dataset(variants, "id", nv, layout.id_width, column_storage));
    m_ref.emplace(create_string_dataset(variants, "ref", nv, layout.ref_width, column_storage));
    m_alt.emplace(create_string_dataset(variants, "alt", nv, layout.alt_width, column_storage));
    group calldata = group::create(f, "calldata");
    m_dosage.emplace(dataset::create(calldata, "dosage", H5T_STD_I8LE, {nv, ns}, matrix_storage));
    m_flags.emplace(dataset::create(calldata, "gt_flags", H5T_STD_I8LE, {nv, ns}, matrix_storage));
    m_phenotypes.emplace(group::create(f, "phenotypes"));
    m_covariates.emplace(group::create(f, "covariates"));
}

void cohort_writer::write_variants(std::int64_t first, const variant_rows& rows) {
    auto at = static_cast<std::uint64_t>(first);
    write_strings(*m_chrom, rows.chrom, at);
    m_pos->write(rows.pos.data(), {at}, {rows.size()});
    write_strings(*m_id, rows.id, at);
    write_strings(*m_ref, rows.ref, at);
    write_strings(*m_alt, rows.alt, at);
}

void cohort_writer::write_genotypes(std::int64_t first, std::int64_t n, const std::int8_t* dosage,
                                    const std::int8_t* flags) {
    std::vector<std::uint64_t> offset{static_cast<std::uint64_t>(first), 0};
    std::vector<std::uint64_t> count{static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(m_n_samples)};
    m_dosage->write(dosage, offset, count);
    m_flags->write(flags, offset, count);
}

void cohort_writer::write_sample_values(const std::string& group_name, const std::string& name,
                                        const std::vector<double>& values) {
    if (static_cast<std::int64_t>(values.size()) != m_n_samples)
        throw runtime_failure(m_file->file_name() + ": " + group_name + "/" + name + " has " +
                              std::to_string(values.size()) + " values for " + std::to_string(m_n_samples) + " samples");
    const group& g = group_name == "phenotypes" ? *m_phenotypes : *m_covariates;
    dataset ds = dataset::create(g, name, H5T_IEEE_F64LE, {static_cast<std::uint64_t>(m_n_samples)}, small_storage);
    ds.write(values.data(), {0}, {m_root ? values.size() : 0});
}

void cohort_writer::close() {
    m_chrom.reset();
    m_id.reset();
    m_ref.reset();
    m_alt.reset();
    m_pos.reset();
    m_dosage.reset();
    m_flags.reset();
    m_phenotypes.reset();
    m_covariates.reset();
    if (m_file) m_file->close();
    m_file.reset();
}

}  // namespace precis::h5
