// Transcript coordinates and HGVS position strings.
#include "precis/annotate/detail/layout.hpp"

#include "precis/annotate/consequence.hpp"

namespace precis::annotate::detail {

layout::layout(const transcript& t, std::string_view contig_seq) : m_t(t), m_seq(contig_seq) {
    for (const auto& e : t.exons) m_length += e.length();
    if (t.coding()) {
        std::int64_t a = t_of(t.strand == '-' ? t.cds_end - 1 : t.cds_begin);
        std::int64_t b = t_of(t.strand == '-' ? t.cds_begin : t.cds_end - 1);
        if (a >= 0 && b >= a) {
            m_cs = a;
            m_ce = b + 1;
        }
    }
}

std::int64_t layout::t_of(std::int64_t g) const {
    std::int64_t before = 0;  // exonic bases genomically left of the exon holding g
    for (const auto& e : m_t.exons) {
        if (g >= e.begin && g < e.end) {
            std::int64_t plus = before + (g - e.begin);
            return m_t.strand == '-' ? m_length - 1 - plus : plus;
        }
        before += e.length();
    }
    return -1;
}

const std::string& layout::mrna() const {
    if (m_mrna.empty()) {
        for (const auto& e : m_t.exons) {
            std::int64_t b = std::min<std::int64_t>(e.begin, static_cast<std::int64_t>(m_seq.size()));
            std::int64_t en = std::min<std::int64_t>(e.end, static_cast<std::int64_t>(m_seq.size()));
            m_mrna.append(m_seq.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(en - b)));
        }
        if (m_t.strand == '-') m_mrna = reverse_complement(m_mrna);
    }
    return m_mrna;
}

std::string layout::t_position(std::int64_t t) const {
    if (m_cs < 0) return std::to_string(t + 1);
    if (t < m_cs) return std::string("-").append(std::to_string(m_cs - t));
    if (t >= m_ce) return std::string("*").append(std::to_string(t - m_ce + 1));
    return std::to_string(t - m_cs + 1);
}

std::string layout::position(std::int64_t g) const {
    std::int64_t t = t_of(g);
    if (t >= 0) return t_position(t);
    const auto& ex = m_t.exons;
    for (std::size_t i = 0; i + 1 < ex.size(); ++i) {
        std::int64_t ib = ex[i].end, ie = ex[i + 1].begin;
        if (g < ib || g >= ie) continue;
        std::int64_t left = g - ib + 1, right = ie - g;  // distances to exon bases ib-1 and ie
        if (m_t.strand == '+') {
            if (left <= right) return t_position(t_of(ib - 1)) + "+" + std::to_string(left);
            return t_position(t_of(ie)) + "-" + std::to_string(right);
        }
        if (right <= left) return t_position(t_of(ie)) + "+" + std::to_string(right);
        return t_position(t_of(ib - 1)) + "-" + std::to_string(left);
    }
    return {};
}

std::string layout::oriented(std::int64_t begin, std::int64_t end) const {
    begin = std::max<std::int64_t>(0, begin);
    end = std::min<std::int64_t>(end, static_cast<std::int64_t>(m_seq.size()));
    if (end <= begin) return {};
    return oriented(m_seq.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin)));
}

std::string layout::oriented(std::string_view genomic) const {
    return m_t.strand == '-' ? reverse_complement(genomic) : std::string(genomic);
}

}  // namespace precis::annotate::detail
