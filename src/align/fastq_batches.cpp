// First pass over paired FASTQs and batch readers that seek to their batches (HTSlib parses FASTQ).
#include "precis/align/detail/fastq_batches.hpp"

#include <htslib/bgzf.h>
#include <htslib/sam.h>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::align::detail {

std::string base_name(const std::string& name) {
    if (name.size() > 2 && name[name.size() - 2] == '/' && (name.back() == '1' || name.back() == '2'))
        return name.substr(0, name.size() - 2);
    return name;
}

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
        for (int i = 0; i < n; ++i) {
            rec->seq[static_cast<std::size_t>(i)] = seq_nt16_str[bam_seqi(s, i)];
            rec->qual[static_cast<std::size_t>(i)] = static_cast<char>(q[0] == 0xff ? 0 : q[i]);
        }
    }
    return true;
}

void batch_reader::go_to(std::int64_t index, std::int64_t voffset, bool seekable) {
    if (index == m_index) return;
    if (seekable) {
        if (bgzf_seek(m_file->fp.bgzf, voffset, SEEK_SET) < 0)
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
    read_record x, y;
    while (true) {
        if (plan.records % batch == 0) {
            plan.offsets1.push_back(plan.seekable ? bgzf_tell(a.m_file->fp.bgzf) : 0);
            if (b) plan.offsets2.push_back(plan.seekable ? bgzf_tell(b->m_file->fp.bgzf) : 0);
        }
        bool ha = a.next(&x);
        bool hb = b ? b->next(&y) : false;
        if (!ha) {
            if (hb)
                throw input_error(r1.string() + " has " + std::to_string(plan.records) + " records but " + r2.string() +
                                  " has more: R1 and R2 must hold the same pairs");
            break;
        }
        if (b && !hb)
            throw input_error(r2.string() + " has " + std::to_string(plan.records) + " records but " + r1.string() +
                              " has more: R1 and R2 must hold the same pairs");
        ++plan.records;
        if (b && base_name(x.name) != base_name(y.name))
            throw input_error::at(r2.string(), "record " + std::to_string(plan.records),
                                  "read name '" + y.name + "' does not match '" + x.name + "' in " + r1.string());
    }
    if (plan.records % batch == 0 && !plan.offsets1.empty()) {
        plan.offsets1.pop_back();
        if (b) plan.offsets2.pop_back();
    }
    if (plan.records == 0) throw input_error(r1.string() + ": no reads");
    return plan;
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
