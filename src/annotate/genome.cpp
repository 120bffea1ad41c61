// Reference loading: names and lengths from the .fai, bases in one sequential kseq pass.
#include "precis/annotate/detail/genome.hpp"

#include <htslib/bgzf.h>
#include <htslib/kseq.h>

#include <memory>
#include <unordered_map>

#include "precis/core/error.hpp"
#include "precis/io/fasta.hpp"

namespace {

int bgzf_read_some(BGZF* f, void* buffer, int size) {
    return static_cast<int>(bgzf_read(f, buffer, static_cast<size_t>(size)));
}

KSEQ_INIT(BGZF*, bgzf_read_some)

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
    struct upper_table {
        char map[256] = {};
        upper_table() {
            for (int c = '!'; c <= '~'; ++c) map[c] = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        }
    };
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

}  // namespace precis::annotate::detail
