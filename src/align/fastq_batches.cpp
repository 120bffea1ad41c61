// First pass over paired FASTQs and batch readers that seek to their batches (HTSlib parses FASTQ).
#include "precis/align/detail/fastq_batches.hpp"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/sam.h>

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cstring>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::align::detail {

std::string base_name(const std::string& name) {
    if (name.size() > 2 && name[name.size() - 2] == '/' && (name.back() == '1' || name.back() == '2'))
        return name.substr(0, name.size() - 2);
    return name;
}

namespace {

// HTSlib reads compressed text through BGZF and uncompressed text straight from the hFILE (fp.hfile, not
// fp.bgzf): positions and seeks go to whichever the file uses.
bool plain_text(const htsFile* f) { return f->format.compression == no_compression; }

std::int64_t tell(htsFile* f) { return plain_text(f) ? static_cast<std::int64_t>(htell(f->fp.hfile)) : bgzf_tell(f->fp.bgzf); }

bool seek(htsFile* f, std::int64_t offset) {
    return plain_text(f) ? hseek(f->fp.hfile, static_cast<off_t>(offset), SEEK_SET) >= 0 : bgzf_seek(f->fp.bgzf, offset, SEEK_SET) >= 0;
}

}  // namespace

batch_reader::batch_reader(const std::filesystem::path& path) : m_path(path) {
    require_readable_file(path, "FASTQ");
    m_file.reset(hts_open(path.c_str(), "r"));
    if (!m_file) throw input_error(path.string() + ": cannot open");
    if (hts_get_format(m_file.get())->format != fastq_format)
        throw input_error(path.string() + ": not a FASTQ file (record 1 does not start with @)");
    m_header.reset(sam_hdr_read(m_file.get()));
    if (!m_header) throw input_error(path.string() + ": cannot read");
    m_rec = io::make_bam_record();
}

bool batch_reader::next(read_record* rec) {
    int rc = sam_read1(m_file.get(), m_header.get(), m_rec.get());
    if (rc == -1) return false;
    if (rc < -1)
        throw input_error::at(m_path.string(), "record " + std::to_string(m_index + 1),
                              "truncated or malformed FASTQ (expected @name, bases, +, qualities of equal length)");
    ++m_index;
    if (rec) {
        const bam1_t* b = m_rec.get();
        rec->name.assign(bam_get_qname(b));
        const int n = b->core.l_qseq;
        rec->seq.resize(static_cast<std::size_t>(n));
        rec->qual.resize(static_cast<std::size_t>(n));
        const std::uint8_t* s = bam_get_seq(b);
        const std::uint8_t* q = bam_get_qual(b);
        const bool no_qual = n > 0 && q[0] == 0xff && std::all_of(q, q + n, [](std::uint8_t v) { return v == 0xff; });
        std::uint8_t worst = 0;  // phred + 33 must be '!'..'~'; HTSlib stores a character below '!' as 255
        for (int i = 0; i < n; ++i) {
            rec->seq[static_cast<std::size_t>(i)] = seq_nt16_str[bam_seqi(s, i)];
            rec->qual[static_cast<std::size_t>(i)] = static_cast<char>(no_qual ? 0 : q[i]);
            worst = std::max(worst, q[i]);
        }
        if (!no_qual && worst > 93)
            throw input_error::at(m_path.string(), "record " + std::to_string(m_index),
                                  "a quality character outside '!'..'~'");
    }
    return true;
}

void batch_reader::go_to(std::int64_t index, std::int64_t voffset, bool seekable) {
    if (index == m_index) return;
    if (seekable) {
        if (!seek(m_file.get(), voffset))
            throw input_error(m_path.string() + ": cannot seek to record " + std::to_string(index + 1));
        m_index = index;
        return;
    }
    if (index < m_index) throw runtime_failure(m_path.string() + ": backward move in a non-seekable FASTQ");
    while (m_index < index)
        if (!next(nullptr)) throw input_error(m_path.string() + ": fewer records than the first pass counted");
}

void batch_reader::read(std::int64_t n, std::vector<read_record>& out) {
    out.resize(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        if (!next(&out[static_cast<std::size_t>(i)])) {
            out.resize(static_cast<std::size_t>(i));
            return;
        }
}

namespace {

/// One file's share of the first pass: record count, batch start offsets and a hash of every record's
/// base name (so that the two files can be scanned at the same time and compared afterwards).
struct file_scan {
    std::int64_t records = 0;
    std::vector<std::int64_t> offsets;
    std::vector<std::uint64_t> names;
};

std::uint64_t name_hash(const char* s) {
    std::size_t n = std::strlen(s);
    if (n > 2 && s[n - 2] == '/' && (s[n - 1] == '1' || s[n - 1] == '2')) n -= 2;
    std::uint64_t h = 1469598103934665603ULL;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 1099511628211ULL;
    return h;
}

}  // namespace

const char* batch_reader::current_name() const { return bam_get_qname(m_rec.get()); }

batch_plan plan_batches(const std::filesystem::path& r1, const std::filesystem::path& r2, std::int64_t batch) {
    batch_plan plan;
    plan.batch = batch;
    batch_reader a(r1);
    std::unique_ptr<batch_reader> b;
    if (!r2.empty()) b = std::make_unique<batch_reader>(r2);
    // Seekable when the text stream is BGZF or uncompressed.
    auto seekable = [](const std::filesystem::path& p) {
        BGZF* fp = bgzf_open(p.c_str(), "r");
        if (!fp) return false;
        int c = bgzf_compression(fp);
        bgzf_close(fp);
        return c == bgzf || c == no_compression;
    };
    plan.seekable = seekable(r1) && (r2.empty() || seekable(r2));
    // Both files at once (one task each): this pass runs before any mapping, on one rank.
    auto scan = [&](batch_reader& r, file_scan& out) {
        while (true) {
            if (out.records % batch == 0) out.offsets.push_back(plan.seekable ? tell(r.m_file.get()) : 0);
            if (!r.next(nullptr)) break;
            ++out.records;
            if (b) out.names.push_back(name_hash(r.current_name()));
        }
        if (out.records % batch == 0 && !out.offsets.empty()) out.offsets.pop_back();
    };
    file_scan s1, s2;
    if (b) tbb::parallel_invoke([&] { scan(a, s1); }, [&] { scan(*b, s2); });
    else scan(a, s1);
    if (b && s1.records != s2.records)
        throw input_error(unequal_pairs_message(r1, r2, std::min(s1.records, s2.records), s2.records > s1.records));
    if (b)
        for (std::size_t i = 0; i < s1.names.size(); ++i)
            if (s1.names[i] != s2.names[i]) {
                // Rare: read both files again up to the mismatch for the names in the message.
                batch_reader x(r1), y(r2);
                read_record rx, ry;
                for (std::size_t k = 0; k <= i; ++k) {
                    x.next(&rx);
                    y.next(&ry);
                }
                if (base_name(rx.name) == base_name(ry.name)) continue;  // a hash collision
                throw input_error::at(r2.string(), "record " + std::to_string(i + 1),
                                      "read name '" + ry.name + "' does not match '" + rx.name + "' in " + r1.string());
            }
    plan.records = s1.records;
    plan.offsets1 = std::move(s1.offsets);
    if (b) plan.offsets2 = std::move(s2.offsets);
    if (plan.records == 0) throw input_error(r1.string() + ": no reads");
    return plan;
}

std::string unequal_pairs_message(const std::filesystem::path& r1, const std::filesystem::path& r2, std::int64_t common,
                                  bool r2_longer) {
    return (r2_longer ? r1 : r2).string() + " has " + std::to_string(common) + " records but " +
           (r2_longer ? r2 : r1).string() + " has more: R1 and R2 must hold the same pairs";
}

std::vector<std::int64_t> encode(const batch_plan& p) {
    std::vector<std::int64_t> v{p.records, p.batch, p.seekable ? 1 : 0, static_cast<std::int64_t>(p.offsets1.size()),
                                static_cast<std::int64_t>(p.offsets2.size())};
    v.insert(v.end(), p.offsets1.begin(), p.offsets1.end());
    v.insert(v.end(), p.offsets2.begin(), p.offsets2.end());
    return v;
}

batch_plan decode(const std::vector<std::int64_t>& v) {
    batch_plan p;
    p.records = v.at(0);
    p.batch = v.at(1);
    p.seekable = v.at(2) != 0;
    auto n1 = static_cast<std::size_t>(v.at(3)), n2 = static_cast<std::size_t>(v.at(4));
    p.offsets1.assign(v.begin() + 5, v.begin() + 5 + static_cast<std::ptrdiff_t>(n1));
    p.offsets2.assign(v.begin() + 5 + static_cast<std::ptrdiff_t>(n1), v.begin() + 5 + static_cast<std::ptrdiff_t>(n1 + n2));
    return p;
}

}  // namespace precis::align::detail
