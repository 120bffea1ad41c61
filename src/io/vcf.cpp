#include "precis/io/vcf.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::io {

namespace {

std::string bcf_error_text(int errcode) {
    std::string out;
    auto add = [&](int flag, const char* text) {
        if (errcode & flag) out += (out.empty() ? "" : "; ") + std::string(text);
    };
    add(BCF_ERR_CTG_UNDEF, "contig not declared in the header");
    add(BCF_ERR_TAG_UNDEF, "a FILTER, INFO or FORMAT tag not declared in the header");
    add(BCF_ERR_NCOLS, "wrong number of columns");
    add(BCF_ERR_LIMITS, "a value exceeds HTSlib limits");
    add(BCF_ERR_CHAR, "invalid character");
    add(BCF_ERR_CTG_INVALID, "invalid contig name");
    add(BCF_ERR_TAG_INVALID, "invalid tag or value");
    return out.empty() ? "malformed record" : out;
}

}  // namespace

vcf_reader::vcf_reader(const std::filesystem::path& path, int threads) : m_path(path) {
    require_readable_file(path, "VCF");
    m_file.reset(hts_open(path.c_str(), "r"));
    if (!m_file) throw input_error(path.string() + ": cannot open");
    auto category = hts_get_format(m_file.get())->category;
    auto format = hts_get_format(m_file.get())->format;
    if (category != variant_data || (format != vcf && format != bcf))
        throw input_error(path.string() + ": not a VCF or BCF file");
    if (threads > 0) hts_set_threads(m_file.get(), threads);
    m_header.reset(bcf_hdr_read(m_file.get()));
    if (!m_header)
        throw input_error(path.string() + ": malformed VCF header (HTSlib refuses it: duplicate sample names, a bad ## line "
                                          "or #CHROM line are the usual causes; 'bcftools view -h' names the fault)");
}

std::vector<std::string> vcf_reader::samples() const {
    std::vector<std::string> out;
    for (int i = 0; i < bcf_hdr_nsamples(m_header.get()); ++i) out.emplace_back(m_header->samples[i]);
    return out;
}

std::vector<contig_info> vcf_reader::contigs() const {
    std::vector<contig_info> out;
    int n = 0;
    const char** names = bcf_hdr_seqnames(m_header.get(), &n);
    for (int i = 0; i < n; ++i) {
        contig_info c{names[i], -1};
        bcf_hrec_t* hrec = bcf_hdr_get_hrec(m_header.get(), BCF_HL_CTG, "ID", names[i], nullptr);
        if (hrec) {
            int k = bcf_hrec_find_key(hrec, "length");
            if (k >= 0) c.length = std::strtoll(hrec->vals[k], nullptr, 10);
        }
        out.push_back(std::move(c));
    }
    std::free(names);
    return out;
}

bool vcf_reader::load_index() {
    if (m_index || m_tbx) return true;
    if (hts_get_format(m_file.get())->format == bcf) {
        m_index.reset(bcf_index_load(m_path.c_str()));
        check_index_fits(m_path, m_index.get());
        return static_cast<bool>(m_index);
    }
    if (hts_get_format(m_file.get())->compression != bgzf) return false;
    m_tbx.reset(tbx_index_load3(m_path.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
    if (m_tbx) check_index_fits(m_path, m_tbx->idx);
    return static_cast<bool>(m_tbx);
}

std::vector<std::int64_t> vcf_reader::indexed_record_counts() const {
    const hts_idx_t* idx = m_index ? m_index.get() : (m_tbx ? m_tbx->idx : nullptr);
    if (!idx) throw runtime_failure(m_path.string() + ": no index loaded");
    std::vector<std::int64_t> counts;
    int n = 0;
    const char** names = bcf_hdr_seqnames(m_header.get(), &n);
    for (int tid = 0; tid < n; ++tid) {
        std::uint64_t mapped = 0, unmapped = 0;
        int idx_tid = tid;
        if (m_tbx) idx_tid = tbx_name2id(m_tbx.get(), names[tid]);
        if (idx_tid < 0 || hts_idx_get_stat(idx, idx_tid, &mapped, &unmapped) < 0) mapped = 0;
        counts.push_back(static_cast<std::int64_t>(mapped));
    }
    std::free(names);
    return counts;
}

void vcf_reader::set_region(int tid, std::int64_t begin, std::int64_t end) {
    if (!m_index && !m_tbx) throw runtime_failure(m_path.string() + ": region query without an index");
    m_region_begin = begin;
    m_region_end = end;
    m_in_region = true;
    if (m_index) {
        m_itr.reset(bcf_itr_queryi(m_index.get(), tid, begin, end));
    } else {
        int idx_tid = tbx_name2id(m_tbx.get(), bcf_hdr_id2name(m_header.get(), tid));
        m_itr.reset(idx_tid < 0 ? nullptr : tbx_itr_queryi(m_tbx.get(), idx_tid, begin, end));
    }
    if (!m_itr) m_region_end = m_region_begin;  // contig has no records: an empty region
}

bool vcf_reader::read_raw(bcf1_t* rec) {
    int rc = 0;
    const bool text = hts_get_format(m_file.get())->format == vcf;
    if (!m_index && !m_tbx) {
        rc = text ? hts_getline(m_file.get(), '\n', &m_line) : bcf_read(m_file.get(), m_header.get(), rec);
    } else if (!m_itr) {
        return false;
    } else if (m_index) {
        rc = bcf_itr_next(m_file.get(), m_itr.get(), rec);
    } else {
        rc = tbx_itr_next(m_file.get(), m_tbx.get(), m_itr.get(), &m_line);
    }
    if (rc == -1) return false;
    ++m_records;
    std::size_t columns = 0;  // of a text line, counted before HTSlib parses it
    if (text && rc >= 0) {
        columns = column_count();
        if (vcf_parse(&m_line, m_header.get(), rec) < 0) rc = -2;
    }
    if (rc < -1 || rec->errcode) {
        // The record did not parse; in a region its CHROM:POS come from the text line (whose tabs the
        // parser may have turned into NULs).
        std::string name = "record " + std::to_string(m_records);
        if (m_in_region && text) {
            const std::string_view line(m_line.s, m_line.l), separators("\t\0", 2);
            auto tab = line.find_first_of(separators);
            name = std::string(line.substr(0, line.find_first_of(separators, tab + 1)));
            if (tab < name.size()) name[tab] = ':';
            if (name.size() > 60) name = name.substr(0, 60) + "...";
        }
        throw input_error(m_path.string() + ": " + name + ": " + bcf_error_text(rec->errcode));
    }
    if (rec->pos < 0) throw input_error(where(rec) + ": POS must be a positive integer");
    if (rec->n_fmt == 0 && bcf_hdr_nsamples(m_header.get()) > 0)
        throw input_error(where(rec) + ": no FORMAT and sample columns, but the header names " +
                          std::to_string(bcf_hdr_nsamples(m_header.get())) + " samples (a truncated line?)");
    // HTSlib drops sample columns beyond the header's without a word. (A header subset by
    // bcf_hdr_set_samples still describes the file's columns by its original count.)
    const auto samples = static_cast<std::size_t>(m_header->keep_samples ? m_header->nsamples_ori : bcf_hdr_nsamples(m_header.get()));
    if (const std::size_t most = 9 + samples; columns > most)
        throw input_error(where(rec) + ": " + std::to_string(columns) + " columns, but the header names " + std::to_string(samples) +
                          " samples (" + std::to_string(most) + " columns at most): the extra values would be lost");
    return true;
}

// Tab-separated columns of the text line in m_line, trailing tabs aside.
std::size_t vcf_reader::column_count() const {
    std::string_view line(m_line.s, m_line.l);
    while (!line.empty() && (line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    return static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t')) + 1;
}

bool vcf_reader::next(bcf1_t* rec, int unpack) {
    while (read_raw(rec)) {
        // A region holds the records that start in it, so that adjacent regions never share a record.
        if (m_itr && (rec->pos < m_region_begin || rec->pos >= m_region_end)) {
            if (rec->pos >= m_region_end) return false;
            continue;
        }
        if (bcf_unpack(rec, unpack) < 0) throw input_error(where(rec) + ": cannot decode record");
        if (unpack & BCF_UN_STR)
            for (int a = 0; a < rec->n_allele; ++a)
                if (rec->d.allele[a][0] == '\0' || (a > 0 && std::string_view(rec->d.allele[a]) == "."))  // HTSlib reads an empty ALT as "."
                    throw input_error(where(rec) + ": empty " + (a ? "ALT" : "REF") + " allele");
        return true;
    }
    return false;
}

std::string vcf_reader::where(const bcf1_t* rec) const {
    std::string locus = std::string(bcf_seqname_safe(m_header.get(), rec)) + ":" + std::to_string(rec->pos + 1);
    if (m_in_region) return m_path.string() + ": " + locus;
    return m_path.string() + ": record " + std::to_string(m_records) + " (" + locus + ")";
}

vcf_writer::vcf_writer(const std::filesystem::path& path, const bcf_hdr_t* header, int threads)
    : m_path(path), m_out(path) {
    require_output_dir(path, "output");
    m_file.reset(hts_open(m_out.temp_path().c_str(), write_mode_for(path.string()).c_str()));
    if (!m_file) throw input_error(path.string() + ": cannot create");
    if (threads > 0) hts_set_threads(m_file.get(), threads);
    m_header.reset(bcf_hdr_dup(header));
    if (!m_header || bcf_hdr_write(m_file.get(), m_header.get()) != 0)
        throw runtime_failure(path.string() + ": cannot write the VCF header");
}

void vcf_writer::write(bcf1_t* rec) {
    if (bcf_write(m_file.get(), m_header.get(), rec) != 0)
        throw runtime_failure(m_path.string() + ": write failed at " + bcf_seqname_safe(m_header.get(), rec) + ":" +
                              std::to_string(rec->pos + 1));
}

void vcf_writer::close(bool index) {
    bool compressed = hts_get_format(m_file.get())->compression == bgzf ||
                      hts_get_format(m_file.get())->format == bcf;
    if (hts_close(m_file.release()) != 0) throw runtime_failure(m_path.string() + ": write failed on close");
    if (index && compressed) {
        bool is_bcf = m_path.extension() == ".bcf";
        std::string suffix = is_bcf ? ".csi" : ".tbi";
        std::string fnidx = m_out.temp_path().string() + suffix;
        m_out.add_companion(suffix);
        if (bcf_index_build3(m_out.temp_path().c_str(), fnidx.c_str(), is_bcf ? 14 : 0, 0) != 0)
            throw runtime_failure(m_path.string() + ": cannot build the index");
    }
    m_out.commit();
}

}  // namespace precis::io
