// precis call: validate the inputs, plan chunks balanced by read count, call this rank's chunks with TBB
// threads, and let rank 0 write every rank's records in genome order.
#include "precis/call/call.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "precis/call/detail/chunk_caller.hpp"
#include "precis/call/detail/regions.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/io/fasta.hpp"
#include "precis/io/sam.hpp"
#include "precis/io/vcf.hpp"
#include "precis/mpi/communicator.hpp"
#include "precis/mpi/partition.hpp"

namespace precis::call {

namespace {

using detail::chunk;

std::string header_tag(sam_hdr_t* h, const char* type, int pos, const char* key) {
    kstring_t ks{0, 0, nullptr};
    std::string value;
    if (sam_hdr_find_tag_pos(h, type, pos, key, &ks) == 0) value.assign(ks.s, ks.l);
    free(ks.s);
    return value;
}

// Checks one BAM against the FASTA; returns its sample name and fills the BAM tid of each FASTA contig.
std::string check_bam(const std::filesystem::path& bam, const std::filesystem::path& ref, const io::fasta_reader& fasta,
                      std::vector<int>& tids) {
    io::sam_reader reader(bam, ref);
    auto* h = const_cast<sam_hdr_t*>(reader.header());
    kstring_t ks{0, 0, nullptr};
    std::string so;
    if (sam_hdr_find_tag_hd(h, "SO", &ks) == 0) so.assign(ks.s, ks.l);
    free(ks.s);
    if (!so.empty() && so != "coordinate")
        throw input_error(bam.string() + ": not coordinate-sorted (@HD SO:" + so + "); sort it with samtools sort and index it");
    if (!reader.load_index())
        throw input_error(bam.string() + ": no index (.bai/.csi/.crai); sort and index it (samtools sort, samtools index)");
    const int n_targets = sam_hdr_nref(h);
    if (n_targets == 0) throw input_error(bam.string() + ": no @SQ contigs in the header");
    tids.assign(static_cast<std::size_t>(fasta.contig_count()), -1);
    std::map<std::string, int> fasta_index;
    for (int c = 0; c < fasta.contig_count(); ++c) fasta_index[fasta.contig_name(c)] = c;
    for (int t = 0; t < n_targets; ++t) {
        std::string name = sam_hdr_tid2name(h, t);
        auto it = fasta_index.find(name);
        if (it == fasta_index.end())
            throw input_error(bam.string() + ": contig " + name + " is not in the reference " + fasta.path().string() +
                              " (aligned to another reference?)");
        const std::int64_t len = sam_hdr_tid2len(h, t);
        const std::int64_t ref_len = fasta.contig_length(name);
        if (len != ref_len)
            throw input_error(bam.string() + ": contig " + name + " has length " + std::to_string(len) + " but " +
                              std::to_string(ref_len) + " in the reference " + fasta.path().string());
        tids[static_cast<std::size_t>(it->second)] = t;
    }
    std::set<std::string> samples;
    const int n_rg = sam_hdr_count_lines(h, "RG");
    for (int i = 0; i < n_rg; ++i) {
        std::string sm = header_tag(h, "RG", i, "SM");
        if (sm.empty()) throw input_error(bam.string() + ": read group " + header_tag(h, "RG", i, "ID") + " has no SM (sample name)");
        samples.insert(sm);
    }
    if (samples.empty())
        throw input_error(bam.string() + ": no sample name (no @RG line with SM); add one with samtools addreplacerg -r 'ID:x\\tSM:NAME'");
    if (samples.size() > 1)
        throw input_error(bam.string() + ": several samples in one file (@RG SM " + *samples.begin() + ", " +
                          *std::next(samples.begin()) + "); give one BAM per sample");
    return *samples.begin();
}

// Work estimate per chunk: compressed bytes of the BAM index's read chunks (plus a little per base).
std::vector<double> chunk_weights(const std::vector<chunk>& chunks, const detail::caller_inputs& in) {
    std::vector<double> w(chunks.size(), 0.0);
    for (std::size_t i = 0; i < chunks.size(); ++i) w[i] = static_cast<double>(chunks[i].end - chunks[i].begin) * 1e-3;
    for (std::size_t s = 0; s < in.bams.size(); ++s) {
        io::hts_file_ptr f(hts_open(in.bams[s].c_str(), "r"));
        if (!f) throw input_error(in.bams[s].string() + ": cannot open");
        io::hts_idx_ptr idx(sam_index_load(f.get(), in.bams[s].c_str()));
        if (!idx) throw input_error(in.bams[s].string() + ": no index");
        if (hts_get_format(f.get())->format != bam) continue;  // CRAM: by length only
        for (std::size_t i = 0; i < chunks.size(); ++i) {
            const int tid = in.bam_tids[s][static_cast<std::size_t>(chunks[i].contig)];
            if (tid < 0) continue;
            io::hts_itr_ptr itr(sam_itr_queryi(idx.get(), tid, chunks[i].begin, chunks[i].end));
            if (!itr) continue;
            for (int k = 0; k < itr->n_off; ++k)
                w[i] += static_cast<double>((itr->off[k].v >> 16) - (itr->off[k].u >> 16)) + 1.0;
        }
    }
    return w;
}

bcf_hdr_t* make_header(const call_options& o, const detail::caller_inputs& in, const std::vector<std::string>& samples) {
    bcf_hdr_t* h = bcf_hdr_init("w");
    auto add = [&](const std::string& line) {
        if (bcf_hdr_append(h, line.c_str()) != 0) throw runtime_failure("cannot build the VCF header line " + line);
    };
    std::ostringstream min_qual;
    min_qual << o.min_qual;
    add("##FILTER=<ID=LowQual,Description=\"QUAL below " + min_qual.str() + " (--min-qual)\">");
    add("##FILTER=<ID=LowDepth,Description=\"Total read depth below " + std::to_string(o.min_depth) + " (--min-depth)\">");
    add("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Reads used at the site, all samples\">");
    add("##INFO=<ID=AC,Number=A,Type=Integer,Description=\"ALT allele count in the called genotypes\">");
    add("##INFO=<ID=AN,Number=1,Type=Integer,Description=\"Alleles in the called genotypes\">");
    add("##INFO=<ID=INDEL,Number=0,Type=Flag,Description=\"Insertion or deletion site\">");
    add("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">");
    add("##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Phred-scaled genotype quality (capped at 99)\">");
    add("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Reads used at the site\">");
    add("##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Reads supporting each allele\">");
    add("##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Phred-scaled genotype likelihoods, normalised\">");
    for (std::size_t c = 0; c < in.contig_names.size(); ++c)
        add("##contig=<ID=" + in.contig_names[c] + ",length=" + std::to_string(in.contig_lengths[c]) + ">");
    add("##reference=file://" + std::filesystem::weakly_canonical(std::filesystem::absolute(o.ref)).string());
    std::string cmd = o.command_line;
    std::replace(cmd.begin(), cmd.end(), '\n', ' ');
    add("##precisCommand=" + cmd);
    for (const auto& s : samples)
        if (bcf_hdr_add_sample(h, s.c_str()) != 0) throw runtime_failure("cannot add sample " + s + " to the VCF header");
    if (bcf_hdr_sync(h) != 0) throw runtime_failure("cannot build the VCF header");
    return h;
}

std::filesystem::path part_path(const std::filesystem::path& out, int rank) {
    return out.parent_path() / ("." + out.filename().string() + ".precis-call." + std::to_string(rank));
}

}  // namespace

call_summary run(const call_options& o, MPI_Comm comm_handle, const logger& log) {
    mpi::communicator comm(comm_handle);
    require_readable_file(o.ref, "--ref");
    if (o.bams.empty()) throw input_error("--bam: give at least one BAM or CRAM file");
    for (const auto& b : o.bams) require_readable_file(b, "--bam");
    require_output_dir(o.out, "--out");
    const std::string out_name = o.out.string();
    if (!(out_name.ends_with(".vcf.gz") || out_name.ends_with(".bcf") || out_name.ends_with(".vcf.bgz")))
        throw input_error("--out " + out_name + ": must end in .vcf.gz or .bcf (bgzipped and indexed output)");

    io::fasta_reader fasta(o.ref);
    detail::caller_inputs in;
    in.ref = o.ref;
    in.bams = o.bams;
    for (int c = 0; c < fasta.contig_count(); ++c) {
        in.contig_names.push_back(fasta.contig_name(c));
        in.contig_lengths.push_back(fasta.contig_length(in.contig_names.back()));
    }
    call_summary summary;
    std::set<std::string> seen;
    for (const auto& bam : o.bams) {
        in.bam_tids.emplace_back();
        std::string sample = check_bam(bam, o.ref, fasta, in.bam_tids.back());
        if (!seen.insert(sample).second)
            throw input_error(bam.string() + ": sample " + sample + " already comes from another --bam");
        summary.samples.push_back(sample);
    }
    auto regions = detail::parse_regions(o.regions, in.contig_names, in.contig_lengths);

    std::vector<chunk> chunks;
    for (const auto& r : regions)
        for (std::int64_t b = r.begin; b < r.end; b += o.chunk_size) chunks.push_back({r.contig, b, std::min(r.end, b + o.chunk_size)});
    summary.chunks = static_cast<std::int64_t>(chunks.size());
    auto bounds = mpi::weighted_boundaries(chunk_weights(chunks, in), comm.size());
    const auto first = static_cast<std::size_t>(bounds[static_cast<std::size_t>(comm.rank())]);
    const auto last = static_cast<std::size_t>(bounds[static_cast<std::size_t>(comm.rank()) + 1]);
    log.info(summary.samples.size(), " sample(s), ", chunks.size(), " chunks of up to ", o.chunk_size, " bases over ",
             regions.size(), " region(s), ", comm.size(), " rank(s) x ", o.threads, " thread(s)");

    detail::caller_params params;
    params.min_mapq = o.min_mapq;
    params.min_baseq = o.min_baseq;
    params.min_qual = o.min_qual;
    params.min_depth = o.min_depth;
    params.snv_prior = o.snv_prior;
    params.indel_prior = o.indel_prior;

    std::vector<std::string> texts(last - first);
    {
        tbb::enumerable_thread_specific<std::unique_ptr<detail::chunk_caller>> callers;
        progress bar("calling (rank 0's chunks)", last - first, "chunks", comm.is_root() && log.enabled(log_level::info));
        tbb::parallel_for(std::size_t{0}, last - first, [&](std::size_t i) {
            auto& caller = callers.local();
            if (!caller) caller = std::make_unique<detail::chunk_caller>(in, params);
            texts[i] = caller->call(chunks[first + i]);
            bar.add(1);
        }, tbb::simple_partitioner());
        bar.finish();
    }
    temp_files parts;  // this rank's records, removed also when a signal (MPI_Abort's) ends the rank
    const std::filesystem::path& part = parts.add(part_path(o.out, comm.rank()));
    {
        std::ofstream f(part, std::ios::binary);
        for (const auto& t : texts) f << t;
        if (!f.flush()) throw runtime_failure(part.string() + ": write failed");
    }
    texts.clear();
    comm.barrier();

    std::int64_t records = 0, snvs = 0, indels = 0, passing = 0;
    if (comm.is_root()) {
        io::bcf_hdr_ptr header(make_header(o, in, summary.samples));
        io::vcf_writer writer(o.out, header.get(), std::max(0, o.threads - 1));
        auto rec = io::make_bcf_record();
        kstring_t ks{0, 0, nullptr};
        for (int r = 0; r < comm.size(); ++r) {
            std::ifstream f(part_path(o.out, r), std::ios::binary);
            if (!f) throw runtime_failure(part_path(o.out, r).string() + ": cannot read this rank's records");
            std::string line;
            while (std::getline(f, line)) {
                ks.l = 0;
                kputsn(line.data(), line.size(), &ks);
                if (vcf_parse(&ks, writer.header(), rec.get()) != 0) {
                    free(ks.s);
                    throw runtime_failure(o.out.string() + ": cannot encode record " + line.substr(0, 60));
                }
                writer.write(rec.get());
                ++records;
                if (line.find(";INDEL") != std::string::npos) ++indels; else ++snvs;
                if (bcf_has_filter(writer.header(), rec.get(), const_cast<char*>("PASS")) == 1) ++passing;
            }
        }
        free(ks.s);
        writer.close();
    }
    comm.barrier();
    summary.records = comm.sum(records);
    summary.snv_records = comm.sum(snvs);
    summary.indel_records = comm.sum(indels);
    summary.passing = comm.sum(passing);
    return summary;
}

}  // namespace precis::call
