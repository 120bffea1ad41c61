// precis annotate: load references, plan windows, annotate this rank's windows, assemble the outputs.
#include "precis/annotate/annotate.hpp"

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/tbx.h>
#include <tbb/concurrent_queue.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>

#include <malloc.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <deque>
#include <memory>
#include <unordered_set>

#include "precis/annotate/detail/genome.hpp"
#include "precis/annotate/detail/haplotype.hpp"
#include "precis/annotate/detail/panel.hpp"
#include "precis/annotate/detail/record.hpp"
#include "precis/io/vcf_windows.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/io/contig_name.hpp"
#include "precis/io/fasta.hpp"
#include "precis/io/vcf.hpp"
#include "precis/mpi/communicator.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::annotate {

namespace {

// Records per chunk (the unit of the pipeline and of the haplotype pass): fewer with many samples, to
// bound memory. Depends on the file only, so the chunks are the same at every rank and thread count.
std::size_t chunk_records(std::size_t samples) {
    return std::clamp<std::size_t>((std::size_t{1} << 22) / (64 + 16 * samples), 1024, 8192);
}
constexpr int examples_per_kind = 3;
const char* const problem_kinds[] = {"contig absent from the FASTA", "REF does not match the FASTA",
                                     "symbolic or non-ACGTN allele skipped",
                                     "ALT equal to REF (not a variant) skipped"};
// The 28-byte empty block that ends every BGZF file.
constexpr unsigned char bgzf_eof[28] = {0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43,
                                        0x02, 0, 0x1b, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0};

using io::bgzf_ptr;

std::filesystem::path part_path(const std::filesystem::path& out, const std::string& what, int rank) {
    std::string name = ".";
    name += out.filename().string();
    name += ".precis-" + what + ".";
    name += std::to_string(rank);
    return out.parent_path() / name;
}

void write_bgzf(BGZF* f, const std::string& text, const std::filesystem::path& path) {
    if (!text.empty() && bgzf_write(f, text.data(), text.size()) < 0) throw runtime_failure(path.string() + ": write failed");
}

// Appends `part` (a BGZF file) without its EOF block to `out`; returns the bytes appended.
std::uint64_t append_bgzf_part(std::ofstream& out, const std::filesystem::path& part) {
    std::ifstream in(part, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() >= sizeof bgzf_eof && std::equal(bytes.end() - sizeof bgzf_eof, bytes.end(), reinterpret_cast<const char*>(bgzf_eof)))
        bytes.resize(bytes.size() - sizeof bgzf_eof);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes.size();
}

// One record's entry for the .tbi, built while writing (no second pass over the output): the interval
// and the virtual offset of the record's end relative to the start of its rank's part.
struct index_entry {
    std::int64_t beg, end;     // 0-based half-open, as HTSlib's VCF indexing (POS-1, POS-1+rlen)
    std::uint64_t block;       // compressed offset of the BGZF block holding the record's end, in the part
    std::int32_t tid;          // header contig id
    std::uint32_t within;      // offset of the end inside that block's uncompressed data
};

// The TBI meta block (tabix's VCF preset and the contig names in header order, as HTSlib's vcf indexing).
std::vector<std::uint8_t> tbi_meta(const bcf_hdr_t* header) {
    const std::int32_t conf[7] = {TBX_VCF, 1, 2, 0, '#', 0, 0};
    std::string names;
    for (int i = 0; i < header->n[BCF_DT_CTG]; ++i) {
        names += bcf_hdr_id2name(header, i);
        names += '\0';
    }
    std::vector<std::uint8_t> meta(sizeof conf + names.size());
    std::int32_t x[7];
    std::copy(std::begin(conf), std::end(conf), x);
    x[6] = static_cast<std::int32_t>(names.size());
    std::memcpy(meta.data(), x, sizeof x);
    std::memcpy(meta.data() + sizeof x, names.data(), names.size());
    return meta;
}

// (Through out.write, which sets the stream's error state: an ostreambuf_iterator's failure does not.)
void append_text_part(std::ofstream& out, const std::filesystem::path& part) {
    std::ifstream in(part, std::ios::binary);
    std::vector<char> buffer(1 << 16);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
        if (!out.write(buffer.data(), in.gcount())) return;
}

// The contigs a VCF names: its header's (HTSlib adds those of a tabix index when there are no ##contig
// lines; the reader refuses a record on any other).
std::vector<std::string> vcf_contigs(const std::filesystem::path& path) {
    std::vector<std::string> names;
    for (const auto& c : io::vcf_reader(path).contigs()) names.push_back(c.name);
    return names;
}

// "a, b, c, ..." (the first three names).
std::string some_names(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < 3; ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > 3) out += ", ...";
    return out.empty() ? "none" : out;
}

// Warns when the known-variant file `path` (of `option`) names no contig of the input, even ignoring a
// leading "chr" (io::normalise_contig): none of its records could match.
void warn_unmatched_contigs(const std::filesystem::path& path, const char* option,
                            const std::vector<std::string>& input, const logger& log) {
    if (path.empty()) return;
    std::unordered_set<std::string> wanted;
    for (const auto& name : input) wanted.insert(io::normalise_contig(name));
    const std::vector<std::string> names = vcf_contigs(path);
    for (const auto& name : names)
        if (wanted.count(io::normalise_contig(name))) return;
    log.warn(path.string(), ": ", option, " names no contig of the input (", some_names(names), " vs ", some_names(input),
             "; a leading \"chr\" is ignored): none of its records can match");
}

// Warns about --panel entries that name no gene of the model: the count and the first few, each with the
// model's spelling when it differs only in case.
void warn_unmatched_panel(const std::filesystem::path& path, const std::vector<std::string>& entries,
                          const gene_model& genes, const std::filesystem::path& genes_path, const logger& log) {
    const auto unmatched = detail::unmatched_panel_genes(entries, genes);
    if (unmatched.empty()) return;
    std::string examples;
    for (std::size_t i = 0; i < std::min<std::size_t>(unmatched.size(), examples_per_kind); ++i) {
        examples += (i ? ", '" : "'") + unmatched[i].first + "'";
        if (!unmatched[i].second.empty()) examples += " (but '" + unmatched[i].second + "' does)";
    }
    if (unmatched.size() > examples_per_kind) examples += ", ...";
    log.warn(path.string(), ": ", unmatched.size(), " of ", entries.size(),
             " --panel genes match no gene symbol or id of ", genes_path.string(), " (case-sensitive): ", examples);
}

}  // namespace

annotate_summary run(const annotate_options& o, MPI_Comm raw_comm, const logger& log) {
    mpi::communicator comm(raw_comm);
    // HTSlib's bgzf_compress allocates and frees a libdeflate compressor (~0.5 MB) for every 64 kB block; with
    // glibc's default thresholds each free returns those pages to the kernel and the next block faults them
    // in again (~7% of the CPU time at one thread). Keeping large blocks on the heap and untrimmed avoids it;
    // peak memory is unchanged (the contig buffers dominate it).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum on 64-bit
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (o.compression_level < -1 || o.compression_level > 9)
        throw input_error("--compression-level must be -1 (HTSlib's default) or 0 to 9, got " + std::to_string(o.compression_level));
    require_readable_file(o.ref, "--ref");
    require_readable_file(o.genes, "--genes");
    require_readable_file(o.vcf, "--vcf");
    if (!o.known.empty()) require_readable_file(o.known, "--known");
    if (!o.frequencies.empty()) require_readable_file(o.frequencies, "--frequencies");
    if (!o.panel.empty()) require_readable_file(o.panel, "--panel");
    require_output_dir(o.out, "--out");
    std::string out_name = o.out.filename().string();
    if (!(out_name.ends_with(".vcf.gz") || out_name.ends_with(".vcf.bgz")))
        throw input_error("--out " + o.out.string() + ": must end in .vcf.gz (bgzipped, indexed VCF)");
    if (!o.tsv.empty()) require_output_dir(o.tsv, "--tsv");
    if (!o.findings.empty()) require_output_dir(o.findings, "--findings");

    // A fixed number of windows, whatever the rank count, keeps the output bytes independent of it.
    std::vector<io::vcf_window> windows = io::plan_vcf_windows(o.vcf, 256, comm.size(), "annotating");
    std::vector<double> weights;
    for (const auto& w : windows) weights.push_back(w.weight);
    auto bounds = mpi::weighted_boundaries(weights, comm.size());
    log.debug(o.vcf.string(), ": ", windows.size(), " window(s) over ", comm.size(), " rank(s)");

    // Decompression threads only when there are threads to spare (the pipeline uses the others).
    int hts_threads = o.threads > 2 ? std::min(o.threads - 1, 4) : 0;
    io::vcf_reader reader(o.vcf, hts_threads);
    if (windows.front().tid >= 0 && !reader.load_index()) throw runtime_failure(o.vcf.string() + ": the index disappeared");
    // Known variants: only around this rank's windows when the input was split.
    std::vector<named_region> regions;
    // Contigs the index counts no records on (e.g. the rest of a genome in a one-chromosome VCF's header)
    // need no known variants and no sequence; without counts in the index every contig is kept.
    const bool counted = std::any_of(windows.begin(), windows.end(), [](const io::vcf_window& v) { return v.weight > 0; });
    for (auto w = bounds[comm.rank()]; w < bounds[comm.rank() + 1]; ++w) {
        const io::vcf_window& win = windows[static_cast<std::size_t>(w)];
        if (win.tid < 0 || (counted && win.weight == 0)) continue;
        std::string contig = bcf_hdr_id2name(reader.header(), win.tid);
        if (!regions.empty() && regions.back().contig == contig && regions.back().end == win.begin) regions.back().end = win.end;
        else regions.push_back({contig, win.begin, win.end});
    }
    const std::vector<named_region>* mine = windows.front().tid >= 0 ? &regions : nullptr;
    // With an indexed input (and indexed known-variant files), a rank holds one contig sequence at a time,
    // loaded when its windows reach it; otherwise the sequences of all its contigs.
    auto indexed = [](const std::filesystem::path& p) { return p.empty() || io::vcf_reader(p).load_index(); };
    const bool lazy = mine && indexed(o.known) && indexed(o.frequencies);
    std::vector<std::string> contig_names;
    std::unordered_set<std::string> wanted;  // a rank holds the sequences of its own contigs only
    std::vector<std::string> wanted_order;
    for (const auto& r : regions)
        if (wanted.insert(r.contig).second) wanted_order.push_back(r.contig);
    std::unique_ptr<detail::reference_stream> stream;
    genome_map genome;
    // A rank reads the sequences (and below the known variants) of its own windows, so a fault there may
    // reach some ranks only: they agree on it, and one error is reported, whatever the rank count.
    mpi::run_collectively(comm, [&] {
        if (lazy) {
            stream = std::make_unique<detail::reference_stream>(o.ref);
            contig_names = stream->names();
        } else {
            genome = detail::load_genome(o.ref, contig_names, mine ? &wanted : nullptr);
        }
    });
    std::vector<std::int64_t> contig_lengths;
    {
        const io::fasta_reader fasta(o.ref);  // the .fai
        for (const auto& name : contig_names) contig_lengths.push_back(fasta.contig_length(name));
    }
    gene_model genes = read_gene_model(o.genes, contig_names, o.strict, contig_lengths);
    malloc_trim(0);  // the reader's temporaries (several times the model's size) go back to the system
    const auto& gs = genes.summary();
    const auto malformed = gs.skipped.count("malformed line") ? gs.skipped.at("malformed line") : 0;
    if (gs.lines == malformed)
        throw input_error(o.genes.string() + ": not GFF3 or GTF: no well-formed feature line" +
                          (gs.lines ? " among " + std::to_string(gs.lines) + " lines (" + gs.examples.front() + ")" : ""));
    log.info(o.genes.string(), ": ", gs.genes, " genes, ", gs.transcripts, " transcripts (", gs.coding_transcripts, " coding)");
    if (gs.transcripts == 0 && comm.is_root())
        log.warn(o.genes.string(), ": no transcript on the FASTA's contigs: every allele will be intergenic");
    for (const auto& [reason, n] : gs.skipped) log.info("skipped (", reason, "): ", n);
    for (const auto& example : gs.examples) log.info("  e.g. ", example);
    std::unordered_set<std::string> panel;
    if (!o.panel.empty()) {
        const std::vector<std::string> entries = detail::read_panel(o.panel);
        panel.insert(entries.begin(), entries.end());
        if (comm.is_root()) warn_unmatched_panel(o.panel, entries, genes, o.genes, log);
    }

    known_variants known;
    mpi::run_collectively(comm, [&] {
        if (lazy && (!o.known.empty() || !o.frequencies.empty())) {
            const std::unordered_set<std::string> in_fasta(contig_names.begin(), contig_names.end());
            for (const auto& contig : wanted_order) {  // contig by contig: one sequence in memory
                if (!in_fasta.count(contig)) continue;
                genome_map one;
                one.emplace(contig, stream->load(contig));
                std::vector<named_region> part;
                for (const auto& r : regions)
                    if (r.contig == contig) part.push_back(r);
                if (!o.known.empty()) known.load_clinvar(o.known, one, &part);
                if (!o.frequencies.empty()) known.load_frequencies(o.frequencies, one, &part);
            }
        } else {
            if (!o.known.empty()) known.load_clinvar(o.known, genome, mine);
            if (!o.frequencies.empty()) known.load_frequencies(o.frequencies, genome, mine);
        }
        if (comm.is_root()) {  // the input's contigs: the VCF's, then the FASTA's
            std::vector<std::string> input;
            std::unordered_set<std::string> seen;
            for (const auto& c : reader.contigs())
                if (seen.insert(c.name).second) input.push_back(c.name);
            for (const auto& name : contig_names)
                if (seen.insert(name).second) input.push_back(name);
            warn_unmatched_contigs(o.known, "--known", input, log);
            warn_unmatched_contigs(o.frequencies, "--frequencies", input, log);
        }
    });
    io::bcf_hdr_ptr out_header(bcf_hdr_dup(reader.header()));
    detail::add_header_lines(out_header.get(), known);
    const bool haplotypes = o.haplotypes && !reader.samples().empty();
    if (haplotypes) {
        std::string line = std::string("##INFO=<ID=HCSQ,Number=.,Type=String,Description=\"Haplotype-aware consequences from precis: ") +
                           "phased alleles of one haplotype in the same codon, or a frameshift with the alleles that restore the frame, " +
                           "combined on one transcript (at the first member record; Variants lists them all). Format: " + detail::hcsq_format() + "\">";
        if (bcf_hdr_append(out_header.get(), line.c_str()) != 0 || bcf_hdr_sync(out_header.get()) != 0)
            throw runtime_failure("cannot add the HCSQ header line");
    }
    detail::record_context ctx;
    ctx.genes = &genes;
    ctx.genome = &genome;
    for (int rid = 0; rid < reader.header()->n[BCF_DT_CTG]; ++rid) {
        auto g = genome.find(bcf_hdr_id2name(reader.header(), rid));
        ctx.sequences.push_back(g == genome.end() ? nullptr : &g->second);
    }
    ctx.known = &known;
    ctx.panel = &panel;
    ctx.in_header = reader.header();
    ctx.file = o.vcf.string();
    ctx.out_header = out_header.get();
    ctx.samples = reader.samples();
    ctx.want_tsv = !o.tsv.empty();
    ctx.want_findings = !o.findings.empty();
    ctx.haplotypes = haplotypes;
    // Without the haplotype pass, small batches keep each record's data in cache from analysis to text.
    const std::size_t batch_size = haplotypes ? chunk_records(ctx.samples.size()) : 2048;

    annotate_summary summary;
    const auto vcf_part = part_path(o.out, "vcf", comm.rank());
    const auto tsv_part = part_path(o.out, "tsv", comm.rank());
    const auto findings_part = part_path(o.out, "findings", comm.rank());
    const auto index_part = part_path(o.out, "index", comm.rank());
    temp_files cleanup;
    for (const auto& p : {vcf_part, tsv_part, findings_part, index_part}) cleanup.add(p);
    if (comm.is_root()) cleanup.add(part_path(o.out, "header", 0));
    // Warnings about bad records: the first few of each kind on this rank, in file order (rank 0 reports
    // the first few of the file's, after the run).
    std::vector<std::pair<std::string, std::string>> examples;
    std::map<std::string, int> kept;
    mpi::run_collectively(comm, [&] {
        // The VCF part is a run of BGZF blocks (no EOF block) that the annotating threads compress, a
        // chunk at a time (blocks end at chunk ends, which depend on the input only).
        std::ofstream part(vcf_part, std::ios::binary);
        if (!part) throw runtime_failure(vcf_part.string() + ": cannot create");
        std::ofstream index(index_part, std::ios::binary);
        if (!index) throw runtime_failure(index_part.string() + ": cannot create");
        std::uint64_t part_size = 0;  // compressed bytes written to the part so far
        std::ofstream tsv, findings;
        if (ctx.want_tsv) tsv.open(tsv_part, std::ios::binary);
        if (ctx.want_findings) findings.open(findings_part, std::ios::binary);
        // Read (serial, in order) -> annotate (parallel) -> write (serial, in order), over batches that
        // never cross a window, so that at one thread and at many the same bytes come out.
        struct batch {
            std::vector<io::bcf1_ptr> recs;
            std::vector<std::int64_t> number;
            std::vector<detail::record_output> outs;
            std::deque<detail::compound> compounds;
            std::shared_ptr<const std::string> seq;  // the chunk's contig (lazy loading), null otherwise
            std::string text, compressed;  // the chunk's VCF lines and their BGZF blocks
            std::vector<index_entry> index;  // the .tbi entries of the chunk's records (block offsets in the chunk)
            std::size_t n = 0;      // records of the chunk: recs[0, n), written
            std::size_t total = 0;  // plus context records recs[n, total) for the haplotype pass, not written
        };
        // Haplotype context: the records of the coding transcripts that straddle a chunk's first or last
        // position are read again by the chunk on each side, so that both see the whole transcript and
        // combine its alleles the same way, whatever the windows, chunks and ranks.
        std::unique_ptr<io::vcf_reader> context_reader;
        if (ctx.haplotypes && windows.front().tid >= 0) {
            context_reader = std::make_unique<io::vcf_reader>(o.vcf);
            if (!context_reader->load_index()) throw runtime_failure(o.vcf.string() + ": the index disappeared");
        }
        auto read_context = [&](batch* b, int tid, std::int64_t begin, std::int64_t end) {
            if (begin >= end) return;
            context_reader->set_region(tid, begin, end);
            while (true) {
                if (b->total == b->recs.size()) {
                    b->recs.push_back(io::make_bcf_record());
                    b->number.push_back(0);
                    b->outs.emplace_back();
                }
                if (!context_reader->next(b->recs[b->total].get(), BCF_UN_ALL)) break;
                b->number[b->total++] = 0;
            }
        };
        auto add_context = [&](batch* b) {
            b->total = b->n;
            if (!context_reader || b->n == 0) return;
            const bcf1_t* first = b->recs[0].get();
            const bcf1_t* last = b->recs[b->n - 1].get();
            const std::string contig = bcf_hdr_id2name(reader.header(), first->rid);
            std::int64_t lo = first->pos, hi = last->pos + 1;
            for (const transcript* t : genes.overlapping(contig, first->pos, first->pos + 1, 0))
                if (t->coding()) lo = std::min(lo, t->cds_begin);
            for (const transcript* t : genes.overlapping(contig, last->pos, last->pos + 1, 0))
                if (t->coding()) hi = std::max(hi, t->cds_end);
            read_context(b, first->rid, lo, first->pos);
            read_context(b, last->rid, last->pos + 1, hi);
        };
        const std::size_t tokens = static_cast<std::size_t>(std::max(2, 2 * o.threads));
        std::vector<std::unique_ptr<batch>> pool;
        tbb::concurrent_queue<batch*> free_batches;
        for (std::size_t k = 0; k < tokens; ++k) {
            auto b = std::make_unique<batch>();
            for (std::size_t i = 0; i < batch_size; ++i) b->recs.push_back(io::make_bcf_record());
            b->number.resize(batch_size);
            b->outs.resize(batch_size);
            free_batches.push(b.get());
            pool.push_back(std::move(b));
        }
        // The chunk's VCF lines as BGZF blocks of at most BGZF_BLOCK_SIZE input bytes (HTSlib's compressor,
        // default level or --compression-level), in the parallel stage: compression runs on every thread.
        // Each record's .tbi entry comes from where its line ends in those blocks: the index is built while
        // writing, as HTSlib's on-the-fly indexing (bcftools --write-index), not by reading the output again.
        auto compress_chunk = [&](batch* b) {
            b->text.clear();
            b->index.resize(b->n);
            for (std::size_t i = 0; i < b->n; ++i) {
                b->text += b->outs[i].vcf_line;
                const bcf1_t* rec = b->recs[i].get();
                const std::int64_t end = rec->pos + std::max<std::int64_t>(rec->rlen, 1);
                b->index[i] = {rec->pos, end, b->text.size(), rec->rid, 0};  // block: the line's end, for now
            }
            b->compressed.clear();
            std::vector<std::uint64_t> starts;  // compressed offset of each block in the chunk, then the end
            char block[BGZF_MAX_BLOCK_SIZE];
            for (std::size_t at = 0; at < b->text.size(); at += BGZF_BLOCK_SIZE) {
                std::size_t len = std::min<std::size_t>(BGZF_BLOCK_SIZE, b->text.size() - at), out_len = sizeof block;
                if (bgzf_compress(block, &out_len, b->text.data() + at, len, o.compression_level) != 0)
                    throw runtime_failure(vcf_part.string() + ": compression failed");
                starts.push_back(b->compressed.size());
                b->compressed.append(block, out_len);
            }
            starts.push_back(b->compressed.size());
            // A line ending at a block boundary ends at offset 0 of the next block (as bgzf_tell says).
            for (auto& e : b->index) {
                const std::uint64_t at = e.block;
                e.block = starts[at / BGZF_BLOCK_SIZE];
                e.within = static_cast<std::uint32_t>(at % BGZF_BLOCK_SIZE);
            }
        };
        auto w = bounds[comm.rank()];
        const auto w_end = bounds[comm.rank() + 1];
        // Records read by region have no file record number (the count starts at the rank's first window):
        // messages name them by CHROM:POS, the same at any rank count.
        const bool by_region = windows.front().tid >= 0;
        bool window_open = false;
        std::shared_ptr<const std::string> loaded;
        int loaded_tid = -1;
        tbb::parallel_pipeline(
            tokens,
            tbb::make_filter<void, batch*>(tbb::filter_mode::serial_in_order,
                                           [&](tbb::flow_control& fc) -> batch* {
                                               while (!window_open) {
                                                   if (w >= w_end) {
                                                       fc.stop();
                                                       return nullptr;
                                                   }
                                                   const io::vcf_window& win = windows[static_cast<std::size_t>(w)];
                                                   if (win.tid >= 0) reader.set_region(win.tid, win.begin, win.end);
                                                   window_open = true;
                                               }
                                               const int tid = windows[static_cast<std::size_t>(w)].tid;
                                               batch* b = nullptr;
                                               if (!free_batches.try_pop(b)) throw runtime_failure("annotate: no free batch");
                                               b->n = 0;
                                               bool more = true;
                                               while (b->n < batch_size && (more = reader.next(b->recs[b->n].get(), BCF_UN_ALL)))
                                                   b->number[b->n++] = by_region ? 0 : reader.records_read();
                                               // A contig's sequence is loaded at its first record (contigs of the header
                                               // without records are never read); the previous one goes with its last chunk.
                                               if (stream && b->n > 0 && tid != loaded_tid) {
                                                   const std::string name = bcf_hdr_id2name(reader.header(), tid);
                                                   loaded.reset();
                                                   if (std::find(contig_names.begin(), contig_names.end(), name) != contig_names.end())
                                                       loaded = std::make_shared<const std::string>(stream->load(name));
                                                   loaded_tid = tid;
                                               }
                                               b->seq = loaded;
                                               add_context(b);
                                               if (!more) window_open = false, ++w;
                                               return b;
                                           }) &
                tbb::make_filter<batch*, batch*>(tbb::filter_mode::parallel,
                                                 [&](batch* b) {
                                                     b->compounds.clear();
                                                     if (!ctx.haplotypes) {  // one pass per record
                                                         tbb::parallel_for(std::size_t{0}, b->n, [&](std::size_t i) {
                                                             b->outs[i].clear();
                                                             detail::analyse_record(ctx, b->recs[i].get(), b->number[i], b->outs[i], b->seq.get());
                                                             detail::finish_record(ctx, b->recs[i].get(), b->number[i], b->outs[i]);
                                                         });
                                                         compress_chunk(b);
                                                         return b;
                                                     }
                                                     tbb::parallel_for(std::size_t{0}, b->total, [&](std::size_t i) {
                                                         b->outs[i].clear();
                                                         detail::analyse_record(ctx, b->recs[i].get(), b->number[i], b->outs[i], b->seq.get());
                                                     });
                                                     std::vector<bcf1_t*> raw(b->total);
                                                     for (std::size_t i = 0; i < b->total; ++i) raw[i] = b->recs[i].get();
                                                     detail::combine_haplotypes(ctx, raw.data(), b->outs.data(), b->total, b->compounds);
                                                     tbb::parallel_for(std::size_t{0}, b->n, [&](std::size_t i) {
                                                         detail::finish_record(ctx, b->recs[i].get(), b->number[i], b->outs[i]);
                                                     });
                                                     compress_chunk(b);
                                                     return b;
                                                 }) &
                tbb::make_filter<batch*, void>(tbb::filter_mode::serial_in_order, [&](batch* b) {
                    for (std::size_t i = 0; i < b->n; ++i) {
                        const auto& r = b->outs[i];
                        for (const auto& [kind, message] : r.problems) {
                            if (o.strict) throw input_error(message + ": " + kind + " (--strict)");
                            ++summary.problems[kind];
                            if (kept[kind]++ < examples_per_kind) examples.emplace_back(kind, message);
                        }
                        if (ctx.want_tsv) tsv << r.tsv;
                        if (ctx.want_findings) findings << r.findings;
                        summary.alleles += r.alleles;
                        summary.csq_entries += r.entries;
                        summary.findings += r.finding_rows;
                    }
                    summary.records += static_cast<std::int64_t>(b->n);
                    if (!part.write(b->compressed.data(), static_cast<std::streamsize>(b->compressed.size())))
                        throw runtime_failure(vcf_part.string() + ": write failed");
                    for (auto& e : b->index) e.block += part_size;
                    if (!index.write(reinterpret_cast<const char*>(b->index.data()), static_cast<std::streamsize>(b->index.size() * sizeof(index_entry))))
                        throw runtime_failure(index_part.string() + ": write failed");
                    part_size += b->compressed.size();
                    b->seq.reset();
                    free_batches.push(b);
                }));
        if (!part.flush()) throw runtime_failure(vcf_part.string() + ": close failed");
        part.close();
        if (!index.flush()) throw runtime_failure(index_part.string() + ": close failed");
        index.close();
        if ((ctx.want_tsv && !tsv.flush()) || (ctx.want_findings && !findings.flush()))
            throw runtime_failure(o.out.string() + ": cannot write a TSV part");
    });
    std::string sent;  // kind '\0' message '\0' ...
    for (const auto& [kind, message] : examples) sent += kind + '\0' + message + '\0';
    std::map<std::string, int> shown;
    for (const std::string& part : comm.gather(sent))
        for (std::size_t at = 0; at < part.size();) {
            const std::size_t mid = part.find('\0', at), end = part.find('\0', mid + 1);
            const std::string kind = part.substr(at, mid - at);
            if (shown[kind]++ < examples_per_kind) log.warn(kind, ": ", part.substr(mid + 1, end - mid - 1));
            at = end + 1;
        }
    summary.records = comm.sum(summary.records);
    summary.alleles = comm.sum(summary.alleles);
    summary.csq_entries = comm.sum(summary.csq_entries);
    summary.findings = comm.sum(summary.findings);
    for (const char* kind : problem_kinds) {
        std::int64_t n = comm.sum(summary.problems.count(kind) ? summary.problems[kind] : 0);
        if (n > 0) summary.problems[kind] = n;
        else summary.problems.erase(kind);
    }
    comm.barrier();
    if (comm.is_root()) {
        atomic_output out(o.out);
        {
            const auto header_part = part_path(o.out, "header", 0);
            {
                char mode[3] = {'w', static_cast<char>(o.compression_level < 0 ? '\0' : '0' + o.compression_level), '\0'};
                bgzf_ptr h(bgzf_open(header_part.c_str(), mode));
                kstring_t text{0, 0, nullptr};
                if (!h || bcf_hdr_format(out_header.get(), 0, &text) != 0) throw runtime_failure(o.out.string() + ": cannot write the header");
                write_bgzf(h.get(), std::string(text.s, text.l), header_part);
                ks_free(&text);
                if (bgzf_close(h.release()) != 0) throw runtime_failure(header_part.string() + ": close failed");
            }
            std::ofstream file(out.temp_path(), std::ios::binary);
            std::uint64_t at = append_bgzf_part(file, header_part);
            std::filesystem::remove(header_part);
            // The .tbi from the parts' entries, their block offsets moved by the bytes before each part.
            using idx_ptr = std::unique_ptr<hts_idx_t, void (*)(hts_idx_t*)>;
            idx_ptr idx(hts_idx_init(0, HTS_FMT_TBI, at << 16, 14, 5), hts_idx_destroy);
            if (!idx) throw runtime_failure(o.out.string() + ": cannot start the index");
            std::vector<index_entry> entries(1 << 16);
            for (int r = 0; r < comm.size(); ++r) {
                std::ifstream in(part_path(o.out, "index", r), std::ios::binary);
                while (in) {
                    in.read(reinterpret_cast<char*>(entries.data()), static_cast<std::streamsize>(entries.size() * sizeof(index_entry)));
                    const auto got = static_cast<std::size_t>(in.gcount()) / sizeof(index_entry);
                    for (std::size_t k = 0; k < got; ++k) {
                        const index_entry& e = entries[k];
                        if (hts_idx_push(idx.get(), e.tid, e.beg, e.end, ((at + e.block) << 16) | e.within, 1) != 0)
                            throw input_error(o.vcf.string() + ": records are not sorted by contig and position, or lie beyond 2^29 (the output cannot be .tbi-indexed)");
                    }
                }
                at += append_bgzf_part(file, part_path(o.out, "vcf", r));
            }
            file.write(reinterpret_cast<const char*>(bgzf_eof), sizeof bgzf_eof);
            if (!file.flush()) throw runtime_failure(o.out.string() + ": write failed");
            out.add_companion(".tbi");  // removed with the output if saving it fails
            const std::vector<std::uint8_t> meta = tbi_meta(out_header.get());
            if (hts_idx_finish(idx.get(), at << 16) != 0 || hts_idx_set_meta(idx.get(), static_cast<uint32_t>(meta.size()), const_cast<std::uint8_t*>(meta.data()), 1) != 0 ||
                hts_idx_save_as(idx.get(), out.temp_path().c_str(), (out.temp_path().string() + ".tbi").c_str(), HTS_FMT_TBI) != 0)
                throw runtime_failure(o.out.string() + ": indexing failed");
        }
        out.commit();
        auto assemble = [&](const std::filesystem::path& final_path, const std::string& what, const std::string& header) {
            atomic_output text(final_path);
            {
                std::ofstream file(text.temp_path(), std::ios::binary);
                file << header;
                for (int r = 0; r < comm.size(); ++r) append_text_part(file, part_path(o.out, what, r));
                if (!file.flush()) throw runtime_failure(final_path.string() + ": write failed");
            }
            text.commit();
        };
        if (ctx.want_tsv) assemble(o.tsv, "tsv", detail::tsv_header());
        if (ctx.want_findings) assemble(o.findings, "findings", detail::findings_header());
    }
    comm.barrier();
    return summary;
}

}  // namespace precis::annotate
