#include "precis/io/sam.hpp"

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::io {

sam_reader::sam_reader(const std::filesystem::path& path, const std::filesystem::path& reference, int threads)
    : m_path(path) {
    require_readable_file(path, "alignment file");
    m_file.reset(hts_open(path.c_str(), "r"));
    if (!m_file) throw input_error(path.string() + ": cannot open");
    if (hts_get_format(m_file.get())->category != sequence_data)
        throw input_error(path.string() + ": not a SAM, BAM or CRAM file");
    if (!reference.empty() && hts_set_fai_filename(m_file.get(), reference.c_str()) != 0)
        throw input_error(reference.string() + ": cannot use as the CRAM reference");
    if (threads > 0) hts_set_threads(m_file.get(), threads);
    m_header.reset(sam_hdr_read(m_file.get()));
    if (!m_header) throw input_error(path.string() + ": malformed header");
}

bool sam_reader::load_index() {
    if (!m_index) {
        m_index.reset(sam_index_load(m_file.get(), m_path.c_str()));
        if (m_index) check_index_fits(m_path, m_index.get(), hts_idx_get_n_no_coor(m_index.get()) == 0);
    }
    return static_cast<bool>(m_index);
}

void sam_reader::set_region(int tid, std::int64_t begin, std::int64_t end) {
    if (!m_index) throw runtime_failure(m_path.string() + ": region query without an index");
    m_itr.reset(sam_itr_queryi(m_index.get(), tid, begin, end));
    if (!m_itr) throw input_error(m_path.string() + ": cannot query reference " + std::to_string(tid));
    m_region = std::string(sam_hdr_tid2name(m_header.get(), tid)) + ":" + std::to_string(begin + 1) + "-" +
               std::to_string(end);
}

bool sam_reader::next(bam1_t* rec) {
    int rc = m_itr ? sam_itr_next(m_file.get(), m_itr.get(), rec) : sam_read1(m_file.get(), m_header.get(), rec);
    if (rc == -1) return false;
    ++m_records;
    if (rc < -1)
        throw input_error(m_path.string() + ": " +
                          (m_region.empty() ? "record " + std::to_string(m_records) + ": malformed or truncated"
                                            : "a malformed or truncated record in " + m_region));
    return true;
}

sam_writer::sam_writer(const std::filesystem::path& path, const sam_hdr_t* header,
                       const std::filesystem::path& reference, int threads)
    : m_path(path), m_out(path) {
    require_output_dir(path, "output");
    m_file.reset(hts_open(m_out.temp_path().c_str(), write_mode_for(path.string()).c_str()));
    if (!m_file) throw input_error(path.string() + ": cannot create");
    if (!reference.empty() && hts_set_fai_filename(m_file.get(), reference.c_str()) != 0)
        throw input_error(reference.string() + ": cannot use as the CRAM reference");
    if (threads > 0) hts_set_threads(m_file.get(), threads);
    m_header.reset(sam_hdr_dup(header));
    if (!m_header || sam_hdr_write(m_file.get(), m_header.get()) != 0)
        throw runtime_failure(path.string() + ": cannot write the header");
}

void sam_writer::write(const bam1_t* rec) {
    if (sam_write1(m_file.get(), m_header.get(), rec) < 0) throw runtime_failure(m_path.string() + ": write failed");
}

void sam_writer::close(bool index) {
    bool is_cram = hts_get_format(m_file.get())->format == htsExactFormat::cram;
    bool is_bam = hts_get_format(m_file.get())->format == htsExactFormat::bam;
    if (hts_close(m_file.release()) != 0) throw runtime_failure(m_path.string() + ": write failed on close");
    if (index && (is_bam || is_cram)) {
        std::string suffix = is_cram ? ".crai" : ".bai";
        std::string fnidx = m_out.temp_path().string() + suffix;
        m_out.add_companion(suffix);
        if (sam_index_build3(m_out.temp_path().c_str(), fnidx.c_str(), 0, 0) != 0)
            throw runtime_failure(m_path.string() + ": cannot build the index (is it coordinate-sorted?)");
    }
    m_out.commit();
}

}  // namespace precis::io
