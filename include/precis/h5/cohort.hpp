#pragma once
/// The cohort HDF5 format (docs/formats.md): writer and reader.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "precis/h5/dataset.hpp"
#include "precis/h5/tile_reader.hpp"
#include "precis/io/vcf.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::h5 {

/// Value of the root attribute `format`.
inline constexpr const char* cohort_format = "precis-cohort";
/// Value of the root attribute `format_version` written by this version (the only one it reads).
inline constexpr const char* cohort_format_version = "1.0";
/// Chunk edge of the genotype matrices and chunk length of the per-variant columns (rows).
inline constexpr std::int64_t cohort_tile = 1024;

/// Per-variant columns of a run of rows. `pos` is the 1-based VCF POS; `id` is "." when the record has none;
/// `alt` is "." for a record without ALT allele.
struct variant_rows {
    std::vector<std::string> chrom, id, ref, alt;
    std::vector<std::int64_t> pos;
    std::size_t size() const { return pos.size(); }
    void clear();
    void push_back(std::string chrom, std::string id, std::string ref, std::string alt, std::int64_t pos);
};

/// Everything fixed when a cohort file is created.
struct cohort_layout {
    std::vector<std::string> samples;
    std::vector<io::contig_info> contigs;
    std::int64_t n_variants = 0;  ///< rows (biallelic)
    /// Widths in bytes of the fixed-length string columns (at least the longest value; 0 means 1).
    std::size_t id_width = 1, ref_width = 1, alt_width = 1;
    std::string command;  ///< root attribute `command`
    std::string source;   ///< root attribute `source`
};

/// Creates a cohort file and writes it in row blocks. With a communicator of more than one rank the file
/// is written with MPI-IO, and every member function is collective: each rank calls it in the same order,
/// passing its own rows (possibly none). Rows are 0-based and global. Not thread-safe.
class cohort_writer {
public:
    /// Creates `path` (truncating it) with all groups, datasets and root attributes, and writes samples and
    /// contigs. Throws input_error when there are no samples or no variants, runtime_failure on HDF5 errors.
    cohort_writer(const std::filesystem::path& path, MPI_Comm comm, const cohort_layout& layout);

    std::int64_t n_variants() const { return m_n_variants; }
    std::int64_t n_samples() const { return m_n_samples; }

    /// Writes this rank's variant columns for rows [first, first + rows.size()).
    void write_variants(std::int64_t first, const variant_rows& rows);
    /// Writes this rank's genotypes for rows [first, first + n) of all samples: `dosage` and `flags` are
    /// row-major n x n_samples int8 (see genotype.hpp). For speed, blocks should start and end on
    /// multiples of cohort_tile.
    void write_genotypes(std::int64_t first, std::int64_t n, const std::int8_t* dosage, const std::int8_t* flags);
    /// Writes /phenotypes/NAME or /covariates/NAME (`group` is "phenotypes" or "covariates"): n_samples
    /// float64, NaN = missing. Pass the same values on every rank; rank 0 writes them.
    void write_sample_values(const std::string& group, const std::string& name, const std::vector<double>& values);
    /// Closes the file, reporting errors (the destructor closes silently).
    void close();

private:
    MPI_Comm m_comm;
    bool m_root = true;
    std::int64_t m_n_variants = 0;
    std::int64_t m_n_samples = 0;
    std::optional<file> m_file;
    std::optional<group> m_phenotypes, m_covariates;
    std::optional<dataset> m_chrom, m_id, m_ref, m_alt, m_pos, m_dosage, m_flags;
};

/// Reads a cohort file. open() is collective when `comm` has more than one rank (the file then uses
/// MPI-IO); reads with transfer::collective must then be made by every rank (empty ranges allowed), and
/// reads with transfer::independent by any rank alone. Ranges are 0-based half-open. Owns the file;
/// not thread-safe (HDF5 is not): one reader per thread, or a lock.
class cohort_reader {
public:
    /// Opens and validates `path`: throws input_error "PATH: not a precis cohort file" when the format
    /// attribute is missing or wrong, "PATH: format_version X not supported" for other versions.
    static cohort_reader open(const std::filesystem::path& path, MPI_Comm comm = MPI_COMM_NULL);

    std::int64_t n_variants() const { return m_n_variants; }
    std::int64_t n_samples() const { return static_cast<std::int64_t>(m_samples.size()); }
    const std::vector<std::string>& samples() const { return m_samples; }
    const std::vector<io::contig_info>& contigs() const { return m_contigs; }
    /// A root string attribute (format, format_version, precis_version, created, command, source).
    std::string attribute(const std::string& name) const { return m_file->string_attribute(name); }
    const file& h5() const { return *m_file; }

    /// Variant columns of rows `rows`.
    variant_rows read_variants(mpi::index_range rows, transfer mode = transfer::independent) const;
    /// Dosage of rows `rows` x samples `samples` into `out`: row-major rows.size() x samples.size().
    void read_dosage(mpi::index_range rows, mpi::index_range samples, std::int8_t* out,
                     transfer mode = transfer::independent) const;
    /// gt_flags, laid out as read_dosage.
    void read_gt_flags(mpi::index_range rows, mpi::index_range samples, std::int8_t* out,
                       transfer mode = transfer::independent) const;

    /// Names under /phenotypes and /covariates, in name order.
    std::vector<std::string> phenotype_names() const { return names_in("phenotypes"); }
    std::vector<std::string> covariate_names() const { return names_in("covariates"); }
    /// All n_samples values of /phenotypes/NAME or /covariates/NAME (NaN = missing); input_error if absent.
    std::vector<double> phenotype(const std::string& name, transfer mode = transfer::independent) const;
    std::vector<double> covariate(const std::string& name, transfer mode = transfer::independent) const;

private:
    cohort_reader() = default;
    std::vector<std::string> names_in(const std::string& group) const;
    std::vector<double> sample_values(const std::string& path, transfer mode) const;
    void check_range(mpi::index_range range, std::int64_t n, const char* what) const;

    std::optional<file> m_file;
    std::optional<tile_reader> m_dosage, m_flags;
    std::int64_t m_n_variants = 0;
    std::vector<std::string> m_samples;
    std::vector<io::contig_info> m_contigs;
};

}  // namespace precis::h5
