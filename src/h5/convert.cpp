#include "precis/h5/convert.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/h5/genotype.hpp"
#include "precis/h5/sample_table.hpp"
#include "precis/io/vcf.hpp"
#include "precis/io/vcf_windows.hpp"
#include "precis/mpi/communicator.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::h5 {

namespace {

using window = io::vcf_window;

constexpr int windows_per_rank = 16;

std::int64_t rows_of(const bcf1_t* rec) { return rec->n_allele > 1 ? rec->n_allele - 1 : 1; }

// Reads the records of a list of windows in order, checking that they are sorted and that no two give
// the same row (CHROM, POS, REF, ALT).
class record_source {
public:
    record_source(const std::filesystem::path& path, int threads, std::vector<window> windows, bool samples)
        : m_reader(path, threads), m_windows(std::move(windows)) {
        if (!samples && bcf_hdr_set_samples(m_reader.header(), nullptr, 0) != 0)
            throw runtime_failure(path.string() + ": cannot drop the samples for the counting pass");
        if (!m_windows.empty() && m_windows.front().tid >= 0 && !m_reader.load_index())
            throw runtime_failure(path.string() + ": the index disappeared");
    }
    io::vcf_reader& reader() { return m_reader; }

    /// Next record of the windows, or false at their end.
    bool next(bcf1_t* rec, int unpack) {
        while (m_next <= m_windows.size()) {
            if (m_open && m_reader.next(rec, unpack)) {
                check_order(rec);
                return true;
            }
            if (m_next == m_windows.size()) break;
            const window& w = m_windows[m_next++];
            if (w.tid >= 0) m_reader.set_region(w.tid, w.begin, w.end);
            m_open = true;
        }
        m_next = m_windows.size() + 1;
        return false;
    }

private:
    void check_order(const bcf1_t* rec) {
        if (rec->rid < m_tid || (rec->rid == m_tid && rec->pos < m_pos))
            throw input_error(m_reader.where(rec) + ": records out of order (contigs must follow the header order and "
                                                    "POS must not decrease; sort with bcftools sort)");
        if (rec->rid != m_tid || rec->pos != m_pos) m_rows_here.clear();
        m_tid = rec->rid;
        m_pos = rec->pos;
        // Records at one position start in the same window, so each rank sees all of them.
        for (int a = 1; a < std::max(2, static_cast<int>(rec->n_allele)); ++a) {
            std::string row = std::string(rec->d.allele[0]) + '>' + (rec->n_allele > 1 ? rec->d.allele[a] : ".");
            if (std::find(m_rows_here.begin(), m_rows_here.end(), row) != m_rows_here.end())
                throw input_error(m_reader.where(rec) + ": " + row + " repeats a variant of an earlier record at this "
                                                        "position (remove duplicates with bcftools norm -d exact)");
            m_rows_here.push_back(std::move(row));
        }
    }

    io::vcf_reader m_reader;
    std::vector<window> m_windows;
    std::size_t m_next = 0;
    bool m_open = false;
    int m_tid = -1;
    std::int64_t m_pos = -1;
    std::vector<std::string> m_rows_here;  // "REF>ALT" of the rows at (m_tid, m_pos)
};

struct window_counts {
    std::vector<std::int64_t> records, rows;
    std::int64_t id_width = 1, ref_width = 1, alt_width = 1;
};

// The counting pass: records, rows and string widths of windows [first, last), without parsing samples.
void count_windows(const std::filesystem::path& path, int threads, const std::vector<window>& windows,
                   std::size_t first, std::size_t last, window_counts& counts) {
    auto rec = io::make_bcf_record();
    for (std::size_t w = first; w < last; ++w) {
        record_source source(path, threads, {windows[w]}, false);
        while (source.next(rec.get(), BCF_UN_STR)) {
            ++counts.records[w];
            counts.rows[w] += rows_of(rec.get());
            counts.id_width = std::max<std::int64_t>(counts.id_width, std::strlen(rec->d.id));
            counts.ref_width = std::max<std::int64_t>(counts.ref_width, std::strlen(rec->d.allele[0]));
            for (int a = 1; a < rec->n_allele; ++a)
                counts.alt_width = std::max<std::int64_t>(counts.alt_width, std::strlen(rec->d.allele[a]));
        }
    }
}

std::vector<std::int64_t> sum_vectors(std::vector<std::int64_t> v, const mpi::communicator& comm) {
    if (comm.size() > 1)
        mpi::check(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_INT64_T, MPI_SUM, comm.get()),
                   "MPI_Allreduce");
    return v;
}

// Per-thread GT buffer for bcf_get_genotypes.
struct gt_buffer {
    std::int32_t* data = nullptr;
    int size = 0;
    ~gt_buffer() { std::free(data); }
};

// A batch of records read ahead and their rows encoded in parallel into staging buffers.
class row_producer {
public:
    row_producer(record_source& source, std::int64_t n_samples) : m_source(source), m_ns(n_samples) {}

    /// Makes at least `need` rows available (fewer only at the end of the input).
    void fill(std::int64_t need) {
        std::size_t batch = 0;
        std::int64_t rows = staged();
        while (rows < need) {
            if (batch == m_pool.size()) m_pool.push_back(io::make_bcf_record());
            if (!m_source.next(m_pool[batch].get(), BCF_UN_ALL)) break;
            const bcf1_t* rec = m_pool[batch].get();
            m_where.resize(std::max(m_where.size(), batch + 1));
            m_where[batch] = m_source.reader().where(rec);
            rows += rows_of(rec);
            ++batch;
            ++m_records;
        }
        std::vector<std::int64_t> first(batch + 1, staged());
        for (std::size_t b = 0; b < batch; ++b) first[b + 1] = first[b] + rows_of(m_pool[b].get());
        m_dosage.resize(static_cast<std::size_t>(rows * m_ns));
        m_flags.resize(static_cast<std::size_t>(rows * m_ns));
        const bcf_hdr_t* hdr = m_source.reader().header();
        for (std::size_t b = 0; b < batch; ++b) {
            const bcf1_t* rec = m_pool[b].get();
            for (std::int64_t k = 0; k < rows_of(rec); ++k)
                m_variants.push_back(bcf_hdr_id2name(hdr, rec->rid), rec->d.id, rec->d.allele[0],
                                     rec->n_allele > 1 ? rec->d.allele[k + 1] : ".", rec->pos + 1);
        }
        tbb::parallel_for(std::size_t{0}, batch, [&](std::size_t b) {
            thread_local gt_buffer gt;
            encode(hdr, m_pool[b].get(), gt, first[b], m_where[b]);
        });
    }

    std::int64_t staged() const { return static_cast<std::int64_t>(m_variants.size()); }
    std::int64_t records() const { return m_records; }
    const variant_rows& variants() const { return m_variants; }
    const std::int8_t* dosage() const { return m_dosage.data(); }
    const std::int8_t* flags() const { return m_flags.data(); }

    /// Drops the first n staged rows (after they were written).
    void consume(std::int64_t n) {
        auto drop = [n](auto& v) { v.erase(v.begin(), v.begin() + n); };
        drop(m_variants.chrom);
        drop(m_variants.id);
        drop(m_variants.ref);
        drop(m_variants.alt);
        drop(m_variants.pos);
        m_dosage.erase(m_dosage.begin(), m_dosage.begin() + n * m_ns);
        m_flags.erase(m_flags.begin(), m_flags.begin() + n * m_ns);
    }

private:
    void encode(const bcf_hdr_t* hdr, bcf1_t* rec, gt_buffer& gt, std::int64_t row, const std::string& where) {
        std::int8_t* dosage = m_dosage.data() + row * m_ns;
        std::int8_t* flags = m_flags.data() + row * m_ns;
        const std::int64_t rows = rows_of(rec);
        int n = bcf_get_genotypes(hdr, rec, &gt.data, &gt.size);
        if (n <= 0) {  // no GT: every call missing
            std::fill(dosage, dosage + rows * m_ns, dosage_missing);
            std::fill(flags, flags + rows * m_ns, std::int8_t{0});
            return;
        }
        const int ploidy = n / static_cast<int>(m_ns);
        for (std::int64_t k = 0; k < rows; ++k) {
            for (std::int64_t s = 0; s < m_ns; ++s) {
                encoded_genotype g;
                auto fault = encode_genotype(gt.data + s * ploidy, ploidy, static_cast<int>(k + 1), rec->n_allele, g);
                if (fault != genotype_fault::none)
                    throw input_error(where + ": GT of sample " + hdr->samples[s] +
                                      (fault == genotype_fault::too_many_alleles
                                           ? " has more than two alleles (only haploid and diploid calls are supported)"
                                           : " names an allele the record does not have"));
                dosage[k * m_ns + s] = g.dosage;
                flags[k * m_ns + s] = g.flags;
            }
        }
    }

    record_source& m_source;
    std::int64_t m_ns;
    std::int64_t m_records = 0;
    std::vector<io::bcf1_ptr> m_pool;
    std::vector<std::string> m_where;
    variant_rows m_variants;
    std::vector<std::int8_t> m_dosage, m_flags;
};

void write_table(cohort_writer& writer, const std::optional<std::filesystem::path>& path, const char* group,
                 const std::vector<std::string>& samples, const mpi::communicator& comm, const logger& log) {
    if (!path) return;
    sample_table table = read_sample_table(*path, samples);
    if (comm.is_root()) {
        if (table.unknown_samples > 0)
            log.warn(path->string(), ": ", table.unknown_samples, " rows name samples that are not in the VCF (ignored)");
        if (table.missing_samples > 0)
            log.warn(path->string(), ": ", table.missing_samples, " VCF samples have no row (stored as NaN)");
    }
    for (std::size_t c = 0; c < table.names.size(); ++c) writer.write_sample_values(group, table.names[c], table.values[c]);
    log.info(group, ": ", table.names.size(), " columns from ", path->string());
}

}  // namespace

convert_summary convert(const convert_options& options, MPI_Comm comm_handle, const logger& log) {
    const mpi::communicator comm(comm_handle);
    const int hts_threads = std::max(0, options.threads - 1);
    require_output_dir(options.out, "--out");
    if (options.phenotypes) require_readable_file(*options.phenotypes, "--phenotypes");
    if (options.covariates) require_readable_file(*options.covariates, "--covariates");

    io::vcf_reader header_reader(options.vcf);
    const auto samples = header_reader.samples();
    const auto contigs = header_reader.contigs();
    // Check the tables before any work.
    if (options.phenotypes) read_sample_table(*options.phenotypes, samples);
    if (options.covariates) read_sample_table(*options.covariates, samples);

    // Plan: windows, counted by the ranks in parallel without parsing samples.
    std::vector<window> windows =
        comm.size() == 1 ? std::vector<window>{window{}}
                         : io::plan_vcf_windows(options.vcf, windows_per_rank * comm.size(), comm.size(), "converting");
    window_counts counts;
    counts.records.assign(windows.size(), 0);
    counts.rows.assign(windows.size(), 0);
    std::vector<double> expected;
    for (const auto& w : windows) expected.push_back(w.weight);
    auto count_bounds = mpi::weighted_boundaries(expected, comm.size());
    mpi::run_collectively(comm, [&] {
        count_windows(options.vcf, hts_threads, windows, count_bounds[comm.rank()], count_bounds[comm.rank() + 1], counts);
    });
    log.debug("counting pass done at ", log.elapsed(), " s");
    counts.records = sum_vectors(counts.records, comm);
    counts.rows = sum_vectors(counts.rows, comm);
    std::vector<double> weights(counts.records.begin(), counts.records.end());
    auto bounds = mpi::weighted_boundaries(weights, comm.size());
    std::vector<std::int64_t> row_offset(windows.size() + 1, 0);
    for (std::size_t w = 0; w < windows.size(); ++w) row_offset[w + 1] = row_offset[w] + counts.rows[w];
    const std::int64_t n_rows = row_offset.back();
    std::int64_t n_records = 0;
    for (auto r : counts.records) n_records += r;
    const std::int64_t row_begin = row_offset[bounds[comm.rank()]];
    const std::int64_t row_end = row_offset[bounds[comm.rank() + 1]];
    log.debug(options.vcf.string(), ": ", comm.size(), " rank(s) over ", windows.size(), " window(s)");

    // Create the file under its temporary name (rank 0 owns the name and renames it when complete).
    std::optional<atomic_output> out;
    if (comm.is_root()) out.emplace(options.out);
    const std::string temp = comm.broadcast(out ? out->temp_path().string() : std::string());
    cohort_layout layout{samples,
                         contigs,
                         n_rows,
                         static_cast<std::size_t>(comm.max(counts.id_width)),
                         static_cast<std::size_t>(comm.max(counts.ref_width)),
                         static_cast<std::size_t>(comm.max(counts.alt_width)),
                         options.command_line,
                         options.vcf.string()};
    // From the file's creation to its close, a failure on any rank (a full disk, a bad record) ends the
    // process without closing the file or HDF5's clean-up: HDF5 1.10 can wait forever in a collective call
    // that some ranks never reach, or crash on a half-written file. The ranks learn of each other's
    // failures in run_collectively and in every collective write.
    try {
        cohort_writer writer(temp, comm.size() > 1 ? comm.get() : MPI_COMM_NULL, layout);

        // Convert this rank's windows and write them in blocks aligned to the chunk grid.
        const std::int64_t tile = cohort_tile;
        const std::int64_t my_blocks = row_end > row_begin ? (row_end - 1) / tile - row_begin / tile + 1 : 0;
        const std::int64_t n_blocks = comm.max(my_blocks);
        std::vector<window> mine(windows.begin() + bounds[comm.rank()], windows.begin() + bounds[comm.rank() + 1]);
        record_source source(options.vcf, hts_threads, mine, true);
        row_producer producer(source, static_cast<std::int64_t>(samples.size()));
        progress bar("convert", static_cast<std::uint64_t>(row_end - row_begin), "rows", options.show_progress && comm.is_root());
        std::int64_t row = row_begin;
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            const std::int64_t need = row < row_end ? std::min((row / tile + 1) * tile, row_end) - row : 0;
            mpi::run_collectively(comm, [&] {
                producer.fill(need);
                if (producer.staged() < need)
                    throw runtime_failure(options.vcf.string() + ": the file changed while converting (fewer rows than counted)");
            });
            variant_rows block;
            if (need > 0) {
                const auto& v = producer.variants();
                for (std::int64_t i = 0; i < need; ++i) block.push_back(v.chrom[i], v.id[i], v.ref[i], v.alt[i], v.pos[i]);
            }
            mpi::run_collectively(comm, [&] {
                writer.write_variants(row, block);
                writer.write_genotypes(row, need, producer.dosage(), producer.flags());
            });
            producer.consume(need);
            row += need;
            bar.add(static_cast<std::uint64_t>(need));
        }
        mpi::run_collectively(comm, [&] {
            auto rec = io::make_bcf_record();
            if (producer.staged() > 0 || source.next(rec.get(), BCF_UN_STR))
                throw runtime_failure(options.vcf.string() + ": the file changed while converting (more rows than counted)");
        });
        bar.finish();
        log.debug("genotypes written at ", log.elapsed(), " s");

        write_table(writer, options.phenotypes, "phenotypes", samples, comm, log);
        write_table(writer, options.covariates, "covariates", samples, comm, log);
        writer.close();
    } catch (...) {
        skip_library_shutdown();
        throw;
    }
    comm.barrier();
    convert_summary summary;
    if (comm.is_root()) {
        out->commit();
        summary.file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(options.out));
    }
    summary.file_bytes = comm.max(summary.file_bytes);
    summary.samples = static_cast<std::int64_t>(samples.size());
    summary.records = n_records;
    summary.rows = n_rows;
    summary.seconds = log.elapsed();
    log.info(options.vcf.string(), ": ", summary.samples, " samples, ", n_records, " records, ", n_rows,
             " biallelic rows");
    log.info("wrote ", options.out.string(), ": ", summary.file_bytes, " bytes, ",
             8.0 * static_cast<double>(summary.file_bytes) / static_cast<double>(n_rows * summary.samples),
             " bits per genotype, ", summary.seconds, " s");
    return summary;
}

}  // namespace precis::h5
