// SO term names and impacts, translation, reverse complement, allele normalisation.
#include <array>
#include <cstdint>

#include "precis/annotate/consequence.hpp"

namespace precis::annotate {

std::string_view name(so_term term) {
    static constexpr std::array<std::string_view, 26> names = {
        "transcript_ablation", "splice_acceptor_variant", "splice_donor_variant", "stop_gained",
        "frameshift_variant", "stop_lost", "start_lost", "inframe_insertion", "inframe_deletion",
        "missense_variant", "protein_altering_variant", "splice_region_variant",
        "incomplete_terminal_codon_variant", "start_retained_variant", "stop_retained_variant",
        "synonymous_variant", "coding_sequence_variant", "5_prime_UTR_variant", "3_prime_UTR_variant",
        "non_coding_transcript_exon_variant", "intron_variant", "NMD_transcript_variant",
        "non_coding_transcript_variant", "upstream_gene_variant", "downstream_gene_variant", "intergenic_variant"};
    return names[static_cast<std::size_t>(term)];
}

impact impact_of(so_term term) {
    if (term <= so_term::start_lost) return impact::high;
    if (term <= so_term::protein_altering_variant) return impact::moderate;
    if (term <= so_term::synonymous_variant) return impact::low;
    return impact::modifier;
}

std::string_view name(impact value) {
    switch (value) {
        case impact::high: return "HIGH";
        case impact::moderate: return "MODERATE";
        case impact::low: return "LOW";
        default: return "MODIFIER";
    }
}

namespace {
int base_index(char c) {
    switch (c) {
        case 'T': return 0;
        case 'C': return 1;
        case 'A': return 2;
        case 'G': return 3;
        default: return -1;
    }
}
}  // namespace

std::string translate(std::string_view dna) {
    // Standard code, bases ordered T C A G; a table of base indices (64: not ACGT) avoids branches.
    static constexpr std::string_view code = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
    static const auto index = [] {
        std::array<std::uint8_t, 256> t{};
        for (int c = 0; c < 256; ++c) {
            const int b = base_index(static_cast<char>(c));
            t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(b < 0 ? 64 : b);
        }
        return t;
    }();
    std::string out(dna.size() / 3, 'X');
    for (std::size_t i = 0, j = 0; i + 3 <= dna.size(); i += 3, ++j) {
        const unsigned a = index[static_cast<unsigned char>(dna[i])], b = index[static_cast<unsigned char>(dna[i + 1])],
                       c = index[static_cast<unsigned char>(dna[i + 2])];
        if ((a | b | c) < 64) out[j] = code[a * 16 + b * 4 + c];
    }
    return out;
}

std::string_view three_letter(char aa) {
    switch (aa) {
        case 'A': return "Ala"; case 'R': return "Arg"; case 'N': return "Asn"; case 'D': return "Asp";
        case 'C': return "Cys"; case 'Q': return "Gln"; case 'E': return "Glu"; case 'G': return "Gly";
        case 'H': return "His"; case 'I': return "Ile"; case 'L': return "Leu"; case 'K': return "Lys";
        case 'M': return "Met"; case 'F': return "Phe"; case 'P': return "Pro"; case 'S': return "Ser";
        case 'T': return "Thr"; case 'W': return "Trp"; case 'Y': return "Tyr"; case 'V': return "Val";
        case '*': return "Ter";
        default: return "Xaa";
    }
}

std::string reverse_complement(std::string_view dna) {
    static const auto complement = [] {
        std::array<char, 256> t;
        t.fill('N');
        t['A'] = 'T', t['C'] = 'G', t['G'] = 'C', t['T'] = 'A';
        return t;
    }();
    std::string out(dna.size(), 'N');
    for (std::size_t i = 0, n = dna.size(); i < n; ++i) out[n - 1 - i] = complement[static_cast<unsigned char>(dna[i])];
    return out;
}

allele_change normalise(std::string_view seq, std::int64_t pos, std::string_view ref, std::string_view alt) {
    while (!ref.empty() && !alt.empty() && ref.back() == alt.back()) {
        ref.remove_suffix(1);
        alt.remove_suffix(1);
    }
    while (!ref.empty() && !alt.empty() && ref.front() == alt.front()) {
        ref.remove_prefix(1);
        alt.remove_prefix(1);
        ++pos;
    }
    allele_change c{pos, std::string(ref), std::string(alt)};
    auto at = [&](std::int64_t i) { return i >= 0 && i < static_cast<std::int64_t>(seq.size()) ? seq[static_cast<std::size_t>(i)] : 'N'; };
    if (c.ref.empty() && !c.alt.empty()) {
        while (c.pos > 0 && at(c.pos - 1) == c.alt.back() && c.alt.back() != 'N') {
            c.alt = c.alt.back() + c.alt.substr(0, c.alt.size() - 1);
            --c.pos;
        }
    } else if (c.alt.empty() && !c.ref.empty()) {
        while (c.pos > 0 && at(c.pos - 1) == c.ref.back() && c.ref.back() != 'N') {
            c.ref = c.ref.back() + c.ref.substr(0, c.ref.size() - 1);
            --c.pos;
        }
    }
    return c;
}

}  // namespace precis::annotate
