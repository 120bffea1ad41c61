#include "precis/io/fasta.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

namespace precis::io {

fasta_reader::fasta_reader(const std::filesystem::path& path) : m_path(path) {
    require_readable_file(path, "FASTA");
    m_fai.reset(fai_load3(path.c_str(), nullptr, nullptr, FAI_CREATE));
    if (!m_fai)
        throw input_error(path.string() +
                          ": not a valid FASTA file, or its index cannot be built (lines of a sequence must have "
                          "equal length; bgzip, not gzip, if compressed)");
    if (faidx_nseq(m_fai.get()) == 0) throw input_error(path.string() + ": FASTA holds no sequences");
}

int fasta_reader::contig_count() const { return faidx_nseq(m_fai.get()); }

std::string fasta_reader::contig_name(int index) const { return faidx_iseq(m_fai.get(), index); }

bool fasta_reader::has_contig(const std::string& contig) const {
    return faidx_has_seq(m_fai.get(), contig.c_str()) != 0;
}

std::int64_t fasta_reader::contig_length(const std::string& contig) const {
    if (!has_contig(contig)) throw input_error(m_path.string() + ": no contig named '" + contig + "'");
    return faidx_seq_len(m_fai.get(), contig.c_str());
}

std::string fasta_reader::fetch(const std::string& contig, std::int64_t begin, std::int64_t end) const {
    std::int64_t length = contig_length(contig);
    end = std::min(end, length);
    if (begin >= end) return {};
    hts_pos_t got = 0;
    char* seq = faidx_fetch_seq64(m_fai.get(), contig.c_str(), begin, end - 1, &got);
    if (!seq || got < 0)
        throw input_error(m_path.string() + ": cannot read " + contig + ":" + std::to_string(begin + 1) + "-" +
                          std::to_string(end));
    std::string out(seq, static_cast<std::size_t>(got));
    std::free(seq);
    return out;
}

void write_fasta(const std::filesystem::path& path, const std::vector<std::string>& names,
                 const std::vector<std::string>& sequences) {
    atomic_output out(path);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        for (std::size_t i = 0; i < names.size(); ++i) {
            file << '>' << names[i] << '\n';
            const std::string& s = sequences[i];
            for (std::size_t at = 0; at < s.size(); at += 60) file.write(s.data() + at, std::min<std::size_t>(60, s.size() - at)) << '\n';
        }
        if (!file.flush()) throw runtime_failure(path.string() + ": write failed");
    }
    std::string fai = out.temp_path().string() + ".fai";
    if (fai_build3(out.temp_path().c_str(), fai.c_str(), nullptr) != 0)
        throw runtime_failure(path.string() + ": cannot build the .fai index");
    out.add_companion(".fai");
    out.commit();
}

}  // namespace precis::io
