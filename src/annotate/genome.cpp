// Reference loading: names and lengths from the .fai, bases in one sequential kseq pass.
#include "precis/annotate/detail/genome.hpp"

#include <htslib/bgzf.h>
#include <htslib/kseq.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "precis/core/error.hpp"
#include "precis/io/fasta.hpp"

namespace {

int bgzf_read_some(BGZF* f, void* buffer, int size) {
    return static_cast<int>(bgzf_read(f, buffer, static_cast<size_t>(size)));
}

KSEQ_INIT(BGZF*, bgzf_read_some)

// Printable characters upper-cased; 0 for the rest (dropped).
struct upper_table {
    char map[256] = {};
    upper_table() {
        for (int c = '!'; c <= '~'; ++c) map[c] = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
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
    std::unique_ptr<kseq_t, void (*)(kseq_t*)> seq(kseq_init(file.get()), kseq_destroy);
    static const upper_table table;
    int got = 0;
    while (still_wanted > 0 && (got = kseq_read(seq.get())) >= 0) {
        std::string name(seq->name.s, seq->name.l);
        if (wanted && !wanted->count(name)) continue;
        // Upper case, printable characters only (as faidx), compacted in kseq's buffer, then one copy.
        char* in = seq->seq.s;
        std::size_t kept = 0;
        for (std::size_t i = 0; i < seq->seq.l; ++i) {
            const char c = table.map[static_cast<unsigned char>(in[i])];
            in[kept] = c;
            kept += c != 0;
        }
        std::string bases(in, kept);
        auto len = lengths.find(name);
        if (len == lengths.end() || len->second != static_cast<std::int64_t>(bases.size()))
            throw input_error(path.string() + ": sequence " + name + " has " + std::to_string(bases.size()) +
                              " bases but the .fai says " + (len == lengths.end() ? std::string("nothing") : std::to_string(len->second)) +
                              " (rebuild the index)");
        if (genome.emplace(std::move(name), std::move(bases)).second) --still_wanted;
    }
    if (got < -1) throw input_error(path.string() + ": malformed FASTA");
    if (still_wanted > 0) throw input_error(path.string() + ": some contigs of the index are missing from the file");
    return genome;
}

struct reference_stream::state {
    std::unique_ptr<BGZF, int (*)(BGZF*)> file{nullptr, bgzf_close};
    std::unique_ptr<kseq_t, void (*)(kseq_t*)> seq{nullptr, kseq_destroy};
};

reference_stream::reference_stream(const std::filesystem::path& path) : m_path(path), m_state(std::make_unique<state>()) {
    io::fasta_reader fasta(path);  // validates the file and builds the .fai when missing
    for (int c = 0; c < fasta.contig_count(); ++c) {
        m_names.push_back(fasta.contig_name(c));
        m_lengths.push_back(fasta.contig_length(m_names.back()));
    }
}

reference_stream::~reference_stream() {
    m_state->seq.reset();  // before the file it reads
}

std::string reference_stream::load(const std::string& contig) {
    auto at = std::find(m_names.begin(), m_names.end(), contig);
    if (at == m_names.end()) throw input_error(m_path.string() + ": no sequence " + contig);
    const auto index = static_cast<int>(at - m_names.begin());
    if (!m_state->seq || index < m_next) {  // (re)open
        m_state->seq.reset();
        m_state->file.reset(bgzf_open(m_path.c_str(), "r"));
        if (!m_state->file) throw input_error(m_path.string() + ": cannot open the FASTA");
        m_state->seq.reset(kseq_init(m_state->file.get()));
        m_next = 0;
    }
    kseq_t* ks = m_state->seq.get();
    while (true) {
        int got = kseq_read(ks);
        if (got < 0) throw input_error(m_path.string() + ": sequence " + contig + " not found where the .fai puts it (rebuild the index)");
        ++m_next;
        const bool wanted = std::string_view(ks->name.s, ks->name.l) == contig;
        if (wanted) {
            // Upper case, printable characters only (as faidx), compacted in kseq's buffer, then one copy.
            static const upper_table table;
            char* in = ks->seq.s;
            std::size_t kept = 0;
            for (std::size_t i = 0; i < ks->seq.l; ++i) {
                const char c = table.map[static_cast<unsigned char>(in[i])];
                in[kept] = c;
                kept += c != 0;
            }
            std::string bases(in, kept);
            if (static_cast<std::int64_t>(kept) != m_lengths[static_cast<std::size_t>(index)])
                throw input_error(m_path.string() + ": sequence " + contig + " has " + std::to_string(kept) + " bases but the .fai says " +
                                  std::to_string(m_lengths[static_cast<std::size_t>(index)]) + " (rebuild the index)");
            // Give back kseq's copy of a long contig at once rather than holding two.
            if (ks->seq.m > (std::size_t{1} << 24)) {
                std::free(ks->seq.s);
                ks->seq.s = nullptr;
                ks->seq.m = ks->seq.l = 0;
            }
            return bases;
        }
    }
}

}  // namespace precis::annotate::detail
