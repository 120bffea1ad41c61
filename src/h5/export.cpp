#include "precis/h5/export.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "precis/core/build_info.hpp"
#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/h5/genotype.hpp"
#include "precis/io/vcf.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::h5 {

namespace {

std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}

io::bcf_hdr_ptr make_header(const cohort_reader& cohort, const export_options& options) {
    io::bcf_hdr_ptr hdr(bcf_hdr_init("w"));
    if (!hdr) throw runtime_failure("out of memory creating a VCF header");
    auto append = [&](const std::string& line) {
        if (bcf_hdr_append(hdr.get(), line.c_str()) != 0)
            throw input_error(options.cohort.string() + ": cannot put '" + line + "' in a VCF header");
    };
    for (const auto& c : cohort.contigs())
        append("##contig=<ID=" + c.name + (c.length >= 0 ? ",length=" + std::to_string(c.length) : "") + ">");
    append("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">");
    append(std::string("##source=precis-") + build_info::version);
    append("##precis_command=" + one_line(options.command_line));
    append("##precis_cohort=" + one_line(options.cohort.string()));
    for (const auto& s : cohort.samples())
        if (bcf_hdr_add_sample(hdr.get(), s.c_str()) != 0)
            throw input_error(options.cohort.string() + ": sample '" + s + "' cannot be a VCF sample (duplicate?)");
    if (bcf_hdr_sync(hdr.get()) != 0) throw runtime_failure("cannot finish the VCF header");
    return hdr;
}

// Fills `rec` with row i of a block.
void build_record(const bcf_hdr_t* hdr, bcf1_t* rec, const variant_rows& v, std::size_t i, const std::int8_t* dosage,
                  const std::int8_t* flags, std::int64_t ns, std::vector<std::int32_t>& gt, const std::string& file) {
    bcf_clear(rec);
    rec->rid = bcf_hdr_name2id(hdr, v.chrom[i].c_str());
    if (rec->rid < 0) throw input_error(file + ": variant row chrom '" + v.chrom[i] + "' is not in /contigs/name");
    rec->pos = v.pos[i] - 1;
    bcf_float_set_missing(rec->qual);
    if (v.id[i] != "." && bcf_update_id(hdr, rec, v.id[i].c_str()) != 0)
        throw runtime_failure(file + ": cannot set ID " + v.id[i]);
    const char* alleles[2] = {v.ref[i].c_str(), v.alt[i].c_str()};
    if (bcf_update_alleles(hdr, rec, alleles, v.alt[i] == "." ? 1 : 2) != 0)
        throw runtime_failure(file + ": cannot set alleles at " + v.chrom[i] + ":" + std::to_string(v.pos[i]));
    bool all_haploid = std::all_of(flags, flags + ns, [](std::int8_t f) { return f & gt_haploid; });
    const int ploidy = all_haploid ? 1 : 2;
    gt.resize(static_cast<std::size_t>(ns * 2));
    std::int32_t pair[2];
    for (std::int64_t s = 0; s < ns; ++s) {
        decode_genotype({dosage[s], flags[s]}, pair);
        gt[s * ploidy] = pair[0];
        if (ploidy == 2) gt[s * 2 + 1] = pair[1];
    }
    if (bcf_update_genotypes(hdr, rec, gt.data(), static_cast<int>(ns * ploidy)) != 0)
        throw runtime_failure(file + ": cannot set GT at " + v.chrom[i] + ":" + std::to_string(v.pos[i]));
}

}  // namespace

std::int64_t export_vcf(const export_options& options, MPI_Comm comm_handle, const logger& log) {
    const mpi::communicator comm(comm_handle);
    std::int64_t written = 0;
    if (comm.is_root()) {
        cohort_reader cohort = cohort_reader::open(options.cohort);
        io::bcf_hdr_ptr hdr = make_header(cohort, options);
        io::vcf_writer writer(options.out, hdr.get(), std::max(0, options.threads - 1));
        const bcf_hdr_t* out_hdr = writer.header();
        const std::int64_t ns = cohort.n_samples();
        const std::int64_t nv = cohort.n_variants();
        log.info(options.cohort.string(), ": ", ns, " samples, ", nv, " rows");
        std::vector<io::bcf1_ptr> records;
        for (std::int64_t i = 0; i < cohort_tile; ++i) records.push_back(io::make_bcf_record());
        std::vector<std::int8_t> dosage, flags;
        tbb::enumerable_thread_specific<std::vector<std::int32_t>> gt_buffers;
        progress bar("export", static_cast<std::uint64_t>(nv), "rows", options.show_progress);
        for (std::int64_t first = 0; first < nv; first += cohort_tile) {
            mpi::index_range rows{first, std::min(first + cohort_tile, nv)};
            variant_rows v = cohort.read_variants(rows);
            dosage.resize(static_cast<std::size_t>(rows.size() * ns));
            flags.resize(dosage.size());
            cohort.read_dosage(rows, {0, ns}, dosage.data());
            cohort.read_gt_flags(rows, {0, ns}, flags.data());
            tbb::parallel_for(std::int64_t{0}, rows.size(), [&](std::int64_t i) {
                build_record(out_hdr, records[i].get(), v, static_cast<std::size_t>(i), dosage.data() + i * ns,
                             flags.data() + i * ns, ns, gt_buffers.local(), options.cohort.string());
            });
            for (std::int64_t i = 0; i < rows.size(); ++i) writer.write(records[i].get());
            written += rows.size();
            bar.add(static_cast<std::uint64_t>(rows.size()));
        }
        bar.finish();
        writer.close(true);
        log.info("wrote ", options.out.string(), ": ", written, " records, ", log.elapsed(), " s");
    }
    comm.barrier();
    return comm.max(written);
}

}  // namespace precis::h5
