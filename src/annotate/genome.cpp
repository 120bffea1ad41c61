// Reference loading: names and lengths from the .fai, bases in one sequential pass of whole lines.
#include "precis/annotate/detail/genome.hpp"

#include <htslib/bgzf.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "precis/core/error.hpp"
#include "precis/io/fasta.hpp"

namespace {

// `bases` of `name` when it has the length the .fai gives (-1: the .fai lacks it), else input_error.
std::string checked_length(std::string bases, std::int64_t expected, const std::filesystem::path& path, const std::string& name) {
    if (static_cast<std::int64_t>(bases.size()) != expected)
        throw precis::input_error(path.string() + ": sequence " + name + " has " + std::to_string(bases.size()) +
                                  " bases but the .fai says " + (expected < 0 ? std::string("nothing") : std::to_string(expected)) +
                                  " (rebuild the index)");
    return bases;
}

// Upper case (a vectorisable pass), then the non-printable characters (e.g. '\r') dropped when any.
void upper_printable(std::string& bases) {
    unsigned char odd = 0;
    for (char& ch : bases) {
        const auto c = static_cast<unsigned char>(ch);
        const unsigned char u = (c >= 'a' && c <= 'z') ? static_cast<unsigned char>(c - 32) : c;
        ch = static_cast<char>(u);
        odd |= static_cast<unsigned char>(u < '!' || u > '~');
    }
    if (odd) std::erase_if(bases, [](char c) { return c < '!' || c > '~'; });
}

// A forward reader of FASTA records over BGZF (plain, gzip or bgzip) that moves whole lines with memchr
// and memcpy: for whole contigs it is several times cheaper than kseq, which copies a base at a time.
class fasta_stream {
public:
    fasta_stream(BGZF* file, std::string path) : m_file(file), m_path(std::move(path)), m_buffer(std::size_t{1} << 20) {}

    // The next record's name (up to the first blank) and, when `keep`, its bases (upper case, printable
    // characters only, as faidx); false at the end of the file. A record that is not kept is skipped.
    // `want` gives the expected length of a record to keep (reserved at once), or -1 to skip it.
    template <class Want>
    bool next(std::string& name, std::string& bases, const Want& want) {
        name.clear();
        bases.clear();
        // Find the header line.
        while (true) {
            if (m_at == m_end && !fill()) return false;
            if (m_buffer[m_at] == '>') break;
            skip_line();  // blank lines or text before the first header
        }
        ++m_at;
        std::string header;
        take_line(&header);
        const auto blank = header.find_first_of(" \t\r");
        name = header.substr(0, blank);
        const std::int64_t expected = want(name);
        const bool wanted = expected >= 0;
        if (wanted) bases.reserve(static_cast<std::size_t>(expected));
        while (true) {
            if (m_at == m_end && !fill()) break;
            if (m_buffer[m_at] == '>') break;
            take_line(wanted ? &bases : nullptr);
        }
        if (wanted) upper_printable(bases);
        return true;
    }

private:
    bool fill() {
        const auto got = bgzf_read(m_file, m_buffer.data(), m_buffer.size());
        if (got < 0) throw precis::input_error(m_path + ": cannot read the FASTA (truncated or corrupt)");
        m_at = 0;
        m_end = static_cast<std::size_t>(got);
        return got > 0;
    }
    // Appends the rest of the line (without the newline) to `out` when not null.
    void take_line(std::string* out) {
        while (true) {
            if (m_at == m_end && !fill()) return;
            const char* from = m_buffer.data() + m_at;
            const void* nl = std::memchr(from, '\n', m_end - m_at);
            const std::size_t n = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - from) : m_end - m_at;
            if (out) out->append(from, n);
            m_at += n;
            if (nl) {
                ++m_at;
                return;
            }
        }
    }
    void skip_line() { take_line(nullptr); }
    BGZF* m_file;
    std::string m_path;
    std::vector<char> m_buffer;
    std::size_t m_at = 0, m_end = 0;
};

}  // namespace

namespace precis::annotate::detail {

genome_map load_genome(const std::filesystem::path& path, std::vector<std::string>& names,
                       const std::unordered_set<std::string>* wanted) {
    std::unordered_map<std::string, std::int64_t> lengths;
    std::size_t still_wanted = 0;
    {
        io::fasta_reader fasta(path);  // validates the file and builds the .fai when missing
        for (int c = 0; c < fasta.contig_count(); ++c) {
            std::string name = fasta.contig_name(c);
            lengths.emplace(name, fasta.contig_length(name));
            if (!wanted || wanted->count(name)) ++still_wanted;
            names.push_back(std::move(name));
        }
    }
    genome_map genome;
    if (still_wanted == 0) return genome;
    std::unique_ptr<BGZF, int (*)(BGZF*)> file(bgzf_open(path.c_str(), "r"), bgzf_close);
    if (!file) throw input_error(path.string() + ": cannot open the FASTA");
    fasta_stream stream(file.get(), path.string());
    std::string name, bases;
    auto want = [&](const std::string& n) -> std::int64_t {
        if (wanted && !wanted->count(n)) return -1;
        auto len = lengths.find(n);
        return len == lengths.end() ? 0 : len->second;
    };
    while (still_wanted > 0 && stream.next(name, bases, want)) {
        if (wanted && !wanted->count(name)) continue;
        auto len = lengths.find(name);
        bases = checked_length(std::move(bases), len == lengths.end() ? -1 : len->second, path, name);
        if (genome.emplace(name, std::move(bases)).second) --still_wanted;
        bases = std::string();
    }
    if (still_wanted > 0) throw input_error(path.string() + ": some contigs of the index are missing from the file");
    return genome;
}

struct reference_stream::state {
    explicit state(const std::filesystem::path& path) : fasta(path) {}
    io::fasta_reader fasta;  // validates the file and builds the .fai when missing
    std::unique_ptr<BGZF, int (*)(BGZF*)> file{nullptr, bgzf_close};
    std::unique_ptr<fasta_stream> stream;
};

reference_stream::reference_stream(const std::filesystem::path& path)
    : m_path(path), m_state(std::make_unique<state>(path)) {
    const io::fasta_reader& fasta = m_state->fasta;
    for (int c = 0; c < fasta.contig_count(); ++c) {
        m_names.push_back(fasta.contig_name(c));
        m_lengths.push_back(fasta.contig_length(m_names.back()));
    }
}

reference_stream::~reference_stream() {
    m_state->stream.reset();  // before the file it reads
}

std::string reference_stream::load(const std::string& contig) {
    auto at = std::find(m_names.begin(), m_names.end(), contig);
    if (at == m_names.end()) throw input_error(m_path.string() + ": no sequence " + contig);
    const auto index = static_cast<int>(at - m_names.begin());
    const std::int64_t expected = m_lengths[static_cast<std::size_t>(index)];
    // Streaming reads every contig before the one asked for: worth it only when those are shorter than it
    // (the next contig of a sorted VCF). Otherwise faidx reads this one where the index puts it, in
    // slices (a one-chromosome VCF of chromosome 22 used to read the 2.9 Gb before it).
    std::int64_t before = 0;
    for (int i = m_state->stream ? m_next : 0; i < index && before <= expected; ++i) before += m_lengths[static_cast<std::size_t>(i)];
    if ((m_state->stream && index < m_next) || before > expected) {
        std::string bases;
        bases.reserve(static_cast<std::size_t>(expected));
        constexpr std::int64_t slice = std::int64_t{1} << 24;
        for (std::int64_t from = 0; from < expected; from += slice) bases += m_state->fasta.fetch(contig, from, from + slice);
        upper_printable(bases);
        return checked_length(std::move(bases), expected, m_path, contig);
    }
    if (!m_state->stream) {
        m_state->file.reset(bgzf_open(m_path.c_str(), "r"));
        if (!m_state->file) throw input_error(m_path.string() + ": cannot open the FASTA");
        m_state->stream = std::make_unique<fasta_stream>(m_state->file.get(), m_path.string());
        m_next = 0;
    }
    std::string name, bases;
    auto want = [&](const std::string& n) -> std::int64_t { return n == contig ? expected : -1; };
    while (true) {
        if (!m_state->stream->next(name, bases, want))
            throw input_error(m_path.string() + ": sequence " + contig + " not found where the .fai puts it (rebuild the index)");
        ++m_next;
        if (name == contig) return checked_length(std::move(bases), expected, m_path, contig);
    }
}

}  // namespace precis::annotate::detail
