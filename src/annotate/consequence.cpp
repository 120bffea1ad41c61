// Consequence prediction of one allele on one transcript (VEP's terms and columns), HGVS c. and p.
#include "precis/annotate/consequence.hpp"

#include <algorithm>
#include <tuple>

#include "precis/annotate/detail/layout.hpp"

namespace precis::annotate {

namespace {

using detail::layout;

std::string range_string(std::int64_t a, std::int64_t b) {  // 1-based inclusive
    return a == b ? std::to_string(a) : std::to_string(a) + "-" + std::to_string(b);
}

std::string three(std::string_view aas) {
    std::string out;
    for (char c : aas) out += three_letter(c);
    return out;
}

void add(transcript_effect& e, so_term t) {
    if (std::find(e.terms.begin(), e.terms.end(), t) == e.terms.end()) e.terms.push_back(t);
}

// Result of the coding analysis of [a, b) of the CDS replaced by `alt` (transcript orientation).
struct coding_result {
    std::vector<so_term> terms;
    std::string hgvs_p, cds_position, protein_position, amino_acids, codons;
};

std::string frameshift_p(const std::string& ref_protein, const std::string& alt_protein) {
    std::size_t i = 0;
    while (i < ref_protein.size() && i < alt_protein.size() && ref_protein[i] == alt_protein[i]) ++i;
    if (i >= ref_protein.size() || i >= alt_protein.size()) return "p.?";
    std::string head = std::string(three_letter(ref_protein[i])) + std::to_string(i + 1);
    if (alt_protein[i] == '*') return "p." + head + "Ter";
    std::size_t stop = alt_protein.find('*', i);
    return "p." + head + std::string(three_letter(alt_protein[i])) + "fsTer" +
           (stop == std::string::npos ? "?" : std::to_string(stop - i + 1));
}

std::string inframe_p(const std::string& P, std::string ref_aa, std::string alt_aa, std::int64_t k,
                      const std::string& alt_protein) {
    std::int64_t first = k;
    while (!ref_aa.empty() && !alt_aa.empty() && ref_aa.front() == alt_aa.front()) {
        ref_aa.erase(0, 1);
        alt_aa.erase(0, 1);
        ++k;
    }
    while (!ref_aa.empty() && !alt_aa.empty() && ref_aa.back() == alt_aa.back()) {
        ref_aa.pop_back();
        alt_aa.pop_back();
    }
    auto at = [&](std::int64_t i) { return i >= 0 && i < static_cast<std::int64_t>(P.size()) ? P[static_cast<std::size_t>(i)] : 'X'; };
    auto aa_pos = [&](std::int64_t i) { return std::string(three_letter(at(i))) + std::to_string(i + 1); };
    auto aa_span = [&](std::int64_t i, std::int64_t count) {
        std::string out = "p.";
        out += aa_pos(i);
        if (count > 1) {
            out += '_';
            out += aa_pos(i + count - 1);
        }
        return out;
    };
    if (ref_aa.empty() && alt_aa.empty()) return "p." + aa_pos(first) + "=";
    if (k == 0 && at(0) == 'M' && (alt_aa.empty() || alt_aa.front() != 'M') && !ref_aa.empty()) return "p.Met1?";
    if (ref_aa.size() == 1 && alt_aa.size() == 1) {
        if (ref_aa[0] == '*') {
            std::size_t stop = alt_protein.find('*', static_cast<std::size_t>(k));
            return "p.Ter" + std::to_string(k + 1) + std::string(three_letter(alt_aa[0])) + "extTer" +
                   (stop == std::string::npos ? "?" : std::to_string(stop - static_cast<std::size_t>(k)));
        }
        return "p." + aa_pos(k) + std::string(three_letter(alt_aa[0]));
    }
    if (auto stop = alt_aa.find('*'); stop != std::string::npos) alt_aa.resize(stop + 1);
    auto m = static_cast<std::int64_t>(ref_aa.size());
    if (ref_aa.empty()) {  // insertion between k-1 and k, shifted to the C-terminal side
        auto n = static_cast<std::int64_t>(alt_aa.size());
        while (alt_aa.back() != '*' && k < static_cast<std::int64_t>(P.size()) && at(k) == alt_aa.front()) {
            std::rotate(alt_aa.begin(), alt_aa.begin() + 1, alt_aa.end());
            ++k;
        }
        if (k >= n && P.compare(static_cast<std::size_t>(k - n), static_cast<std::size_t>(n), alt_aa) == 0)
            return aa_span(k - n, n) + "dup";
        return aa_span(k - 1, 2) + "ins" + three(alt_aa);
    }
    if (alt_aa.empty()) {
        while (k + m < static_cast<std::int64_t>(P.size()) && at(k + m) == at(k) && at(k) != '*') ++k;
        return aa_span(k, m) + "del";
    }
    return aa_span(k, m) + "delins" + three(alt_aa);
}

// The protein of the transcript with mRNA [cs + a, tb) replaced by `alt` (CDS from cs, translation carried
// on into the 3'UTR), as far as HGVS p. reads it: the codons before c0 (unchanged, c0 * 3 <= a) copied
// from the reference protein P, then translated up to the first stop at or after the first residue that
// differs from P (or the end of the mRNA). Same as translating the whole altered mRNA for every use in
// frameshift_p and inframe_p, without copying and translating the whole 3' part for each allele.
std::string alt_protein_of(const std::string& P, const std::string& mrna, std::int64_t cs, std::int64_t a, std::int64_t tb,
                           const std::string& alt, std::int64_t c0) {
    std::string out = P.substr(0, static_cast<std::size_t>(c0));
    const std::int64_t n1 = a - c0 * 3, n2 = static_cast<std::int64_t>(alt.size());
    const std::int64_t total = n1 + n2 + static_cast<std::int64_t>(mrna.size()) - tb;
    auto base = [&](std::int64_t i) {
        if (i < n1) return mrna[static_cast<std::size_t>(cs + c0 * 3 + i)];
        if (i < n1 + n2) return alt[static_cast<std::size_t>(i - n1)];
        return mrna[static_cast<std::size_t>(tb + i - n1 - n2)];
    };
    bool differs = false;
    char codon[3];
    for (std::int64_t i = 0; i + 3 <= total; i += 3) {
        codon[0] = base(i), codon[1] = base(i + 1), codon[2] = base(i + 2);
        const char aa = translate(std::string_view(codon, 3))[0];
        differs = differs || out.size() >= P.size() || P[out.size()] != aa;
        out += aa;
        if (aa == '*' && differs) break;
    }
    return out;
}

coding_result analyse_coding(const layout& L, std::int64_t ta, std::int64_t tb, const std::string& alt) {
    coding_result r;
    const std::string& mrna = L.mrna();
    std::int64_t cs = L.cs(), len = L.ce() - L.cs();
    std::string cds = mrna.substr(static_cast<std::size_t>(cs), static_cast<std::size_t>(len));
    std::int64_t a = ta - cs, b = tb - cs;
    bool ins = a == b;
    r.cds_position = ins ? std::to_string(a) + "-" + std::to_string(a + 1) : range_string(a + 1, b);
    std::int64_t full = len / 3 * 3;
    if (len % 3 != 0 && b > full) {
        r.terms = {so_term::incomplete_terminal_codon_variant, so_term::coding_sequence_variant};
        return r;
    }
    std::int64_t rb = a / 3 * 3, re = std::min(full, (b + 2) / 3 * 3);
    if (ins && a % 3 == 0) re = rb;
    auto diff = static_cast<std::int64_t>(alt.size()) - (b - a);
    std::string ref_codons = cds.substr(static_cast<std::size_t>(rb), static_cast<std::size_t>(re - rb));
    std::string alt_codons = cds.substr(static_cast<std::size_t>(rb), static_cast<std::size_t>(a - rb)) + alt +
                             cds.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(std::max<std::int64_t>(0, re - b)));
    std::string shown_ref = ref_codons, shown_alt = alt_codons;
    std::transform(shown_ref.begin(), shown_ref.end(), shown_ref.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    std::transform(shown_alt.begin(), shown_alt.end(), shown_alt.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    for (std::int64_t i = a; i < b; ++i) shown_ref[static_cast<std::size_t>(i - rb)] = ref_codons[static_cast<std::size_t>(i - rb)];
    for (std::size_t i = 0; i < alt.size(); ++i) shown_alt[static_cast<std::size_t>(a - rb) + i] = alt[i];
    r.codons = (shown_ref.empty() ? "-" : shown_ref) + "/" + (shown_alt.empty() ? "-" : shown_alt);
    r.protein_position = ins && a % 3 == 0 ? std::to_string(a / 3) + "-" + std::to_string(a / 3 + 1)
                                           : range_string(rb / 3 + 1, std::max(rb / 3 + 1, re / 3));
    std::string P = translate(cds);
    std::string ref_aa = translate(ref_codons);
    if (diff % 3 != 0) {
        r.terms.push_back(so_term::frameshift_variant);
        if (rb == 0) r.terms.push_back(so_term::start_lost);
        r.amino_acids = (ref_aa.empty() ? "-" : ref_aa) + "/X";
        r.hgvs_p = rb == 0 ? "p.Met1?" : frameshift_p(P, alt_protein_of(P, mrna, cs, a, tb, alt, rb / 3));
        return r;
    }
    std::string alt_aa = translate(alt_codons);
    r.amino_acids = ref_aa == alt_aa ? ref_aa : (ref_aa.empty() ? "-" : ref_aa) + "/" + (alt_aa.empty() ? "-" : alt_aa);
    bool ref_stop = ref_aa.find('*') != std::string::npos, alt_stop = alt_aa.find('*') != std::string::npos;
    if (rb == 0 && !ref_aa.empty() && ref_aa[0] == 'M') {
        if (alt_aa.empty() || alt_aa[0] != 'M') r.terms.push_back(so_term::start_lost);
        else if (ref_codons.compare(0, 3, alt_codons, 0, 3) != 0 || diff != 0) r.terms.push_back(so_term::start_retained_variant);
    }
    if (ref_stop && !alt_stop) r.terms.push_back(so_term::stop_lost);
    else if (ref_stop && alt_stop && ref_aa == alt_aa) r.terms.push_back(so_term::stop_retained_variant);
    // A stop earlier than the reference one (allowing for the length change) is gained, also when the
    // changed codons include the reference stop (e.g. a frameshift restored at the stop codon).
    else if (alt_stop && (!ref_stop || static_cast<std::int64_t>(alt_aa.find('*')) < static_cast<std::int64_t>(ref_aa.find('*')) + diff / 3))
        r.terms.push_back(so_term::stop_gained);
    if (diff > 0) r.terms.push_back(so_term::inframe_insertion);
    else if (diff < 0) r.terms.push_back(so_term::inframe_deletion);
    else if (r.terms.empty()) r.terms.push_back(ref_aa == alt_aa ? so_term::synonymous_variant : so_term::missense_variant);
    // The altered protein past the change is read only for a stop loss (the extension to the next stop).
    r.hgvs_p = inframe_p(P, ref_aa, alt_aa, rb / 3, ref_stop ? alt_protein_of(P, mrna, cs, a, tb, alt, rb / 3) : std::string());
    return r;
}

// Transcript index range [ta, tb) of a change wholly inside one exon (ta == tb for an insertion).
bool t_range(const layout& L, const allele_change& c, std::int64_t& ta, std::int64_t& tb) {
    std::int64_t vb = c.pos, ve = c.pos + static_cast<std::int64_t>(c.ref.size());
    for (const auto& e : L.tx().exons) {
        bool inside = c.ref.empty() ? (vb > e.begin && vb < e.end) : (vb >= e.begin && ve <= e.end);
        if (!inside) continue;
        if (L.tx().strand == '+') {
            ta = L.t_of(vb);
            tb = c.ref.empty() ? ta : L.t_of(ve - 1) + 1;
        } else {
            ta = c.ref.empty() ? L.t_of(vb - 1) : L.t_of(ve - 1);
            tb = c.ref.empty() ? ta : L.t_of(vb) + 1;
        }
        return true;
    }
    return false;
}

// 3'-shift (in transcript orientation) of an indel inside [lo, hi), for HGVS.
allele_change shift_3prime(const allele_change& c, std::string_view seq, char strand, std::int64_t lo, std::int64_t hi) {
    allele_change s = c;
    auto S = [&](std::int64_t i) { return seq[static_cast<std::size_t>(i)]; };
    std::string& moving = s.ref.empty() ? s.alt : s.ref;
    if (!(s.ref.empty() ^ s.alt.empty())) return s;
    bool ins = s.ref.empty();
    if (strand == '+') {
        while (true) {
            std::int64_t end = s.pos + static_cast<std::int64_t>(s.ref.size());
            if (ins ? s.pos + 1 >= hi : end >= hi) break;
            char next = ins ? S(s.pos) : S(end);
            if (next != moving.front()) break;
            std::rotate(moving.begin(), moving.begin() + 1, moving.end());
            ++s.pos;
        }
    } else {
        while (true) {
            if (ins ? s.pos - 1 <= lo : s.pos <= lo) break;
            if (S(s.pos - 1) != moving.back()) break;
            std::rotate(moving.rbegin(), moving.rbegin() + 1, moving.rend());
            --s.pos;
        }
    }
    return s;
}

std::string hgvs_c(const layout& L, const allele_change& c) {
    const char* prefix = L.coding() ? "c." : "n.";
    std::int64_t vb = c.pos, ve = c.pos + static_cast<std::int64_t>(c.ref.size());
    bool plus = L.tx().strand == '+';
    auto range = [&](std::int64_t lo, std::int64_t hi) {  // genomic [lo, hi) in transcript order
        std::string p1 = L.position(plus ? lo : hi - 1), p2 = L.position(plus ? hi - 1 : lo);
        if (p1.empty() || p2.empty()) return std::string();
        return hi - lo == 1 ? p1 : p1 + "_" + p2;
    };
    std::string alt_t = L.oriented(c.alt);
    if (c.ref.empty()) {
        auto n = static_cast<std::int64_t>(c.alt.size());
        std::int64_t dlo = plus ? vb - n : vb;
        if (dlo >= 0 && L.oriented(dlo, dlo + n) == alt_t) {
            std::string r = range(dlo, dlo + n);
            return r.empty() ? r : prefix + r + "dup";
        }
        std::string p1 = L.position(plus ? vb - 1 : vb), p2 = L.position(plus ? vb : vb - 1);
        if (p1.empty() || p2.empty()) return {};
        return prefix + p1 + "_" + p2 + "ins" + alt_t;
    }
    std::string r = range(vb, ve);
    if (r.empty()) return r;
    if (c.alt.empty()) return prefix + r + "del";
    if (c.ref.size() == 1 && c.alt.size() == 1) return prefix + r + L.oriented(c.ref) + ">" + alt_t;
    return prefix + r + "delins" + alt_t;
}

}  // namespace

transcript_effect predict(const transcript& t, std::string_view seq, const allele_change& c, std::int64_t flank) {
    transcript_effect eff;
    eff.tx = &t;
    const bool ins = c.ref.empty();
    const std::int64_t vb = c.pos, ve = c.pos + static_cast<std::int64_t>(c.ref.size());
    const std::int64_t tb = t.begin(), te = t.end();
    bool overlaps = ins ? (vb > tb && vb < te) : (vb < te && ve > tb);
    if (!overlaps) {
        bool before = ins ? vb <= tb : ve <= tb;
        eff.distance = before ? tb - (ins ? vb : ve) + 1 : vb - te + 1;
        if (eff.distance > flank) return eff;
        eff.terms.push_back(before == (t.strand == '+') ? so_term::upstream_gene_variant : so_term::downstream_gene_variant);
        return eff;
    }
    if (!ins && vb <= tb && ve >= te) {
        eff.terms.push_back(so_term::transcript_ablation);
        return eff;
    }
    auto hit = [&](std::int64_t rb, std::int64_t re) { return rb < re && (ins ? (rb < vb && vb < re) : (vb < re && ve > rb)); };
    auto touch = [&](std::int64_t rb, std::int64_t re) { return rb < re && (ins ? (rb <= vb && vb <= re) : (vb < re && ve > rb)); };
    const auto& ex = t.exons;
    const auto n = static_cast<std::int64_t>(ex.size());
    std::int64_t exon_first = -1, exon_last = -1, intron_first = -1, intron_last = -1;
    bool splice_site = false, splice_region = false;
    for (std::int64_t i = 0; i < n; ++i) {
        const span& e = ex[static_cast<std::size_t>(i)];
        if (hit(e.begin, e.end) || (!ins && vb < e.end && ve > e.begin)) {
            std::int64_t k = t.strand == '+' ? i + 1 : n - i;
            exon_first = exon_first < 0 ? k : std::min(exon_first, k);
            exon_last = std::max(exon_last, k);
        }
        if (i + 1 == n) break;
        std::int64_t ib = e.end, ie = ex[static_cast<std::size_t>(i + 1)].begin;
        if (ins ? (vb >= ib && vb <= ie) : (vb < ie && ve > ib)) {
            std::int64_t k = t.strand == '+' ? i + 1 : n - 1 - i;
            intron_first = intron_first < 0 ? k : std::min(intron_first, k);
            intron_last = std::max(intron_last, k);
        }
        bool donor = hit(t.strand == '+' ? ib : ie - 2, t.strand == '+' ? ib + 2 : ie);
        bool acceptor = hit(t.strand == '+' ? ie - 2 : ib, t.strand == '+' ? ie : ib + 2);
        if (donor) add(eff, so_term::splice_donor_variant);
        if (acceptor) add(eff, so_term::splice_acceptor_variant);
        splice_site = splice_site || donor || acceptor;
        splice_region = splice_region || touch(ib - 3, ib) || touch(ib + 2, std::min(ib + 8, ie - 2)) ||
                        touch(std::max(ie - 8, ib + 2), ie - 2) || touch(ie, ie + 3);
    }
    if (splice_region && !splice_site) add(eff, so_term::splice_region_variant);
    if (exon_first > 0) eff.exon = (exon_first == exon_last ? std::to_string(exon_first) : std::to_string(exon_first) + "-" + std::to_string(exon_last)) + "/" + std::to_string(n);
    if (intron_first > 0) eff.intron = (intron_first == intron_last ? std::to_string(intron_first) : std::to_string(intron_first) + "-" + std::to_string(intron_last)) + "/" + std::to_string(n - 1);
    layout L(t, seq);
    std::int64_t ta = 0, tbx = 0;
    bool in_exon = exon_first > 0 && t_range(L, c, ta, tbx);
    if (exon_first > 0 && !L.coding()) add(eff, so_term::non_coding_transcript_exon_variant);
    if (exon_first > 0 && L.coding()) {
        std::int64_t cs = L.cs(), ce = L.ce();
        std::string alt_t = L.oriented(c.alt);
        if (in_exon && (ins ? ta <= cs : tbx <= cs)) {
            add(eff, so_term::five_prime_utr_variant);
        } else if (in_exon && ta >= ce) {
            add(eff, so_term::three_prime_utr_variant);
        } else if (in_exon && ta >= cs && tbx <= ce) {
            coding_result r = analyse_coding(L, ta, tbx, alt_t);
            eff.cds_begin = ta - cs;
            eff.cds_end = tbx - cs;
            for (so_term term : r.terms) add(eff, term);
            eff.cds_position = r.cds_position;
            eff.protein_position = r.protein_position;
            eff.amino_acids = r.amino_acids;
            eff.codons = r.codons;
            eff.hgvs_p = r.hgvs_p;
        } else {
            std::int64_t cb = t.cds_begin, cend = t.cds_end;
            bool start_hit = t.strand == '+' ? touch(cb, cb + 3) && !(ins && vb == cb) : touch(cend - 3, cend) && !(ins && vb == cend);
            bool stop_hit = t.strand == '+' ? touch(cend - 3, cend) && !(ins && vb == cend) : touch(cb, cb + 3) && !(ins && vb == cb);
            if (start_hit) add(eff, so_term::start_lost);
            if (stop_hit) add(eff, so_term::stop_lost);
            bool left_utr = ins ? vb < cb : vb < cb, right_utr = ins ? vb > cend : ve > cend;
            if (left_utr) add(eff, t.strand == '+' ? so_term::five_prime_utr_variant : so_term::three_prime_utr_variant);
            if (right_utr) add(eff, t.strand == '+' ? so_term::three_prime_utr_variant : so_term::five_prime_utr_variant);
            bool protein = false;
            if (!ins && c.alt.empty() && touch(cb, cend) && !start_hit && !stop_hit) {
                // A deletion across an exon-intron boundary: its exonic bases, if they are one run of the
                // CDS, are removed from the transcript (splice sites as annotated) and the protein effect
                // of that is classified like an exonic deletion (frameshift or in-frame, as bcftools csq).
                // HGVSp is p.? (the splicing effect cannot be predicted from the sequence).
                std::int64_t lo = -1, hi = -1, bases = 0;
                for (const auto& e : ex) {
                    std::int64_t b0 = std::max(vb, e.begin), b1 = std::min(ve, e.end);
                    if (b0 >= b1) continue;
                    std::int64_t t0 = L.t_of(t.strand == '+' ? b0 : b1 - 1), t1 = L.t_of(t.strand == '+' ? b1 - 1 : b0) + 1;
                    lo = lo < 0 ? t0 : std::min(lo, t0);
                    hi = std::max(hi, t1);
                    bases += b1 - b0;
                }
                if (lo >= cs && hi <= ce && hi - lo == bases && bases > 0) {
                    coding_result r = analyse_coding(L, lo, hi, std::string());
                    for (so_term term : r.terms) add(eff, term);
                    protein = !r.terms.empty();
                    eff.cds_position = r.cds_position;
                    eff.protein_position = r.protein_position;
                    eff.amino_acids = r.amino_acids;
                    eff.codons = r.codons;
                    eff.hgvs_p = protein ? "p.?" : "";
                }
            }
            if (touch(cb, cend) && !protein) add(eff, so_term::coding_sequence_variant);
        }
    }
    if (intron_first > 0 && !splice_site) add(eff, so_term::intron_variant);
    if (t.biotype == "nonsense_mediated_decay") add(eff, so_term::nmd_transcript_variant);
    if (!L.coding() && intron_first > 0 && exon_first < 0) add(eff, so_term::non_coding_transcript_variant);
    if (eff.terms.empty()) add(eff, so_term::coding_sequence_variant);
    std::sort(eff.terms.begin(), eff.terms.end());
    // Transcript positions and HGVS (indels 3'-shifted within their exon or intron).
    if (in_exon) eff.cdna_position = ins ? std::to_string(ta) + "-" + std::to_string(ta + 1) : range_string(ta + 1, tbx);
    allele_change h = c;
    if (c.is_indel()) {
        std::int64_t lo = tb, hi = te;
        for (std::size_t i = 0; i < ex.size(); ++i) {
            std::int64_t b = ex[i].begin, e = i + 1 < ex.size() ? ex[i + 1].begin : ex[i].end;
            std::int64_t eb = ex[i].end;
            if (vb >= b && ve <= eb && (!ins || vb > b)) lo = b, hi = eb;
            else if (vb >= eb && ve <= e && i + 1 < ex.size()) lo = eb, hi = e;
        }
        h = shift_3prime(c, seq, t.strand, lo, hi);
        if (in_exon && L.coding() && eff.hgvs_p.size() && h.pos != c.pos) {
            std::int64_t sa = 0, sb = 0;
            if (t_range(L, h, sa, sb) && sa >= L.cs() && sb <= L.ce())
                eff.hgvs_p = analyse_coding(L, sa, sb, L.oriented(h.alt)).hgvs_p;
        }
    }
    eff.hgvs_c = hgvs_c(L, h);
    return eff;
}

transcript_effect predict_combined(const transcript& t, std::string_view seq, std::vector<allele_change> changes) {
    transcript_effect eff;
    eff.tx = &t;
    if (changes.size() < 2 || !t.coding()) return eff;
    layout L(t, seq);
    if (!L.coding()) return eff;
    struct placed {
        std::int64_t ta, tb;
        std::string alt;
        std::string hgvs;
    };
    std::vector<placed> parts;
    for (const auto& c : changes) {
        placed p{0, 0, L.oriented(c.alt), {}};
        if (!t_range(L, c, p.ta, p.tb) || p.ta < L.cs() || p.tb > L.ce() || (c.ref.empty() && (p.ta <= L.cs() || p.ta >= L.ce()))) return eff;
        std::string h = predict(t, seq, c, 0).hgvs_c;
        if (h.size() <= 2) return eff;
        p.hgvs = h.substr(2);
        parts.push_back(std::move(p));
    }
    std::sort(parts.begin(), parts.end(), [](const placed& x, const placed& y) { return std::tie(x.ta, x.tb) < std::tie(y.ta, y.tb); });
    const std::string& mrna = L.mrna();
    std::string alt = parts.front().alt;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].ta < parts[i - 1].tb || (parts[i].ta == parts[i - 1].ta && parts[i].ta == parts[i].tb)) return eff;  // overlap
        alt.append(mrna, static_cast<std::size_t>(parts[i - 1].tb), static_cast<std::size_t>(parts[i].ta - parts[i - 1].tb));
        alt += parts[i].alt;
    }
    const std::int64_t ta = parts.front().ta, tb = parts.back().tb;
    coding_result r = analyse_coding(L, ta, tb, alt);
    for (so_term term : r.terms) add(eff, term);
    if (eff.terms.empty()) return eff;
    std::sort(eff.terms.begin(), eff.terms.end());
    eff.cds_begin = ta - L.cs();
    eff.cds_end = tb - L.cs();
    eff.cds_position = r.cds_position;
    eff.protein_position = r.protein_position;
    eff.amino_acids = r.amino_acids;
    eff.codons = r.codons;
    eff.hgvs_p = r.hgvs_p;
    eff.cdna_position = range_string(ta + 1, tb);
    eff.hgvs_c = "c.[";
    for (std::size_t i = 0; i < parts.size(); ++i) eff.hgvs_c += (i ? ";" : "") + parts[i].hgvs;
    eff.hgvs_c += "]";
    return eff;
}

}  // namespace precis::annotate
