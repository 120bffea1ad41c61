// The align driver: plan batches (rank 0), learn the insert model (rank 0, broadcast), map batches on
// every rank with TBB, sort per rank, merge on rank 0 into one coordinate-sorted BAM/CRAM with index.
#include "precis/align/align.hpp"

#include <htslib/sam.h>
#include <htslib/thread_pool.h>
#include <mpi.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/parallel_sort.h>

#include <array>
#include <chrono>
#include <exception>
#include <cstring>
#include <filesystem>
#include <functional>
#include <queue>

#include "precis/align/detail/fastq_batches.hpp"
#include "precis/align/detail/records.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/io/hts_handles.hpp"
#include "precis/io/sam.hpp"

namespace precis::align {

namespace {

using detail::read_record;
using detail::record;

std::uint64_t name_seed(const std::string& name) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : detail::base_name(name)) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
}

/// Every rank throws the same input_error when any rank has one (the lowest failing rank's message).
void raise_collectively(const mpi::communicator& comm, const std::string& error) {
    std::int64_t first = comm.min(error.empty() ? comm.size() : comm.rank());
    if (first == comm.size()) return;
    std::string msg = error;
    std::int64_t len = static_cast<std::int64_t>(msg.size());
    mpi::check(MPI_Bcast(&len, 1, MPI_INT64_T, static_cast<int>(first), comm.get()), "MPI_Bcast");
    msg.resize(static_cast<std::size_t>(len));
    mpi::check(MPI_Bcast(msg.data(), static_cast<int>(len), MPI_CHAR, static_cast<int>(first), comm.get()), "MPI_Bcast");
    throw input_error(msg);
}

std::vector<std::int64_t> encode_model(const insert_model& m) {
    return {m.valid ? 1 : 0, static_cast<std::int64_t>(m.mean * 1e6), static_cast<std::int64_t>(m.sd * 1e6), m.low, m.high,
            m.pairs_used};
}

insert_model decode_model(const std::vector<std::int64_t>& v) {
    insert_model m;
    m.valid = v.at(0) != 0;
    m.mean = static_cast<double>(v.at(1)) / 1e6;
    m.sd = static_cast<double>(v.at(2)) / 1e6;
    m.low = v.at(3);
    m.high = v.at(4);
    m.pairs_used = v.at(5);
    return m;
}

/// Single-end candidates of the first pairs, kept from learning the insert model for the mapping pass.
using candidate_cache = std::vector<std::array<std::vector<alignment>, 2>>;

/// The insert model from the first `n` pairs: single-end alignments, both reads MAPQ >= 20, FR. The
/// candidates go to `cache` (the tie seeds are map_pair's, so the mapping pass can use them as they are).
insert_model learn_insert_model(const align_options& o, const mapper& map, std::int64_t n, candidate_cache& cache) {
    detail::batch_reader a(o.reads1), b(o.reads2);
    std::vector<read_record> x, y;
    a.read(n, x);
    b.read(n, y);
    std::vector<std::int64_t> sizes(x.size(), 0);
    cache.assign(std::min(x.size(), y.size()), {});
    tbb::parallel_for(std::size_t(0), cache.size(), [&](std::size_t i) {
        auto s = name_seed(x[i].name);
        auto& r1 = cache[i][0];
        auto& r2 = cache[i][1];
        r1 = map.align_read(x[i].seq, s);
        r2 = map.align_read(y[i].seq, s ^ mapper::mate_seed);
        if (r1.empty() || r2.empty() || r1[0].mapq < 20 || r2[0].mapq < 20) return;
        sizes[i] = fr_template_length(r1[0], r2[0]);
    });
    std::vector<std::int64_t> kept;
    for (auto v : sizes)
        if (v > 0) kept.push_back(v);
    return estimate_insert_model(kept);
}

void sort_records(std::vector<record>& records) {
    tbb::parallel_sort(records.begin(), records.end(),
                       [](const record& x, const record& y) { return detail::record_less(x.get(), y.get()); });
}

/// Sorts `records` and writes them to `path` as a fast-compressed BAM (a run or a rank's part for the merge).
void write_sorted(const std::filesystem::path& path, const sam_hdr_t* header, std::vector<record>& records) {
    sort_records(records);
    atomic_output part(path);
    {
        io::hts_file_ptr f(hts_open(part.temp_path().c_str(), "wb1"));
        if (!f || sam_hdr_write(f.get(), header) != 0) throw runtime_failure(path.string() + ": cannot write");
        for (const auto& r : records)
            if (sam_write1(f.get(), header, r.get()) < 0) throw runtime_failure(path.string() + ": write failed");
        if (hts_close(f.release()) != 0) throw runtime_failure(path.string() + ": write failed on close");
    }
    part.commit();
    records.clear();
}

struct source_cmp {
    bool operator()(const std::pair<bam1_t*, int>& a, const std::pair<bam1_t*, int>& b) const {
        return detail::record_less(b.first, a.first);
    }
};

}  // namespace

align_stats run_align(const align_options& o, const mpi::communicator& comm, const logger& log) {
    auto t0 = std::chrono::steady_clock::now();
    align_stats stats;
    const bool paired = !o.reads2.empty();
    if (o.cram != (o.out.extension() == ".cram"))
        throw input_error("--out " + o.out.string() + ": use a .cram name with --cram and a .bam name without it");
    if (o.out.extension() != ".bam" && o.out.extension() != ".cram")
        throw input_error("--out must end in .bam (or .cram with --cram)");
    require_output_dir(o.out, "--out");
    if (o.batch_pairs < 1 || o.batch_pairs > 10000000) throw input_error("--batch must be between 1 and 10000000");
    if (o.insert_sample < 0 || o.insert_sample > 10000000) throw input_error("--insert-sample must be between 0 and 10000000");
    if (o.mapping.min_score < 0) throw input_error("--min-score must not be negative");
    if (o.mapping.max_occurrences < 1) throw input_error("--max-occ must be at least 1");
    // Paired-end reads the first pairs for the insert model before the whole files, and several ranks plan
    // batches in a first pass: a pipe would be empty the second time.
    if (paired || comm.size() > 1)
        for (const auto& [flag, path] : {std::pair{"--reads1", o.reads1}, std::pair{"--reads2", o.reads2}}) {
            std::error_code ec;
            if (!path.empty() && std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
                throw input_error(std::string(flag) + " " + path.string() + ": not a regular file (" +
                                  (paired ? "paired-end reads" : "several ranks read") +
                                  " the FASTQs twice; write it to a file first)");
        }

    // Index (every rank maps it; the page cache shares it between ranks of a node).
    std::string error;
    std::unique_ptr<genome_index> index;
    try {
        index = std::make_unique<genome_index>(o.index.empty() ? default_index_path(o.reference) : o.index, o.reference);
    } catch (const input_error& e) {
        error = e.what();
    }
    raise_collectively(comm, error);
    mapper map(*index, o.mapping);
    std::string rg_id;
    std::unique_ptr<sam_hdr_t, void (*)(sam_hdr_t*)> header(detail::make_header(*index, o.read_group, o.command_line, rg_id),
                                                            sam_hdr_destroy);

    // Rank 0: validate the FASTQs, plan batches and learn the insert model; broadcast both. One rank needs
    // no plan: it reads both files once, in order (the first pass would decompress them a second time).
    const bool stream = comm.size() == 1;
    detail::batch_plan plan;
    plan.batch = o.batch_pairs;
    insert_model model;
    candidate_cache cache;  // rank 0: the first pairs' single-end candidates
    std::vector<std::int64_t> plan_wire, model_wire;
    if (comm.is_root()) {
        // The first pass and the insert model's alignments of the first pairs run at the same time (each
        // opens its own readers). The first pass's error wins: it validates the whole files.
        std::exception_ptr plan_error, model_error;
        tbb::parallel_invoke(
            [&] {
                try {
                    if (!stream) plan = detail::plan_batches(o.reads1, o.reads2, o.batch_pairs);
                } catch (...) {
                    plan_error = std::current_exception();
                }
            },
            [&] {
                try {
                    if (paired) model = learn_insert_model(o, map, o.insert_sample, cache);
                } catch (...) {
                    model_error = std::current_exception();
                }
            });
        try {
            if (plan_error) std::rethrow_exception(plan_error);
            if (model_error) std::rethrow_exception(model_error);
            plan_wire = detail::encode(plan);
            model_wire = encode_model(model);
        } catch (const input_error& e) {
            error = e.what();
        }
    }
    raise_collectively(comm, error);
    plan = detail::decode(comm.broadcast(plan_wire));
    model = decode_model(comm.broadcast(model_wire));
    stats.model = model;
    if (paired) {
        if (model.valid)
            log.info("insert size from ", model.pairs_used, " pairs: mean ", model.mean, " sd ", model.sd, ", proper ",
                     model.low, "-", model.high);
        else
            log.warn("too few uniquely mapped pairs to learn the insert size; pairing by FR orientation within 1 kb");
    }
    if (!stream)
        log.info(plan.records, paired ? " pairs" : " reads", " in ", plan.batches(), " batches over ", comm.size(), " rank(s)",
                 plan.seekable ? "" : " (plain gzip: each rank skips through the file; bgzip it to let ranks seek)");

    // Map this rank's batches (round-robin), reading the next batch while mapping the current one.
    auto tm = std::chrono::steady_clock::now();
    // Records are held in memory up to --sort-memory bytes per rank, then written as sorted runs next to the
    // output (the output directory must be shared by the ranks); rank 0 merges every rank's runs at the end.
    std::vector<record> records;
    std::int64_t held = 0;
    const auto dir = o.out.parent_path().empty() ? std::filesystem::path(".") : o.out.parent_path();
    auto run_path = [&](int r, int k) {
        return dir / (".precis-partial." + o.out.filename().string() + ".rank" + std::to_string(r) + ".run" +
                      std::to_string(k) + ".bam");
    };
    temp_files runs;  // this rank's
    std::int64_t mapped = 0, proper = 0, reads = 0;
    progress prog("align", static_cast<std::uint64_t>(plan.records), paired ? "pairs" : "reads", o.show_progress && comm.is_root());
    try {
        detail::batch_reader a(o.reads1);
        std::unique_ptr<detail::batch_reader> b;
        if (paired) b = std::make_unique<detail::batch_reader>(o.reads2);
        std::int64_t next_batch = comm.rank(), streamed = 0;
        struct work {
            std::vector<read_record> x, y;
            std::int64_t first = 0;  // index of x[0] in the input
            std::vector<std::vector<record>> out;
            std::int64_t mapped = 0, proper = 0;
        };
        tbb::parallel_pipeline(
            static_cast<std::size_t>(2 * std::max(1, o.threads)),
            tbb::make_filter<void, std::shared_ptr<work>>(tbb::filter_mode::serial_in_order,
                [&](tbb::flow_control& fc) -> std::shared_ptr<work> {
                    if (!stream && next_batch >= plan.batches()) {
                        fc.stop();
                        return nullptr;
                    }
                    auto w = std::make_shared<work>();
                    const auto i = static_cast<std::size_t>(next_batch);
                    const std::int64_t first = stream ? streamed : next_batch * plan.batch;
                    const std::int64_t n = stream ? plan.batch : std::min(plan.batch, plan.records - first);
                    w->first = first;
                    auto read1 = [&] {
                        if (!stream) a.go_to(first, plan.offsets1[i], plan.seekable);
                        a.read(n, w->x);
                    };
                    if (b) {
                        tbb::parallel_invoke(read1, [&] {
                            if (!stream) b->go_to(first, plan.offsets2[i], plan.seekable);
                            b->read(n, w->y);
                        });
                        if (w->y.size() != w->x.size())
                            throw input_error(detail::unequal_pairs_message(
                                o.reads1, o.reads2, first + static_cast<std::int64_t>(std::min(w->x.size(), w->y.size())),
                                w->y.size() > w->x.size()));
                        for (std::size_t k = 0; k < w->x.size(); ++k)
                            if (detail::base_name(w->x[k].name) != detail::base_name(w->y[k].name))
                                throw input_error::at(o.reads2.string(), "record " + std::to_string(first + static_cast<std::int64_t>(k) + 1),
                                                      "read name '" + w->y[k].name + "' does not match '" + w->x[k].name + "'");
                    } else {
                        read1();
                    }
                    if (stream) {
                        if (w->x.empty()) {
                            fc.stop();
                            return nullptr;
                        }
                        streamed += static_cast<std::int64_t>(w->x.size());
                        return w;
                    }
                    if (static_cast<std::int64_t>(w->x.size()) != n)
                        throw input_error(o.reads1.string() + ": fewer records than the first pass counted");
                    next_batch += comm.size();
                    return w;
                }) &
                tbb::make_filter<std::shared_ptr<work>, std::shared_ptr<work>>(tbb::filter_mode::parallel,
                    [&](std::shared_ptr<work> w) {
                        w->out.resize(w->x.size());
                        std::atomic<std::int64_t> m{0}, pp{0};
                        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, w->x.size(), 32), [&](const auto& r) {
                            std::int64_t lm = 0, lp = 0;
                            for (std::size_t k = r.begin(); k != r.end(); ++k) {
                                auto seed = name_seed(w->x[k].name);
                                pair_result pr;
                                const auto global = static_cast<std::size_t>(w->first) + k;
                                if (b && global < cache.size()) {
                                    std::vector<alignment> c[2] = {std::move(cache[global][0]), std::move(cache[global][1])};
                                    pr = map.map_pair(w->x[k].seq, w->y[k].seq, model, seed, c);
                                } else if (b) {
                                    pr = map.map_pair(w->x[k].seq, w->y[k].seq, model, seed);
                                } else {
                                    pr.read[0] = map.map_single(w->x[k].seq, seed);
                                }
                                lm += (pr.read[0].primary.contig >= 0) + (b && pr.read[1].primary.contig >= 0);
                                lp += pr.proper;
                                detail::make_records(pr, paired, w->x[k], b ? &w->y[k] : nullptr, *index, rg_id, w->out[k]);
                            }
                            m += lm;
                            pp += lp;
                        });
                        w->mapped = m;
                        w->proper = pp;
                        return w;
                    }) &
                tbb::make_filter<std::shared_ptr<work>, void>(tbb::filter_mode::serial_in_order,
                    [&](std::shared_ptr<work> w) {
                        for (auto& v : w->out)
                            for (auto& r : v) {
                                held += static_cast<std::int64_t>(sizeof(bam1_t)) + r->m_data;
                                records.push_back(std::move(r));
                            }
                        if (held > o.sort_memory) {  // a sorted run to disk; the merge reads it back
                            runs.add(run_path(comm.rank(), static_cast<int>(runs.paths.size())));
                            write_sorted(runs.paths.back(), header.get(), records);
                            held = 0;
                        }
                        mapped += w->mapped;
                        proper += w->proper;
                        reads += static_cast<std::int64_t>(w->x.size() * (paired ? 2 : 1));
                        prog.add(w->x.size() * static_cast<std::uint64_t>(comm.size()));
                    }));
        if (stream && streamed == 0) throw input_error(o.reads1.string() + ": no reads");
    } catch (const input_error& e) {
        error = e.what();
    }
    raise_collectively(comm, error);
    cache = {};  // pairs dealt to other ranks were not used here
    prog.finish();
    // Ranks > 0 write what they hold as their last run; rank 0 sorts its own in memory.
    if (comm.is_root()) {
        sort_records(records);
    } else {
        runs.add(run_path(comm.rank(), static_cast<int>(runs.paths.size())));
        write_sorted(runs.paths.back(), header.get(), records);
    }
    stats.map_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - tm).count();
    const auto run_counts = comm.all_gather(static_cast<std::int64_t>(runs.paths.size()));
    std::int64_t total_runs = 0;
    for (auto c : run_counts) total_runs += c;
    log.info("mapped and sorted in ", stats.map_seconds, " s", total_runs > 0 ? ", " + std::to_string(total_runs) + " sorted runs on disk" : "",
             "; merging and writing ", o.out.string());
    stats.reads = comm.sum(reads);
    stats.mapped = comm.sum(mapped);
    stats.proper_pairs = comm.sum(proper);
    comm.barrier();
    if (comm.is_root()) {
        // One thread pool for decompressing the runs and compressing the output.
        struct pool_guard {
            htsThreadPool p{nullptr, 0};
            ~pool_guard() {
                if (p.pool) hts_tpool_destroy(p.pool);
            }
        } pool;
        pool.p.pool = hts_tpool_init(std::max(1, o.threads));
        if (!pool.p.pool) throw runtime_failure("cannot start the BGZF thread pool");
        temp_files all_runs;  // every rank's, removed after the merge (or on failure)
        for (int r = 0; r < comm.size(); ++r)
            for (std::int64_t k = 0; k < run_counts[static_cast<std::size_t>(r)]; ++k) all_runs.add(run_path(r, static_cast<int>(k)));
        std::vector<htsFile*> parts;
        struct closer {
            std::vector<htsFile*>& v;
            ~closer() {
                for (auto* f : v) hts_close(f);
            }
        } close_parts{parts};
        std::vector<std::unique_ptr<sam_hdr_t, void (*)(sam_hdr_t*)>> part_headers;
        for (const auto& path : all_runs.paths) {
            htsFile* f = hts_open(path.c_str(), "r");
            if (!f) throw runtime_failure(path.string() + ": cannot open (is the output directory shared by all ranks?)");
            parts.push_back(f);
            hts_set_opt(f, HTS_OPT_THREAD_POOL, &pool.p);
            part_headers.emplace_back(sam_hdr_read(f), sam_hdr_destroy);
        }
        // The output, compressed with all threads and indexed while it is written (no second pass).
        atomic_output final_out(o.out);
        const std::string idx_suffix = o.cram ? ".crai" : ".bai";
        const std::string idx_path = final_out.temp_path().string() + idx_suffix;
        final_out.add_companion(idx_suffix);
        io::hts_file_ptr out_file(hts_open(final_out.temp_path().c_str(), o.cram ? "wc" : "wb"));
        if (!out_file) throw input_error(o.out.string() + ": cannot create");
        if (o.cram && hts_set_fai_filename(out_file.get(), o.reference.c_str()) != 0)
            throw input_error(o.reference.string() + ": cannot use as the CRAM reference");
        hts_set_opt(out_file.get(), HTS_OPT_THREAD_POOL, &pool.p);
        if (sam_hdr_write(out_file.get(), header.get()) != 0) throw runtime_failure(o.out.string() + ": cannot write the header");
        if (sam_idx_init(out_file.get(), header.get(), 0, idx_path.c_str()) != 0)
            throw runtime_failure(o.out.string() + ": cannot start the index");
        std::priority_queue<std::pair<bam1_t*, int>, std::vector<std::pair<bam1_t*, int>>, source_cmp> heap;
        std::vector<record> current(parts.size());
        std::size_t own = 0;
        auto pull = [&](int s) {
            if (s == 0) {
                if (own < records.size()) heap.push({records[own++].get(), 0});
                return;
            }
            auto& cur = current[static_cast<std::size_t>(s - 1)];
            if (!cur) cur.reset(bam_init1());
            int rc = sam_read1(parts[static_cast<std::size_t>(s - 1)], part_headers[static_cast<std::size_t>(s - 1)].get(), cur.get());
            if (rc >= 0) heap.push({cur.get(), s});
            else if (rc < -1) throw runtime_failure(all_runs.paths[static_cast<std::size_t>(s - 1)].string() + ": cannot read back");
        };
        for (int s = 0; s <= static_cast<int>(parts.size()); ++s) pull(s);
        while (!heap.empty()) {
            auto [rec, s] = heap.top();
            heap.pop();
            if (sam_write1(out_file.get(), header.get(), rec) < 0) throw runtime_failure(o.out.string() + ": write failed");
            pull(s);
        }
        records.clear();
        if (sam_idx_save(out_file.get()) != 0) throw runtime_failure(o.out.string() + ": cannot write the index");
        if (hts_close(out_file.release()) != 0) throw runtime_failure(o.out.string() + ": write failed on close");
        final_out.commit();
    }
    comm.barrier();
    stats.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
}

}  // namespace precis::align
