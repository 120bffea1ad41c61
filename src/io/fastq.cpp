#include "precis/io/fastq.hpp"

#include <algorithm>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::io {

fastq_reader::fastq_reader(const std::filesystem::path& path, int threads) : m_path(path) {
    require_readable_file(path, "FASTQ");
    m_file.reset(hts_open(path.c_str(), "r"));
    if (!m_file) throw input_error(path.string() + ": cannot open");
    if (hts_get_format(m_file.get())->format != fastq_format)
        throw input_error(path.string() + ": not a FASTQ file");
    if (threads > 0) hts_set_threads(m_file.get(), threads);
    m_header.reset(sam_hdr_read(m_file.get()));
    if (!m_header) throw input_error(path.string() + ": cannot read");
    m_rec = make_bam_record();
}

bool fastq_reader::next(fastq_record& rec) {
    int rc = sam_read1(m_file.get(), m_header.get(), m_rec.get());
    if (rc == -1) return false;
    if (rc < -1)
        throw input_error(m_path.string() + ": record " + std::to_string(m_records + 1) +
                          ": truncated or malformed FASTQ (expected @name, bases, +, qualities of equal length)");
    ++m_records;
    const bam1_t* b = m_rec.get();
    rec.name.assign(bam_get_qname(b));
    rec.sequence.resize(b->core.l_qseq);
    rec.quality.resize(b->core.l_qseq);
    const std::uint8_t* seq = bam_get_seq(b);
    const std::uint8_t* qual = bam_get_qual(b);
    const int n = b->core.l_qseq;
    const bool no_qual = n > 0 && std::all_of(qual, qual + n, [](std::uint8_t v) { return v == 0xff; });
    for (int i = 0; i < n; ++i) {
        rec.sequence[i] = seq_nt16_str[bam_seqi(seq, i)];
        if (!no_qual && qual[i] > 93)  // phred + 33 must be '!'..'~'; HTSlib stores a character below '!' as 255
            throw input_error(m_path.string() + ": record " + std::to_string(m_records) +
                              ": a quality character outside '!'..'~'");
        rec.quality[i] = static_cast<char>(no_qual ? '!' : qual[i] + 33);
    }
    return true;
}

fastq_writer::fastq_writer(const std::filesystem::path& path, int threads) : m_path(path), m_out(path) {
    require_output_dir(path, "output");
    m_file.reset(hts_open(m_out.temp_path().c_str(), write_mode_for(path.string()).c_str()));
    if (!m_file) throw input_error(path.string() + ": cannot create");
    if (threads > 0) hts_set_threads(m_file.get(), threads);
    m_header.reset(sam_hdr_init());
    m_rec = make_bam_record();
}

void fastq_writer::write(const fastq_record& rec) {
    std::string qual(rec.quality.size(), '\0');
    for (std::size_t i = 0; i < qual.size(); ++i) qual[i] = static_cast<char>(rec.quality[i] - 33);
    if (bam_set1(m_rec.get(), rec.name.size(), rec.name.c_str(), BAM_FUNMAP, -1, -1, 0, 0, nullptr, -1, -1, 0,
                 rec.sequence.size(), rec.sequence.c_str(), qual.c_str(), 0) < 0 ||
        sam_write1(m_file.get(), m_header.get(), m_rec.get()) < 0)
        throw runtime_failure(m_path.string() + ": write failed");
}

void fastq_writer::close() {
    if (hts_close(m_file.release()) != 0) throw runtime_failure(m_path.string() + ": write failed on close");
    m_out.commit();
}

}  // namespace precis::io
