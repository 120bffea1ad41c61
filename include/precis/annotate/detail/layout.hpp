#pragma once
// Transcript coordinates: genomic <-> spliced transcript (5'->3') positions, HGVS position strings.
#include <string>
#include <string_view>

#include "precis/annotate/gene_model.hpp"

namespace precis::annotate::detail {

/// Coordinates of one transcript over its contig sequence. Transcript positions are 0-based from the
/// transcript's 5' end; [cs, ce) is the coding region including the stop codon (-1 when non-coding).
class layout {
public:
    layout(const transcript& t, std::string_view contig_seq);

    /// Transcript index of exonic genomic base g, or -1 when g is not exonic.
    std::int64_t t_of(std::int64_t g) const;
    /// The spliced transcript sequence, 5'->3' (built on first use).
    const std::string& mrna() const;
    /// HGVS position of genomic base g ("123", "-12", "*7", "123+2", "45-3"); empty outside the transcript.
    std::string position(std::int64_t g) const;
    /// Position string of a transcript index.
    std::string t_position(std::int64_t t) const;
    /// Transcript-orientation sequence of genomic [begin, end).
    std::string oriented(std::int64_t begin, std::int64_t end) const;
    std::string oriented(std::string_view genomic) const;
    bool coding() const { return m_cs >= 0; }
    std::int64_t cs() const { return m_cs; }
    std::int64_t ce() const { return m_ce; }
    const transcript& tx() const { return m_t; }
    std::string_view seq() const { return m_seq; }

private:
    const transcript& m_t;
    std::string_view m_seq;
    std::int64_t m_length = 0;
    std::int64_t m_cs = -1, m_ce = -1;
    mutable std::string m_mrna;
};

}  // namespace precis::annotate::detail
