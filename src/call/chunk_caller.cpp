// One chunk: load reads, find SNV and indel candidates, collect per-read allele likelihoods (pileup with
// partial BAQ for SNVs, haplotype realignment for indels), genotype jointly, format VCF lines.
#include "precis/call/detail/chunk_caller.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "precis/call/genotyper.hpp"
#include "precis/core/error.hpp"

namespace precis::call::detail {

namespace {

constexpr std::uint32_t skipped_flags = BAM_FUNMAP | BAM_FSECONDARY | BAM_FQCFAIL | BAM_FDUP | BAM_FSUPPLEMENTARY;
constexpr int default_quality = 20;  // for reads stored without qualities
constexpr double indel_ad_margin = 0.5;  // log10 margin for a read to count towards AD
constexpr std::int64_t end_zone = 20;     // an indel this close to an ungapped read's end...
constexpr std::int64_t end_trim = 15;     // ...drops this many bases at that end from the SNV pileup
constexpr std::int64_t rival_zone = 30;   // candidate variants this close to an indel site get haplotypes
constexpr std::size_t max_rivals = 4;

std::uint8_t base_code(char c) {
    switch (c) {
        case 'A': case 'a': return 0;
        case 'C': case 'c': return 1;
        case 'G': case 'g': return 2;
        case 'T': case 't': return 3;
        default: return 4;
    }
}
const char code_base[] = {'A', 'C', 'G', 'T', 'N'};

// seq_nt16 code to 0-4.
std::uint8_t nt16_code(int nt16) {
    switch (nt16) {
        case 1: return 0;
        case 2: return 1;
        case 4: return 2;
        case 8: return 3;
        default: return 4;
    }
}

struct indel_obs {
    std::int64_t anchor;   // 0-based position of the base before the event
    int del;               // deleted bases (0 for an insertion)
    std::string ins;       // inserted bases (empty for a deletion)
    int sample;
    bool operator<(const indel_obs& o) const {
        return std::tie(anchor, del, ins, sample) < std::tie(o.anchor, o.del, o.ins, o.sample);
    }
};

struct site {
    std::int64_t pos;  // 0-based POS
    bool indel;
    std::vector<std::string> alleles;
    std::vector<sample_evidence> evidence;
};

std::int64_t unclipped_start(const bam1_t* b) {
    const std::uint32_t* cig = bam_get_cigar(b);
    std::int64_t s = b->core.pos;
    if (b->core.n_cigar && bam_cigar_op(cig[0]) == BAM_CSOFT_CLIP) s -= bam_cigar_oplen(cig[0]);
    return s;
}

}  // namespace

struct chunk_caller::impl {
    using event = std::tuple<std::int64_t, int, std::string>;  // anchor, deleted bases, inserted bases
    const caller_inputs& in;
    caller_params params;
    io::fasta_reader fasta;
    std::vector<std::unique_ptr<io::sam_reader>> readers;
    std::vector<io::bam1_ptr> pool;
    std::vector<std::vector<bam1_t*>> reads;  // per sample, sorted by position
    // Per sample and read: positions before this are covered by the read's mate, which already counted
    // them (overlapping pairs count once, as in samtools mpileup).
    std::vector<std::vector<std::int64_t>> mate_until;
    std::vector<std::vector<std::int64_t>> use_to;  // per sample and read: SNV bases only before this
    realign_scratch scratch;

    // The current chunk's reference window [rb, re) as codes and text.
    std::int64_t rb = 0, re = 0;
    int max_qlen = 0;
    std::string ref_text;
    std::vector<std::uint8_t> ref_codes;

    impl(const caller_inputs& inputs, const caller_params& p) : in(inputs), params(p), fasta(inputs.ref) {
        for (const auto& bam : in.bams) {
            readers.push_back(std::make_unique<io::sam_reader>(bam, in.ref));
            if (!readers.back()->load_index())
                throw input_error(bam.string() + ": no index (.bai/.csi/.crai); sort and index it (samtools sort, samtools index)");
        }
        reads.resize(in.bams.size());
    }

    void mark_mate_overlaps() {
        mate_until.resize(reads.size());
        use_to.resize(reads.size());
        std::unordered_map<std::string_view, std::int64_t> first_mate_end;
        for (std::size_t s = 0; s < reads.size(); ++s) {
            first_mate_end.clear();
            mate_until[s].assign(reads[s].size(), -1);
            use_to[s].assign(reads[s].size(), std::numeric_limits<std::int64_t>::max());
            for (std::size_t r = 0; r < reads[s].size(); ++r) {
                const bam1_t* b = reads[s][r];
                if (!(b->core.flag & BAM_FPAIRED) || (b->core.flag & BAM_FMUNMAP) || b->core.mtid != b->core.tid) continue;
                std::string_view name(bam_get_qname(b));
                if (b->core.mpos <= b->core.pos) {
                    auto it = first_mate_end.find(name);
                    if (it != first_mate_end.end()) {
                        mate_until[s][r] = it->second;
                        continue;
                    }
                }
                if (b->core.mpos >= b->core.pos) first_mate_end.emplace(name, bam_endpos(b));
            }
        }
    }

    char ref_at(std::int64_t p) const { return (p >= rb && p < re) ? ref_text[static_cast<std::size_t>(p - rb)] : 'N'; }

    void load(const chunk& c) {
        std::size_t used = 0;
        const std::int64_t wb = std::max<std::int64_t>(0, c.begin - params.pad);
        const std::int64_t we = std::min(in.contig_lengths[static_cast<std::size_t>(c.contig)], c.end + params.pad);
        for (std::size_t s = 0; s < readers.size(); ++s) {
            reads[s].clear();
            const int tid = in.bam_tids[s][static_cast<std::size_t>(c.contig)];
            if (tid < 0) continue;
            auto& reader = *readers[s];
            reader.set_region(tid, wb, we);
            std::int64_t last = -1;
            for (;;) {
                if (used == pool.size()) pool.push_back(io::make_bam_record());
                bam1_t* b = pool[used].get();
                if (!reader.next(b)) break;
                if (b->core.pos < last)
                    throw input_error::at(in.bams[s].string(), std::string("read ") + bam_get_qname(b),
                                          "not coordinate-sorted; sort it with samtools sort and index it again");
                last = b->core.pos;
                if (b->core.flag & skipped_flags) continue;
                if (b->core.n_cigar == 0 || b->core.l_qseq == 0) continue;
                int mapq = b->core.qual == 255 ? 60 : b->core.qual;
                if (mapq < params.min_mapq) continue;
                reads[s].push_back(b);
                ++used;
            }
        }
        mark_mate_overlaps();
        // Reference window covering every loaded read (plus room for haplotype flanks).
        std::int64_t lo = wb, hi = we;
        max_qlen = 0;
        for (const auto& rs : reads)
            for (const bam1_t* b : rs) {
                max_qlen = std::max(max_qlen, b->core.l_qseq);
                lo = std::min(lo, unclipped_start(b));
                hi = std::max(hi, static_cast<std::int64_t>(bam_endpos(b)) + b->core.l_qseq);
            }
        rb = std::max<std::int64_t>(0, lo - 600);
        re = std::min(in.contig_lengths[static_cast<std::size_t>(c.contig)], hi + 600);
        ref_text = fasta.fetch(in.contig_names[static_cast<std::size_t>(c.contig)], rb, re);
        for (auto& ch : ref_text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        ref_codes.resize(ref_text.size());
        for (std::size_t i = 0; i < ref_text.size(); ++i) ref_codes[i] = base_code(ref_text[i]);
    }

    // Left-aligned indel observations of every read.
    std::vector<indel_obs> observe_indels() {
        std::vector<indel_obs> obs;
        for (std::size_t s = 0; s < reads.size(); ++s)
            for (const bam1_t* b : reads[s]) read_indels(b, static_cast<int>(s), obs);
        std::sort(obs.begin(), obs.end());
        return obs;
    }

    // Appends the left-aligned indels of one read.
    void read_indels(const bam1_t* b, int s, std::vector<indel_obs>& obs) const {
            {
                const std::uint32_t* cig = bam_get_cigar(b);
                const std::uint8_t* seq = bam_get_seq(b);
                std::int64_t rp = b->core.pos;
                int qp = 0;
                for (std::uint32_t k = 0; k < b->core.n_cigar; ++k) {
                    const int op = bam_cigar_op(cig[k]);
                    const int len = static_cast<int>(bam_cigar_oplen(cig[k]));
                    if (op == BAM_CMATCH || op == BAM_CEQUAL || op == BAM_CDIFF) {
                        rp += len;
                        qp += len;
                    } else if (op == BAM_CINS) {
                        if (qp > 0 && qp + len < b->core.l_qseq && rp - 1 > rb && rp < re) {
                            std::string ins;
                            bool clean = true;
                            for (int i = 0; i < len; ++i) {
                                char ch = code_base[nt16_code(bam_seqi(seq, qp + i))];
                                clean = clean && ch != 'N';
                                ins += ch;
                            }
                            std::int64_t p = rp;  // insertion before reference base p
                            while (clean && p - 1 > rb && ref_at(p - 1) == ins.back() && ref_at(p - 1) != 'N') {
                                ins.pop_back();
                                ins.insert(ins.begin(), ref_at(p - 1));
                                --p;
                            }
                            if (clean) obs.push_back({p - 1, 0, ins, s});
                        }
                        qp += len;
                    } else if (op == BAM_CDEL) {
                        if (qp > 0 && rp - 1 > rb && rp + len < re) {
                            std::int64_t p = rp;  // deleted [p, p + len)
                            while (p - 1 > rb && ref_at(p - 1) == ref_at(p + len - 1) && ref_at(p - 1) != 'N') --p;
                            obs.push_back({p - 1, len, {}, s});
                        }
                        rp += len;
                    } else if (op == BAM_CREF_SKIP) {
                        rp += len;
                    } else if (op == BAM_CSOFT_CLIP) {
                        qp += len;
                    }
                }
            }
    }

    // Per-sample depth of usable bases over [wb, we), and per-base counts.
    void count_bases(std::int64_t wb, std::int64_t we, std::vector<std::vector<std::uint16_t>>& depth,
                     std::vector<std::vector<std::uint16_t>>& counts) {
        const auto w = static_cast<std::size_t>(we - wb);
        depth.assign(reads.size(), std::vector<std::uint16_t>(w, 0));
        counts.assign(reads.size(), std::vector<std::uint16_t>(4 * w, 0));
        for (std::size_t s = 0; s < reads.size(); ++s)
            for (std::size_t r = 0; r < reads[s].size(); ++r)
                for_each_base(reads[s][r], std::max(wb, mate_until[s][r]), std::min(we, use_to[s][r]), [&](std::int64_t p, std::uint8_t base, int) {
                    auto i = static_cast<std::size_t>(p - wb);
                    if (depth[s][i] < 65535) ++depth[s][i];
                    if (counts[s][4 * i + base] < 65535) ++counts[s][4 * i + base];
                });
    }

    // Calls f(pos, base code 0-3, quality) for each aligned base in [wb, we) with quality >= min_baseq.
    template <class F>
    void for_each_base(const bam1_t* b, std::int64_t wb, std::int64_t we, F&& f) const {
        const std::uint32_t* cig = bam_get_cigar(b);
        const std::uint8_t* seq = bam_get_seq(b);
        const std::uint8_t* qual = bam_get_qual(b);
        const bool no_qual = qual[0] == 0xff;
        std::int64_t rp = b->core.pos;
        int qp = 0;
        for (std::uint32_t k = 0; k < b->core.n_cigar && rp < we; ++k) {
            const int op = bam_cigar_op(cig[k]);
            const int len = static_cast<int>(bam_cigar_oplen(cig[k]));
            if (op == BAM_CMATCH || op == BAM_CEQUAL || op == BAM_CDIFF) {
                for (int i = 0; i < len; ++i) {
                    const std::int64_t p = rp + i;
                    if (p < wb || p >= we) continue;
                    const int q = no_qual ? default_quality : qual[qp + i];
                    if (q < params.min_baseq) continue;
                    const std::uint8_t base = nt16_code(bam_seqi(seq, qp + i));
                    if (base > 3) continue;
                    f(p, base, q);
                }
                rp += len;
                qp += len;
            } else if (op == BAM_CINS || op == BAM_CSOFT_CLIP) {
                qp += len;
            } else if (op == BAM_CDEL || op == BAM_CREF_SKIP) {
                rp += len;
            }
        }
    }

    static bool has_indel(const bam1_t* b) {
        const std::uint32_t* cig = bam_get_cigar(b);
        for (std::uint32_t k = 0; k < b->core.n_cigar; ++k) {
            const int op = bam_cigar_op(cig[k]);
            if (op == BAM_CINS || op == BAM_CDEL) return true;
        }
        return false;
    }

    // Partial BAQ: reads with an indel that is not a candidate allele, and reads overlapping a place where
    // reads show an indel unless the read carries candidate indels there (it is then aligned as the
    // candidate haplotype says, and BAQ would only erase the evidence for SNVs next to the indel).
    void apply_baq(const std::vector<std::int64_t>& indel_anchors, const std::set<event>& candidates) {
        std::vector<indel_obs> own;
        auto any_anchor = [&](std::int64_t from, std::int64_t to) {
            auto it = std::lower_bound(indel_anchors.begin(), indel_anchors.end(), from);
            return it != indel_anchors.end() && *it < to;
        };
        for (std::size_t s = 0; s < reads.size(); ++s) {
            for (std::size_t r = 0; r < reads[s].size(); ++r) {
                bam1_t* b = reads[s][r];
                const std::int64_t beg = b->core.pos;
                const std::int64_t end = bam_endpos(b);
                bool near = has_indel(b);
                if (near) {
                    own.clear();
                    read_indels(b, 0, own);
                    bool all_candidates = !own.empty();
                    for (const auto& o : own) all_candidates = all_candidates && candidates.count({o.anchor, o.del, o.ins});
                    if (all_candidates) continue;
                } else {
                    near = any_anchor(beg - 5, end + 5);
                    // An indel just inside either end of an ungapped read: that end is likely misplaced
                    // (a mismatch instead of the gap), which BAQ cannot see; its bases do not count for SNVs.
                    if (any_anchor(beg - 5, beg + end_zone)) mate_until[s][r] = std::max(mate_until[s][r], beg + end_trim);
                    if (any_anchor(end - end_zone, end + 5)) use_to[s][r] = end - end_trim;
                }
                if (!near || beg < rb || end > re || bam_get_qual(b)[0] == 0xff) continue;
                b->core.pos = beg - rb;
                sam_prob_realn(b, ref_text.data(), static_cast<hts_pos_t>(ref_text.size()), BAQ_APPLY | BAQ_EXTEND);
                b->core.pos = beg;
            }
        }
    }

    // Bases of the reference window [hb, he) with `events` applied (sorted, disjoint, inside the window).
    std::vector<std::uint8_t> haplotype(std::int64_t hb, std::int64_t he, const std::vector<event>& events) const {
        std::vector<std::uint8_t> h;
        std::int64_t p = hb;
        for (const auto& [anchor, del, ins] : events) {
            for (; p <= anchor; ++p) h.push_back(ref_codes[static_cast<std::size_t>(p - rb)]);
            for (char ch : ins) h.push_back(base_code(ch));
            p = anchor + 1 + del;
        }
        for (; p < he; ++p) h.push_back(ref_codes[static_cast<std::size_t>(p - rb)]);
        return h;
    }

    // Reference bases an event replaces: [anchor + 1, anchor + 1 + del).
    static bool disjoint(const event& a, const event& b) {
        const std::int64_t a0 = std::get<0>(a) + 1, a1 = a0 + std::get<1>(a);
        const std::int64_t b0 = std::get<0>(b) + 1, b1 = b0 + std::get<1>(b);
        return a1 <= b0 || b1 <= a0;  // touching is fine (e.g. a deletion and the SNV right after it)
    }

    // Length of the repeat tract that starts after the anchor, in units of the event's sequence.
    std::int64_t tract_length(const event& e) const {
        const auto& [anchor, del, ins] = e;
        std::string unit = del > 0 ? ref_text.substr(static_cast<std::size_t>(anchor + 1 - rb), static_cast<std::size_t>(del)) : ins;
        std::int64_t n = 0;
        while (anchor + 1 + n < re && ref_at(anchor + 1 + n) == unit[static_cast<std::size_t>(n) % unit.size()]) ++n;
        return n;
    }

    // Per-read allele likelihoods of an indel site by realignment against each allele's haplotype. Nearby
    // candidate indels and SNVs (`rivals`: other representations of the same event, or variants in cis)
    // get haplotypes too: a rival alone counts as the REF allele here (a read that fits it best is no
    // evidence for this site's ALT), a rival combined with an ALT allele counts as that ALT. Per read, the gap between alleles is capped by the mapping quality and, in
    // repeats, by the chance of a slippage error (long homopolymers: 10^-2).
    void indel_evidence(site& st, std::int64_t anchor, int max_del, const std::vector<std::pair<int, std::string>>& events,
                        const std::vector<event>& rivals) {
        const std::int64_t flank = 2 * max_qlen + 50;
        const std::int64_t hb = std::max(rb, anchor - flank);
        const std::int64_t he = std::min(re, anchor + max_del + 1 + flank);
        const int n_alleles = static_cast<int>(events.size()) + 1;
        std::vector<std::vector<std::uint8_t>> haps;
        std::vector<int> owner;  // the site allele each haplotype stands for
        haps.push_back(haplotype(hb, he, {}));
        owner.push_back(0);
        int max_len = 0;
        std::int64_t tract = 0;
        std::vector<event> site_events;
        for (const auto& [del, ins] : events) {
            site_events.push_back({anchor, del, ins});
            haps.push_back(haplotype(hb, he, {site_events.back()}));
            owner.push_back(static_cast<int>(site_events.size()));
            max_len = std::max({max_len, del, static_cast<int>(ins.size())});
            tract = std::max(tract, tract_length(site_events.back()));
        }
        // Backgrounds: one rival or two disjoint rivals (variants in cis), each alone (REF) and with each
        // ALT allele it does not overlap.
        std::vector<event> usable;
        for (const auto& r : rivals) {
            const auto& [a2, d2, i2] = r;
            if (a2 <= hb || a2 + d2 + 1 >= he) continue;
            usable.push_back(r);
            max_len = std::max({max_len, d2, static_cast<int>(i2.size())});
        }
        std::vector<std::vector<event>> backgrounds;
        for (std::size_t i = 0; i < usable.size(); ++i) {
            backgrounds.push_back({usable[i]});
            for (std::size_t j = i + 1; j < usable.size(); ++j)
                if (disjoint(usable[i], usable[j])) backgrounds.push_back({usable[i], usable[j]});
        }
        auto by_position = [](const event& x, const event& y) {
            return std::tie(std::get<0>(x), std::get<1>(x)) < std::tie(std::get<0>(y), std::get<1>(y));
        };
        for (auto& bg : backgrounds) {
            std::sort(bg.begin(), bg.end(), by_position);
            haps.push_back(haplotype(hb, he, bg));
            owner.push_back(0);
            for (std::size_t a = 0; a < site_events.size(); ++a) {
                bool fits = true;
                for (const auto& r : bg) fits = fits && disjoint(site_events[a], r);
                if (!fits) continue;
                std::vector<event> with = bg;
                with.push_back(site_events[a]);
                std::sort(with.begin(), with.end(), by_position);
                haps.push_back(haplotype(hb, he, with));
                owner.push_back(static_cast<int>(a + 1));
            }
        }
        const double slippage_cap = 4.0 - std::min(2.0, 0.1 * static_cast<double>(std::max<std::int64_t>(0, tract - 6)));
        const int band = max_len + 8;
        std::vector<std::uint8_t> codes;
        std::vector<std::uint8_t> quals;
        std::vector<double> lk(static_cast<std::size_t>(n_alleles));
        st.evidence.assign(reads.size(), {});
        for (std::size_t s = 0; s < reads.size(); ++s) {
            auto& ev = st.evidence[s];
            ev.ad.assign(static_cast<std::size_t>(n_alleles), 0);
            const auto& rs = reads[s];
            auto first = std::lower_bound(rs.begin(), rs.end(), anchor - flank,
                                          [](const bam1_t* b, std::int64_t p) { return b->core.pos < p; });
            for (auto it = first; it != rs.end() && (*it)->core.pos <= anchor + max_del + 1; ++it) {
                const bam1_t* b = *it;
                const std::int64_t us = unclipped_start(b);
                const std::int64_t ue = us + b->core.l_qseq;
                if (ue <= anchor || us > anchor + max_del + 1 || us < hb || ue > he) continue;
                const int n = b->core.l_qseq;
                codes.resize(static_cast<std::size_t>(n));
                quals.resize(static_cast<std::size_t>(n));
                const std::uint8_t* seq = bam_get_seq(b);
                const std::uint8_t* q = bam_get_qual(b);
                for (int i = 0; i < n; ++i) {
                    codes[static_cast<std::size_t>(i)] = nt16_code(bam_seqi(seq, i));
                    quals[static_cast<std::size_t>(i)] = q[0] == 0xff ? default_quality : q[i];
                }
                const int offset = static_cast<int>(us - hb);
                std::fill(lk.begin(), lk.end(), -1e300);
                for (std::size_t h = 0; h < haps.size(); ++h) {
                    double v = read_hap_log10(codes.data(), quals.data(), n, haps[h].data(), static_cast<int>(haps[h].size()),
                                              offset, band, scratch);
                    auto& slot = lk[static_cast<std::size_t>(owner[h])];
                    slot = std::max(slot, v);
                }
                double best = -1e300;
                for (int a = 0; a < n_alleles; ++a) best = std::max(best, lk[static_cast<std::size_t>(a)]);
                const int mapq = b->core.qual == 255 ? 60 : std::min<int>(b->core.qual, 60);
                const double floor = best - std::min(slippage_cap, mapq / 10.0);
                int best_a = -1;
                double second = -1e300;
                for (int a = 0; a < n_alleles; ++a) {
                    double v = std::max(lk[static_cast<std::size_t>(a)], floor);
                    ev.read_lk.push_back(static_cast<float>(v - best));
                    if (v == best && best_a < 0) best_a = a;
                }
                for (int a = 0; a < n_alleles; ++a)
                    if (a != best_a) second = std::max(second, lk[static_cast<std::size_t>(a)]);
                ++ev.dp;
                if (best - second >= indel_ad_margin) ++ev.ad[static_cast<std::size_t>(best_a)];
            }
        }
    }

    std::string call(const chunk& c) {
        load(c);
        const std::int64_t wb = std::max<std::int64_t>(0, c.begin - params.pad);
        const std::int64_t we = std::min(in.contig_lengths[static_cast<std::size_t>(c.contig)], c.end + params.pad);
        const std::size_t n_samples = reads.size();
        std::vector<site> sites;

        // Indels (before BAQ changes the qualities).
        auto obs = observe_indels();
        std::vector<std::vector<std::uint16_t>> depth, counts;
        count_bases(wb, we, depth, counts);
        // Likely SNVs before BAQ (rivals of the indel sites): >= 2 reads and >= 20 % of a sample's bases.
        std::vector<event> snv_rivals;
        for (std::int64_t p = std::max(wb, rb + 1); p < we; ++p) {
            const auto i = static_cast<std::size_t>(p - wb);
            const std::uint8_t rc = ref_codes[static_cast<std::size_t>(p - rb)];
            if (rc > 3) continue;
            for (std::uint8_t base = 0; base < 4; ++base) {
                if (base == rc) continue;
                for (std::size_t s = 0; s < n_samples; ++s) {
                    const int n = counts[s][4 * i + base];
                    if (n >= params.min_alt_reads && n >= 0.2 * depth[s][i]) {
                        snv_rivals.push_back({p - 1, 1, std::string(1, code_base[base])});
                        break;
                    }
                }
            }
        }
        std::vector<std::int64_t> anchors;
        std::set<event> candidates;
        struct pending_site {
            site st;
            int max_del;
            std::vector<std::pair<int, std::string>> events;
        };
        std::vector<pending_site> pending;
        for (std::size_t i = 0; i < obs.size();) {
            std::size_t j = i;
            while (j < obs.size() && obs[j].anchor == obs[i].anchor) ++j;
            const std::int64_t anchor = obs[i].anchor;
            // Alleles at this anchor with their per-sample counts.
            std::map<std::pair<int, std::string>, std::vector<int>> alleles;
            for (std::size_t k = i; k < j; ++k) {
                auto& v = alleles[{obs[k].del, obs[k].ins}];
                v.resize(n_samples, 0);
                ++v[static_cast<std::size_t>(obs[k].sample)];
            }
            std::vector<std::pair<int, std::pair<int, std::string>>> kept;  // (-total, event)

            for (const auto& [event, v] : alleles) {
                bool pass = false;
                int total = 0;
                for (std::size_t s = 0; s < n_samples; ++s) {
                    total += v[s];
                    const std::int64_t at = anchor - wb;
                    const int d = (at >= 0 && at < we - wb) ? depth[s][static_cast<std::size_t>(at)] : 0;
                    pass = pass || (v[s] >= params.min_alt_reads && v[s] >= params.min_indel_fraction * std::max(d, 1));
                }
                if (total >= 2) anchors.push_back(anchor);
                if (pass) kept.push_back({-total, event});
                if (pass) candidates.insert({anchor, event.first, event.second});
            }
            i = j;
            if (kept.empty() || anchor < c.begin || anchor >= c.end) continue;
            std::sort(kept.begin(), kept.end());
            if (static_cast<int>(kept.size()) > params.max_alt_alleles) kept.resize(static_cast<std::size_t>(params.max_alt_alleles));
            std::vector<std::pair<int, std::string>> events;
            int max_del = 0;
            for (const auto& k : kept) {
                events.push_back(k.second);
                max_del = std::max(max_del, k.second.first);
            }
            if (anchor + max_del + 1 > re) continue;
            std::string ref_allele = ref_text.substr(static_cast<std::size_t>(anchor - rb), static_cast<std::size_t>(max_del + 1));
            if (ref_allele.find_first_not_of("ACGT") != std::string::npos) continue;
            site st{anchor, true, {ref_allele}, {}};
            for (const auto& [del, ins] : events)
                st.alleles.push_back(ref_allele.substr(0, 1) + ins + ref_allele.substr(static_cast<std::size_t>(1 + del)));
            pending.push_back({std::move(st), max_del, std::move(events)});
        }
        for (auto& [st, max_del, events] : pending) {
            // Rivals: the nearest candidate indels (other anchors) and SNVs within rival_zone of this site.
            const std::int64_t lo = st.pos + 1, hi = st.pos + 1 + max_del;
            std::vector<std::pair<std::int64_t, event>> near;
            auto consider = [&](const event& e, bool indel) {
                const auto& [a2, d2, i2] = e;
                if (indel && a2 == st.pos) return;  // this site's own alleles
                const std::int64_t b0 = a2 + 1, b1 = a2 + 1 + d2;
                const std::int64_t gap = std::max<std::int64_t>({0, b0 - hi, lo - b1});
                if (gap <= rival_zone) near.push_back({gap, e});
            };
            for (auto it = candidates.lower_bound({st.pos - 200, -1, {}}); it != candidates.end() && std::get<0>(*it) <= hi + rival_zone; ++it)
                consider(*it, true);
            for (auto it = std::lower_bound(snv_rivals.begin(), snv_rivals.end(), event{lo - rival_zone - 1, -1, {}});
                 it != snv_rivals.end() && std::get<0>(*it) <= hi + rival_zone; ++it)
                consider(*it, false);
            std::sort(near.begin(), near.end());
            std::vector<event> rivals;
            for (const auto& n : near)
                if (rivals.size() < max_rivals) rivals.push_back(n.second);
            indel_evidence(st, st.pos, max_del, events, rivals);
            sites.push_back(std::move(st));
        }
        std::sort(anchors.begin(), anchors.end());
        anchors.erase(std::unique(anchors.begin(), anchors.end()), anchors.end());

        // SNVs: partial BAQ, counts, candidates, per-base likelihoods.
        apply_baq(anchors, candidates);
        count_bases(wb, we, depth, counts);
        std::vector<int> cand_at(static_cast<std::size_t>(we - wb), -1);
        std::vector<site> snvs;
        std::vector<std::vector<int>> allele_of;  // per SNV site: base code -> allele index or -1
        for (std::int64_t p = c.begin; p < c.end; ++p) {
            const std::uint8_t rc = ref_codes[static_cast<std::size_t>(p - rb)];
            if (rc > 3) continue;
            const auto i = static_cast<std::size_t>(p - wb);
            std::vector<std::pair<int, int>> alts;  // (-total, base)
            for (int base = 0; base < 4; ++base) {
                if (base == rc) continue;
                bool pass = false;
                int total = 0;
                for (std::size_t s = 0; s < n_samples; ++s) {
                    const int n = counts[s][4 * i + static_cast<std::size_t>(base)];
                    total += n;
                    pass = pass || (n >= params.min_alt_reads && n >= params.min_snv_fraction * depth[s][i]);
                }
                if (pass) alts.push_back({-total, base});
            }
            if (alts.empty()) continue;
            std::sort(alts.begin(), alts.end());
            if (static_cast<int>(alts.size()) > params.max_alt_alleles) alts.resize(static_cast<std::size_t>(params.max_alt_alleles));
            site st{p, false, {std::string(1, code_base[rc])}, std::vector<sample_evidence>(n_samples)};
            std::vector<int> map(4, -1);
            map[rc] = 0;
            for (const auto& a : alts) {
                map[static_cast<std::size_t>(a.second)] = static_cast<int>(st.alleles.size());
                st.alleles.emplace_back(1, code_base[a.second]);
            }
            for (auto& ev : st.evidence) ev.ad.assign(st.alleles.size(), 0);
            cand_at[i] = static_cast<int>(snvs.size());
            snvs.push_back(std::move(st));
            allele_of.push_back(std::move(map));
        }
        if (!snvs.empty())
            for (std::size_t s = 0; s < n_samples; ++s)
                for (std::size_t r = 0; r < reads[s].size(); ++r) {
                    const bam1_t* b = reads[s][r];
                    const int mapq = b->core.qual == 255 ? 60 : b->core.qual;
                    for_each_base(b, std::max(c.begin, mate_until[s][r]), std::min(c.end, use_to[s][r]), [&](std::int64_t p, std::uint8_t base, int q) {
                        const int k = cand_at[static_cast<std::size_t>(p - wb)];
                        if (k < 0) return;
                        auto& st = snvs[static_cast<std::size_t>(k)];
                        auto& ev = st.evidence[s];
                        ++ev.dp;
                        const int a = allele_of[static_cast<std::size_t>(k)][base];
                        if (a < 0) return;
                        ++ev.ad[static_cast<std::size_t>(a)];
                        const double e = std::pow(10.0, -std::min(q, mapq) / 10.0);
                        const auto hit = static_cast<float>(std::log10(1.0 - e));
                        const auto miss = static_cast<float>(std::log10(e / 3.0));
                        for (std::size_t x = 0; x < st.alleles.size(); ++x)
                            ev.read_lk.push_back(static_cast<int>(x) == a ? hit : miss);
                    });
                }
        for (auto& st : snvs) sites.push_back(std::move(st));
        std::stable_sort(sites.begin(), sites.end(), [](const site& a, const site& b) {
            return std::tie(a.pos, a.indel) < std::tie(b.pos, b.indel);
        });
        std::string out;
        for (const auto& st : sites) format(c, st, out);
        return out;
    }

    // Keeps REF and the ALT alleles in `keep` (sorted), subsetting the evidence; trims the suffix all
    // remaining alleles share (a dropped longer deletion leaves one), so the record stays normalised.
    static site subset(const site& st, const std::vector<int>& keep) {
        site out{st.pos, st.indel, {}, {}};
        const std::size_t n_old = st.alleles.size();
        for (int a : keep) out.alleles.push_back(st.alleles[static_cast<std::size_t>(a)]);
        for (const auto& ev : st.evidence) {
            sample_evidence e;
            e.dp = ev.dp;
            for (int a : keep) e.ad.push_back(ev.ad[static_cast<std::size_t>(a)]);
            const std::size_t reads = ev.read_lk.size() / n_old;
            for (std::size_t r = 0; r < reads; ++r)
                for (int a : keep) e.read_lk.push_back(ev.read_lk[r * n_old + static_cast<std::size_t>(a)]);
            out.evidence.push_back(std::move(e));
        }
        for (;;) {
            bool trim = true;
            for (const auto& a : out.alleles) trim = trim && a.size() >= 2 && a.back() == out.alleles[0].back();
            if (!trim) break;
            for (auto& a : out.alleles) a.pop_back();
        }
        return out;
    }

    void format(const chunk& c, const site& first, std::string& out) const {
        const double prior = first.indel ? params.indel_prior : params.snv_prior;
        site_call call = genotype_site(first.evidence, static_cast<int>(first.alleles.size()), prior);
        if (!call.variant()) return;
        // ALT alleles no genotype carries are dropped and the site genotyped again without them.
        std::vector<int> keep{0};
        for (int a = 1; a < static_cast<int>(first.alleles.size()); ++a)
            for (const auto& g : call.samples)
                if (g.a1 == a || g.a2 == a) {
                    keep.push_back(a);
                    break;
                }
        site reduced;
        if (keep.size() < first.alleles.size()) {
            reduced = subset(first, keep);
            call = genotype_site(reduced.evidence, static_cast<int>(reduced.alleles.size()), prior);
            if (!call.variant()) return;
        }
        const site& st = keep.size() < first.alleles.size() ? reduced : first;
        const int n_alleles = static_cast<int>(st.alleles.size());
        int dp = 0, an = 0;
        std::vector<int> ac(static_cast<std::size_t>(n_alleles), 0);
        for (std::size_t s = 0; s < st.evidence.size(); ++s) {
            dp += st.evidence[s].dp;
            const auto& g = call.samples[s];
            if (g.a1 < 0) continue;
            an += 2;
            ++ac[static_cast<std::size_t>(g.a1)];
            ++ac[static_cast<std::size_t>(g.a2)];
        }
        out += in.contig_names[static_cast<std::size_t>(c.contig)];
        out += '\t' + std::to_string(st.pos + 1) + "\t.\t" + st.alleles[0] + '\t';
        for (int a = 1; a < n_alleles; ++a) {
            if (a > 1) out += ',';
            out += st.alleles[static_cast<std::size_t>(a)];
        }
        char qual[32];
        std::snprintf(qual, sizeof qual, "%.2f", call.qual);
        out += '\t';
        out += qual;
        std::string filter;
        if (call.qual < params.min_qual) filter = "LowQual";
        if (dp < params.min_depth) filter += filter.empty() ? "LowDepth" : ";LowDepth";
        out += '\t' + (filter.empty() ? std::string("PASS") : filter);
        out += "\tDP=" + std::to_string(dp) + ";AC=";
        for (int a = 1; a < n_alleles; ++a) out += (a > 1 ? "," : "") + std::to_string(ac[static_cast<std::size_t>(a)]);
        out += ";AN=" + std::to_string(an);
        if (st.indel) out += ";INDEL";
        out += "\tGT:GQ:DP:AD:PL";
        for (std::size_t s = 0; s < st.evidence.size(); ++s) {
            const auto& g = call.samples[s];
            const auto& ev = st.evidence[s];
            out += '\t';
            if (g.a1 < 0) {
                out += "./.:.:0:.:.";
                continue;
            }
            out += std::to_string(g.a1) + '/' + std::to_string(g.a2) + ':' + std::to_string(g.gq) + ':' + std::to_string(ev.dp) + ':';
            for (int a = 0; a < n_alleles; ++a) out += (a ? "," : "") + std::to_string(ev.ad[static_cast<std::size_t>(a)]);
            out += ':';
            for (std::size_t k = 0; k < g.pl.size(); ++k) out += (k ? "," : "") + std::to_string(g.pl[k]);
        }
        out += '\n';
    }
};

chunk_caller::chunk_caller(const caller_inputs& inputs, const caller_params& params)
    : m_impl(std::make_unique<impl>(inputs, params)) {}
chunk_caller::~chunk_caller() = default;
std::string chunk_caller::call(const chunk& c) { return m_impl->call(c); }

}  // namespace precis::call::detail
