// Seeding, chaining, extension and pairing. Scoring follows bwa mem's scheme so that AS/XS and MAPQ
// read the same way to users of bwa.
#include "precis/align/mapper.hpp"

#include <htslib/sam.h>
#include <parasail.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "precis/align/detail/sequence.hpp"
#include "precis/core/error.hpp"

namespace precis::align {

namespace {

struct hit {
    std::int64_t diag;
    std::uint32_t qpos;
    bool rev;
};

struct cluster {
    bool rev;
    std::int64_t dmin, dmax, dmode;
    int seeds;
};

std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

int raw_mapq(int diff, int a) { return static_cast<int>(6.02 * diff / a + .499); }

}  // namespace

struct mapper::impl {
    parasail_matrix_t* matrix = nullptr;
};

mapper::mapper(const genome_index& index, mapper_options options)
    : m_index(index), m_options(options), m_impl(new impl) {
    m_impl->matrix = parasail_matrix_create("ACGTN", options.match, -options.mismatch);
    if (!m_impl->matrix) throw runtime_failure("parasail: cannot create the scoring matrix");
    for (int i = 0; i < 5; ++i) {
        parasail_matrix_set_value(m_impl->matrix, i, 4, -1);
        parasail_matrix_set_value(m_impl->matrix, 4, i, -1);
    }
}

mapper::~mapper() {
    parasail_matrix_free(m_impl->matrix);
    delete m_impl;
}

namespace {

/// Everything needed to finish an alignment given its oriented read and reference window.
struct finisher {
    const genome_index& index;
    const mapper_options& o;

    int base_score(char q, char r) const {
        int a = detail::base_code(q), b = detail::base_code(r);
        if (a > 3 || b > 3) return -1;
        return a == b ? o.match : -o.mismatch;
    }

    /// Fills pos/ref_end/score/nm/md/read interval from cigar + start (concatenated ref coordinate).
    void finish(alignment& a, const std::string& q, std::int64_t ref_start, int contig_index) const {
        const contig& c = index.contigs()[static_cast<std::size_t>(contig_index)];
        const char* ref = index.bases();
        a.contig = contig_index;
        a.pos = ref_start - c.offset;
        int score = 0, nm = 0, qi = 0, match_run = 0;
        std::int64_t ri = ref_start;
        std::string md;
        int clip_front = 0, clip_back = 0;
        for (std::size_t k = 0; k < a.cigar.size(); ++k) {
            int op = bam_cigar_op(a.cigar[k]);
            int len = static_cast<int>(bam_cigar_oplen(a.cigar[k]));
            if (op == BAM_CSOFT_CLIP) {
                (k == 0 ? clip_front : clip_back) = len;
                qi += len;
            } else if (op == BAM_CMATCH) {
                for (int j = 0; j < len; ++j, ++qi, ++ri) {
                    char rc = ref[ri], qc = q[static_cast<std::size_t>(qi)];
                    score += base_score(qc, rc);
                    int rn = seq_nt16_table[static_cast<unsigned char>(rc)];
                    int qn = seq_nt16_table[static_cast<unsigned char>(qc)];
                    if (rn == qn && rn != 15) {
                        ++match_run;
                    } else {
                        ++nm;
                        md += std::to_string(match_run);
                        md.push_back(rc);
                        match_run = 0;
                    }
                }
            } else if (op == BAM_CINS) {
                score -= o.gap_open + o.gap_extend * len;
                nm += len;
                qi += len;
            } else if (op == BAM_CDEL) {
                score -= o.gap_open + o.gap_extend * len;
                nm += len;
                md += std::to_string(match_run);
                md.push_back('^');
                md.append(ref + ri, static_cast<std::size_t>(len));
                match_run = 0;
                ri += len;
            }
        }
        md += std::to_string(match_run);
        a.ref_end = ri - c.offset;
        a.score = score;
        a.nm = nm;
        a.md = std::move(md);
        const int L = static_cast<int>(q.size());
        int qb = clip_front, qe = L - clip_back;
        if (a.reverse) {
            a.read_begin = L - qe;
            a.read_end = L - qb;
        } else {
            a.read_begin = qb;
            a.read_end = qe;
        }
    }
};

/// Glocal extension of a clipped read end with affine gaps: the whole tail `t` (read bases walking away
/// from the alignment) against reference bases `r` (walking the same way), anchored at the alignment and
/// ending on an aligned base. Returns the best score (INT32_MIN when none) and its operations in walking
/// order as (BAM op, length) runs, plus the reference bases they consume.
int extend_tail(const std::string& t, const std::string& r, const finisher& fin, const mapper_options& o,
                std::vector<std::pair<int, int>>& ops, int& ref_used) {
    constexpr int neg = INT32_MIN / 4;
    const int n = static_cast<int>(t.size()), m = static_cast<int>(r.size());
    ops.clear();
    ref_used = 0;
    if (n == 0 || m == 0) return INT32_MIN;
    const int open = o.gap_open + o.gap_extend, ext = o.gap_extend;
    const std::size_t w = static_cast<std::size_t>(m + 1);
    const std::size_t cells = static_cast<std::size_t>(n + 1) * w;
    thread_local std::vector<int> M, I, D;  // reused: this runs for many clipped reads
    M.resize(cells);
    I.resize(cells);
    D.resize(cells);
    // Substitution scores from base codes (as finisher::base_score).
    thread_local std::vector<unsigned char> tc, rc;
    tc.resize(static_cast<std::size_t>(n));
    rc.resize(static_cast<std::size_t>(m));
    for (int i = 0; i < n; ++i) tc[static_cast<std::size_t>(i)] = static_cast<unsigned char>(detail::base_code(t[static_cast<std::size_t>(i)]));
    for (int j = 0; j < m; ++j) rc[static_cast<std::size_t>(j)] = static_cast<unsigned char>(detail::base_code(r[static_cast<std::size_t>(j)]));
    const int match = o.match, mismatch = -o.mismatch;
    auto sub = [&](int i, int j) {
        unsigned a = tc[static_cast<std::size_t>(i - 1)], b = rc[static_cast<std::size_t>(j - 1)];
        return (a > 3 || b > 3) ? -1 : a == b ? match : mismatch;
    };
    (void)fin;
    auto at = [&](int i, int j) { return static_cast<std::size_t>(i) * w + static_cast<std::size_t>(j); };
    // Row 0: only deletions reach it; column 0: only insertions. Every other cell is written below.
    M[0] = 0;
    I[0] = D[0] = neg;
    for (int j = 1, m_left = 0, d_left = neg; j <= m; ++j) {
        const int dv = std::max(m_left - open, d_left - ext);
        M[at(0, j)] = neg;
        I[at(0, j)] = neg;
        D[at(0, j)] = dv;
        m_left = neg;
        d_left = dv;
    }
    for (int i = 1; i <= n; ++i) {
        const std::size_t row = at(i, 0), up = at(i - 1, 0);
        M[row] = D[row] = neg;
        I[row] = std::max(M[up] - open, I[up] - ext);
        const unsigned a = tc[static_cast<std::size_t>(i - 1)];
        // The current row's left neighbours travel in registers (this also keeps GCC 12's -O3 loop
        // distribution, which miscompiled the all-in-memory form, away from the loop).
        int m_left = neg, d_left = neg;
        const int* Mu = M.data() + up;
        const int* Iu = I.data() + up;
        const int* Du = D.data() + up;
        int* Mc = M.data() + row;
        int* Ic = I.data() + row;
        int* Dc = D.data() + row;
        for (int j = 1; j <= m; ++j) {
            const unsigned b = rc[static_cast<std::size_t>(j - 1)];
            const int s = (a > 3 || b > 3) ? -1 : a == b ? match : mismatch;
            const int mv = std::max({Mu[j - 1], Iu[j - 1], Du[j - 1]}) + s;
            const int iv = std::max(Mu[j] - open, Iu[j] - ext);
            const int dv = std::max(m_left - open, d_left - ext);
            Mc[j] = mv;
            Ic[j] = iv;
            Dc[j] = dv;
            m_left = mv;
            d_left = dv;
        }
    }
    int best = neg, bj = 0;
    for (int j = 1; j <= m; ++j)
        if (M[at(n, j)] > best) {
            best = M[at(n, j)];
            bj = j;
        }
    if (best <= neg / 2) return INT32_MIN;
    std::vector<int> rev;
    int i = n, j = bj, state = 0;  // 0 M, 1 I, 2 D
    while (i > 0 || j > 0) {
        if (state == 0) {
            rev.push_back(BAM_CMATCH);
            int v = M[at(i, j)] - sub(i, j);
            --i;
            --j;
            state = v == M[at(i, j)] ? 0 : v == I[at(i, j)] ? 1 : 2;
        } else if (state == 1) {
            rev.push_back(BAM_CINS);
            state = I[at(i, j)] == M[at(i - 1, j)] - open ? 0 : 1;
            --i;
        } else {
            rev.push_back(BAM_CDEL);
            state = D[at(i, j)] == M[at(i, j - 1)] - open ? 0 : 2;
            --j;
        }
    }
    for (auto it = rev.rbegin(); it != rev.rend(); ++it) {
        if (!ops.empty() && ops.back().first == *it) ++ops.back().second;
        else ops.emplace_back(*it, 1);
    }
    ref_used = bj;
    return best;
}

void push_op(std::vector<std::uint32_t>& cigar, int op, int len) {
    if (len <= 0) return;
    if (!cigar.empty() && static_cast<int>(bam_cigar_op(cigar.back())) == op)
        cigar.back() += static_cast<std::uint32_t>(len) << BAM_CIGAR_SHIFT;
    else
        cigar.push_back(bam_cigar_gen(len, op));
}

/// A parasail local alignment as BAM operations, with any leading/trailing gap trimmed off (parasail's
/// traceback can start with a deletion that scores nothing).
struct sw_hit {
    std::vector<std::uint32_t> core;
    int qb = 0, qe = 0;     // aligned read interval [qb, qe) of the oriented read
    std::int64_t rb = 0;    // window offset of the first aligned reference base
};

sw_hit to_hit(parasail_result_t* r, const std::string& q, const std::string& window, const parasail_matrix_t* matrix) {
    sw_hit h;
    parasail_cigar_t* pc = parasail_result_get_cigar(r, q.data(), static_cast<int>(q.size()), window.data(),
                                                     static_cast<int>(window.size()), matrix);
    if (!pc) throw runtime_failure("parasail: traceback failed");
    h.qb = pc->beg_query;
    h.rb = pc->beg_ref;
    h.qe = parasail_result_get_end_query(r) + 1;
    for (int t = 0; t < pc->len; ++t) {
        char op = parasail_cigar_decode_op(pc->seq[t]);
        int len = static_cast<int>(parasail_cigar_decode_len(pc->seq[t]));
        push_op(h.core, op == 'I' ? BAM_CINS : op == 'D' ? BAM_CDEL : BAM_CMATCH, len);
    }
    parasail_cigar_free(pc);
    while (!h.core.empty() && bam_cigar_op(h.core.front()) != BAM_CMATCH) {
        int len = static_cast<int>(bam_cigar_oplen(h.core.front()));
        if (bam_cigar_op(h.core.front()) == BAM_CDEL) h.rb += len; else h.qb += len;
        h.core.erase(h.core.begin());
    }
    while (!h.core.empty() && bam_cigar_op(h.core.back()) != BAM_CMATCH) {
        if (bam_cigar_op(h.core.back()) == BAM_CINS) h.qe -= static_cast<int>(bam_cigar_oplen(h.core.back()));
        h.core.pop_back();
    }
    return h;
}

}  // namespace

std::vector<alignment> mapper::align_read(const std::string& raw, std::uint64_t tie_seed) const {
    const mapper_options& o = m_options;
    const int L = static_cast<int>(raw.size());
    std::vector<alignment> out;
    if (L < m_index.k()) return out;
    std::string fwd(raw.size(), 'N');
    for (int i = 0; i < L; ++i) fwd[static_cast<std::size_t>(i)] = detail::normalise_base(raw[static_cast<std::size_t>(i)]);
    const std::string rc = detail::reverse_complement(fwd);

    // Seeds.
    // Per-thread scratch, reused from read to read (no allocation per read once warm).
    thread_local std::vector<minimizer> mins;
    thread_local std::vector<hit> hits;
    thread_local std::vector<std::span<const std::uint64_t>> occs;
    thread_local std::vector<cluster> clusters;
    thread_local std::vector<char> seen;
    mins.clear();
    hits.clear();
    clusters.clear();
    compute_minimizers(fwd, m_index.k(), m_index.w(), mins);
    const int k = m_index.k();
    // Rare minimizers first: when a read has a few, more frequent ones only add work and stray hits.
    occs.resize(mins.size());
    int rare = 0;
    m_index.lookup_many(mins.data(), mins.size(), occs.data());
    for (std::size_t t = 0; t < mins.size(); ++t) {
        if (!occs[t].empty() && occs[t].size() <= static_cast<std::size_t>(o.rare_occurrences)) ++rare;
    }
    const std::size_t limit = static_cast<std::size_t>(rare >= 3 ? o.rare_occurrences : o.max_occurrences);
    int repetitive = 0;
    for (std::size_t t = 0; t < mins.size(); ++t) {
        const auto& m = mins[t];
        auto occ = occs[t];
        if (occ.size() > limit) {
            ++repetitive;
            continue;
        }
        for (std::uint64_t e : occ) {
            ref_pos pos = entry_position(e);
            bool rrev = entry_reverse(e);
            bool rev = rrev != m.reverse;
            std::int64_t qpos = rev ? L - static_cast<std::int64_t>(m.position) - k : m.position;
            hits.push_back({pos - qpos, static_cast<std::uint32_t>(qpos), rev});
        }
    }
    if (hits.empty()) return out;
    std::sort(hits.begin(), hits.end(), [](const hit& a, const hit& b) {
        if (a.rev != b.rev) return a.rev < b.rev;
        if (a.diag != b.diag) return a.diag < b.diag;
        return a.qpos < b.qpos;
    });

    // Chain hits on nearby diagonals (indels up to max_gap) into clusters.
    constexpr std::int64_t max_gap = 16;
    seen.resize(static_cast<std::size_t>(L));
    std::size_t i = 0;
    while (i < hits.size()) {
        std::size_t j = i + 1;
        while (j < hits.size() && hits[j].rev == hits[i].rev && hits[j].diag - hits[j - 1].diag <= max_gap) ++j;
        std::fill(seen.begin(), seen.end(), 0);
        int seeds = 0, best_run = 0, run = 0;
        std::int64_t mode = hits[i].diag;
        for (std::size_t t = i; t < j; ++t) {
            if (!seen[hits[t].qpos]) {
                seen[hits[t].qpos] = 1;
                ++seeds;
            }
            run = (t > i && hits[t].diag == hits[t - 1].diag) ? run + 1 : 1;
            if (run > best_run) {
                best_run = run;
                mode = hits[t].diag;
            }
        }
        clusters.push_back({hits[i].rev, hits[i].diag, hits[j - 1].diag, mode, seeds});
        i = j;
    }
    std::sort(clusters.begin(), clusters.end(), [](const cluster& a, const cluster& b) {
        if (a.seeds != b.seeds) return a.seeds > b.seeds;
        if (a.rev != b.rev) return a.rev < b.rev;
        return a.dmode < b.dmode;
    });
    const int best_seeds = clusters.front().seeds;

    finisher fin{m_index, o};
    const char* ref = m_index.bases();
    // Closes an alignment of q[qb, qe) starting at reference rb (core operations from M to M): clipped ends
    // are extended to the read end when that costs less than the clip penalty, ungapped first, else (tails
    // up to max_tail bases) a glocal alignment with gaps, so that an indel near the read end is aligned
    // rather than hidden in a soft clip (bwa mem's end-to-end preference). The same for every candidate,
    // so that competing loci of a repeat are scored alike.
    auto close_ends = [&](alignment& a, const std::string& q, int qb, int qe, std::int64_t rb,
                          const std::vector<std::uint32_t>& core, int ctg, std::int64_t cbeg, std::int64_t cend) {
        std::int64_t re = rb;
        for (auto op : core)
            if (bam_cigar_type(bam_cigar_op(op)) & 2) re += bam_cigar_oplen(op);
        constexpr int max_tail = 50, tail_pad = 16;
        std::vector<std::pair<int, int>> lops, rops;
        int left_ref = 0, ls = 0;
        for (int t = 1; t <= qb && rb - t >= cbeg; ++t) ls += fin.base_score(q[static_cast<std::size_t>(qb - t)], ref[rb - t]);
        if (qb > 0 && rb - qb >= cbeg && ls > -o.clip_penalty) {
            lops.emplace_back(BAM_CMATCH, qb);
            left_ref = qb;
        } else if (qb > 0 && qb <= max_tail) {
            std::string tt(q.rend() - qb, q.rend()), rr;
            for (std::int64_t t = rb - 1; t >= std::max(cbeg, rb - qb - tail_pad); --t) rr.push_back(ref[t]);
            int used = 0;
            if (extend_tail(tt, rr, fin, o, lops, used) > -o.clip_penalty) {
                std::reverse(lops.begin(), lops.end());
                left_ref = used;
            } else {
                lops.clear();
            }
        }
        int rs = 0;
        for (int t = 0; t < L - qe && re + t < cend; ++t) rs += fin.base_score(q[static_cast<std::size_t>(qe + t)], ref[re + t]);
        if (qe < L && re + (L - qe) <= cend && rs > -o.clip_penalty) {
            rops.emplace_back(BAM_CMATCH, L - qe);
        } else if (qe < L && L - qe <= max_tail) {
            std::string tt(q.begin() + qe, q.end());
            std::string rr(ref + re, ref + std::min(cend, re + (L - qe) + tail_pad));
            int used = 0;
            if (extend_tail(tt, rr, fin, o, rops, used) <= -o.clip_penalty) rops.clear();
        }
        int left = 0, right = 0;
        for (const auto& [op, len] : lops) left += op == BAM_CDEL ? 0 : len;
        for (const auto& [op, len] : rops) right += op == BAM_CDEL ? 0 : len;
        push_op(a.cigar, BAM_CSOFT_CLIP, qb - left);
        for (const auto& [op, len] : lops) push_op(a.cigar, op, len);
        for (auto op : core) push_op(a.cigar, static_cast<int>(bam_cigar_op(op)), static_cast<int>(bam_cigar_oplen(op)));
        for (const auto& [op, len] : rops) push_op(a.cigar, op, len);
        push_op(a.cigar, BAM_CSOFT_CLIP, L - qe - right);
        fin.finish(a, q, rb - left_ref, ctg);
    };
    for (std::size_t ci = 0; ci < clusters.size() && ci < static_cast<std::size_t>(o.max_candidates); ++ci) {
        const cluster& cl = clusters[ci];
        if (ci >= 2 && cl.seeds * 4 < best_seeds) break;
        const std::string& q = cl.rev ? rc : fwd;
        int ctg = m_index.contig_of(std::clamp<std::int64_t>(cl.dmode + L / 2, 0, m_index.total_length() - 1));
        const contig& c = m_index.contigs()[static_cast<std::size_t>(ctg)];
        const std::int64_t cbeg = c.offset, cend = c.offset + c.length;
        alignment a;
        a.reverse = cl.rev;
        bool done = false;
        // Ungapped fast path on the main diagonal: inside the contig, few mismatches, nothing worth clipping.
        if (cl.dmode >= cbeg && cl.dmode + L <= cend) {
            int mism = 0, total = 0, prefix = 0, best_left_gain = 0, suffix_worst = 0;
            for (int t = 0; t < L; ++t) {
                int s = fin.base_score(q[static_cast<std::size_t>(t)], ref[cl.dmode + t]);
                if (s < 0) ++mism;
                total += s;
                prefix += s;
                best_left_gain = std::max(best_left_gain, -prefix - o.clip_penalty);
            }
            int suffix = 0;
            for (int t = L - 1; t >= 0; --t) {
                suffix += fin.base_score(q[static_cast<std::size_t>(t)], ref[cl.dmode + t]);
                suffix_worst = std::max(suffix_worst, -suffix - o.clip_penalty);
            }
            if (mism <= 5 && best_left_gain == 0 && suffix_worst == 0) {
                push_op(a.cigar, BAM_CMATCH, L);
                fin.finish(a, q, cl.dmode, ctg);
                done = true;
            } else if (ci >= 1 && cl.seeds < 2 && total < o.min_score) {
                continue;  // a lone stray seed: not worth a gapped extension
            } else if (ci >= 1 && cl.dmin == cl.dmax) {
                // A lesser candidate with every seed on one diagonal (typically a diverged paralog): its
                // best ungapped local alignment (clipping penalised) stands in for a gapped extension.
                int prefix_min = 0, prefix_min_at = 0, run = 0, best = INT32_MIN, bb = 0, be = 0;
                for (int t = 1; t <= L; ++t) {
                    run += fin.base_score(q[static_cast<std::size_t>(t - 1)], ref[cl.dmode + t - 1]);
                    int val = run - prefix_min - (t < L ? o.clip_penalty : 0);
                    if (val > best) {
                        best = val;
                        bb = prefix_min_at;
                        be = t;
                    }
                    if (run + o.clip_penalty < prefix_min) {
                        prefix_min = run + o.clip_penalty;
                        prefix_min_at = t;
                    }
                }
                if (be - bb < 20) continue;
                if (L - (be - bb) > 12) goto gapped;  // a long clip may hide an indel: extend properly
                close_ends(a, q, bb, be, cl.dmode + bb, {bam_cigar_gen(static_cast<std::uint32_t>(be - bb), BAM_CMATCH)}, ctg,
                           cbeg, cend);
                done = true;
            }
        }
    gapped:
        if (!done) {
            const std::int64_t pad = 12;
            std::int64_t wb = std::max(cbeg, cl.dmin - pad);
            std::int64_t we = std::min(cend, cl.dmax + L + pad);
            if (we - wb < 11) continue;
            std::string window(static_cast<std::size_t>(we - wb), 'N');
            for (std::int64_t t = wb; t < we; ++t) window[static_cast<std::size_t>(t - wb)] = detail::normalise_base(ref[t]);
            parasail_result_t* r = parasail_sw_trace_striped_16(q.data(), L, window.data(), static_cast<int>(window.size()),
                                                                o.gap_open + o.gap_extend, o.gap_extend, m_impl->matrix);
            if (!r) throw runtime_failure("parasail: alignment failed");
            if (parasail_result_get_score(r) < o.min_score / 2) {
                parasail_result_free(r);
                continue;
            }
            sw_hit h = to_hit(r, q, window, m_impl->matrix);
            parasail_result_free(r);
            if (h.core.empty()) continue;
            close_ends(a, q, h.qb, h.qe, wb + h.rb, h.core, ctg, cbeg, cend);
        }
        if (a.score < o.min_score) continue;
        out.push_back(std::move(a));
    }
    // Drop duplicates (two clusters converging on one locus), best first with a per-read tie order.
    auto order_key = [&](const alignment& a) {
        return mix(tie_seed ^ (static_cast<std::uint64_t>(a.pos) * 2 + a.reverse) ^ (static_cast<std::uint64_t>(a.contig) << 40));
    };
    std::sort(out.begin(), out.end(), [&](const alignment& a, const alignment& b) {
        if (a.score != b.score) return a.score > b.score;
        return order_key(a) < order_key(b);
    });
    std::vector<alignment> kept;
    for (auto& a : out) {
        bool dup = false;
        for (const auto& b : kept)
            if (b.contig == a.contig && b.reverse == a.reverse && a.pos < b.ref_end && b.pos < a.ref_end &&
                std::min(a.read_end, b.read_end) - std::max(a.read_begin, b.read_begin) > 0 &&
                (a.pos - a.read_begin) - (b.pos - b.read_begin) < 20 && (b.pos - b.read_begin) - (a.pos - a.read_begin) < 20)
                dup = true;
        if (!dup) kept.push_back(std::move(a));
    }
    // XS, close competitors and single-end MAPQ.
    const int min_sub = 19 * o.match;
    for (auto& a : kept) {
        a.sub_score = 0;
        a.sub_count = 0;
        for (const auto& b : kept) {
            if (&a == &b) continue;
            int ov = std::min(a.read_end, b.read_end) - std::max(a.read_begin, b.read_begin);
            int shorter = std::min(a.read_end - a.read_begin, b.read_end - b.read_begin);
            if (ov * 2 < shorter) continue;
            a.sub_score = std::max(a.sub_score, b.score);
            if (b.score >= a.score - 2 * o.mismatch) ++a.sub_count;
        }
        int sub = std::max(a.sub_score, min_sub);
        if (repetitive > 0 && best_seeds <= 2) sub = std::max(sub, a.score - 5);  // seeds mostly repetitive
        if (sub >= a.score) {
            a.mapq = 0;
            continue;
        }
        int l = std::max(a.read_end - a.read_begin, static_cast<int>(a.ref_end - a.pos));
        double identity = 1.0 - static_cast<double>(l * o.match - a.score) / (o.match + o.mismatch) / l;
        double tmp = l < 50 ? 1.0 : std::log(50.0) / std::log(static_cast<double>(l));
        tmp *= identity * identity;
        int q = static_cast<int>(6.02 * (a.score - sub) / o.match * tmp * tmp + .499);
        if (a.sub_count > 0) q -= static_cast<int>(4.343 * std::log(a.sub_count + 1) + .499);
        a.mapq = std::clamp(q, 0, 60);
    }
    return kept;
}

namespace {

/// Supplementary alignments: best further alignments covering a part of the read the primary leaves
/// clipped (chimeric reads).
void add_supplementary(read_result& r, const std::vector<alignment>& all, const mapper_options& o) {
    std::vector<const alignment*> parts{&r.primary};
    for (const auto& a : all) {
        if (&a == &r.primary) continue;
        bool overlaps = false;
        int novel = a.read_end - a.read_begin;
        for (const auto* p : parts) {
            int ov = std::min(a.read_end, p->read_end) - std::max(a.read_begin, p->read_begin);
            if (ov > o.max_supplementary_overlap) overlaps = true;
            novel -= std::max(0, ov);
        }
        if (overlaps || novel < 30 || a.score < o.min_score) continue;
        r.supplementary.push_back(a);
        parts.push_back(&r.supplementary.back());
        if (r.supplementary.size() >= 2) break;
    }
}

/// Secondary alignments: other hits of the primary's part of the read (overlapping it on the read by at
/// least half, as for XS) scoring at least the primary's score minus the margin; best first, MAPQ 0.
void add_secondary(read_result& r, const std::vector<alignment>& all, const mapper_options& o) {
    const alignment& p = r.primary;
    // Same place: one strand of one contig, overlapping on the reference (a rescued copy of a hit).
    auto same = [](const alignment& x, const alignment& y) {
        return x.contig == y.contig && x.reverse == y.reverse && x.pos < y.ref_end && y.pos < x.ref_end;
    };
    std::vector<const alignment*> c;
    for (const auto& a : all) {
        if (same(a, p) || a.score < p.score - o.secondary_margin || a.score < o.min_score) continue;
        int ov = std::min(a.read_end, p.read_end) - std::max(a.read_begin, p.read_begin);
        if (ov * 2 < std::min(a.read_end - a.read_begin, p.read_end - p.read_begin)) continue;
        bool taken = false;
        for (const auto& s : r.supplementary) taken = taken || same(a, s);
        if (!taken) c.push_back(&a);
    }
    std::stable_sort(c.begin(), c.end(), [](const alignment* x, const alignment* y) { return x->score > y->score; });
    for (const alignment* a : c) {
        if (static_cast<int>(r.secondary.size()) >= o.max_secondary) break;
        bool taken = false;
        for (const auto& s : r.secondary) taken = taken || same(*a, s);
        if (taken) continue;
        r.secondary.push_back(*a);
        r.secondary.back().mapq = 0;
    }
}

}  // namespace

read_result mapper::map_single(const std::string& seq, std::uint64_t tie_seed) const {
    read_result r;
    auto all = align_read(seq, tie_seed);
    if (all.empty()) return r;
    r.primary = all.front();
    r.supplementary.reserve(2);
    add_supplementary(r, all, m_options);
    add_secondary(r, all, m_options);
    return r;
}

namespace {

/// Mate rescue: local alignment of the mate in the window where an FR partner of `anchor` must lie.
bool rescue(const genome_index& index, const mapper_options& o, const parasail_matrix_t* matrix,
            const alignment& anchor, const std::string& mate_fwd, const insert_model& model, alignment& out) {
    const int L = static_cast<int>(mate_fwd.size());
    if (L == 0) return false;  // an empty read (e.g. trimmed away) stays unmapped
    const contig& c = index.contigs()[static_cast<std::size_t>(anchor.contig)];
    std::int64_t wb, we;
    bool mate_rev = !anchor.reverse;
    if (!anchor.reverse) {
        wb = c.offset + anchor.pos;
        we = c.offset + anchor.pos + model.high;
    } else {
        wb = c.offset + anchor.ref_end - model.high;
        we = c.offset + anchor.ref_end;
    }
    wb = std::max(wb, c.offset);
    we = std::min(we, c.offset + c.length);
    if (we - wb < L / 2) return false;
    std::string window(static_cast<std::size_t>(we - wb), 'N');
    const char* ref = index.bases();
    for (std::int64_t t = wb; t < we; ++t) window[static_cast<std::size_t>(t - wb)] = detail::normalise_base(ref[t]);
    std::string q = mate_rev ? detail::reverse_complement(mate_fwd) : mate_fwd;
    for (auto& ch : q) ch = detail::normalise_base(ch);
    // Most rescue windows hold no mate (the anchor is a lesser hit): the score alone, several times
    // cheaper than the traceback tables, rules those out.
    parasail_result_t* s0 = parasail_sw_striped_16(q.data(), L, window.data(), static_cast<int>(window.size()),
                                                   o.gap_open + o.gap_extend, o.gap_extend, matrix);
    if (!s0) throw runtime_failure("parasail: alignment failed");
    const int score0 = parasail_result_get_score(s0);
    parasail_result_free(s0);
    if (score0 < o.min_score) return false;
    parasail_result_t* r = parasail_sw_trace_striped_16(q.data(), L, window.data(), static_cast<int>(window.size()),
                                                        o.gap_open + o.gap_extend, o.gap_extend, matrix);
    if (!r) throw runtime_failure("parasail: alignment failed");
    if (parasail_result_get_score(r) < o.min_score) {
        parasail_result_free(r);
        return false;
    }
    sw_hit h = to_hit(r, q, window, matrix);
    parasail_result_free(r);
    if (h.core.empty()) return false;
    out = alignment{};
    out.reverse = mate_rev;
    push_op(out.cigar, BAM_CSOFT_CLIP, h.qb);
    for (auto op : h.core) push_op(out.cigar, static_cast<int>(bam_cigar_op(op)), static_cast<int>(bam_cigar_oplen(op)));
    push_op(out.cigar, BAM_CSOFT_CLIP, L - h.qe);
    std::int64_t rb = wb + h.rb;
    finisher{index, o}.finish(out, q, rb, anchor.contig);
    return out.score >= o.min_score;
}

double pair_log_term(const insert_model& m, std::int64_t tlen, const mapper_options& o) {
    double ns = (static_cast<double>(tlen) - m.mean) / std::max(m.sd, 1.0);
    double p = std::erfc(std::fabs(ns) * M_SQRT1_2);
    return 0.721 * std::log(std::max(2.0 * p, 1e-300)) * o.match;
}

}  // namespace

pair_result mapper::map_pair(const std::string& seq1, const std::string& seq2, const insert_model& model,
                             std::uint64_t tie_seed) const {
    std::vector<alignment> a[2] = {align_read(seq1, tie_seed), align_read(seq2, tie_seed ^ mate_seed)};
    return map_pair(seq1, seq2, model, tie_seed, a);
}

pair_result mapper::map_pair(const std::string& seq1, const std::string& seq2, const insert_model& model,
                             std::uint64_t /*tie_seed*/, std::vector<alignment> (&a)[2]) const {
    const mapper_options& o = m_options;
    pair_result pr;
    insert_model m = model;
    if (!m.valid) {
        m.mean = 300;
        m.sd = 200;
        m.low = 1;
        m.high = 1000;
    }
    auto proper = [&](const alignment& x, const alignment& y) {
        std::int64_t t = fr_template_length(x, y);
        return t > 0 && t >= m.low && t <= m.high;
    };
    // Mate rescue from the best few alignments of each read.
    const std::string* seqs[2] = {&seq1, &seq2};
    for (int r = 0; r < 2; ++r) {
        int o_ = 1 - r;
        std::size_t n = a[r].size();
        for (std::size_t i = 0; i < n && (i < 3 || a[r][i].score == a[r][0].score); ++i) {
            if (a[r][i].score < a[r][0].score - 20) break;
            bool has = false;
            for (const auto& y : a[o_])
                if (proper(a[r][i], y)) has = true;
            if (has) continue;
            alignment found;
            if (rescue(m_index, o, m_impl->matrix, a[r][i], *seqs[o_], m, found)) {
                // Give the rescued alignment its own competitors' view for XS.
                int sub = 0;
                for (const auto& y : a[o_]) {
                    int ov = std::min(found.read_end, y.read_end) - std::max(found.read_begin, y.read_begin);
                    if (ov * 2 >= std::min(found.read_end - found.read_begin, y.read_end - y.read_begin)) sub = std::max(sub, y.score);
                }
                found.sub_score = sub;
                found.mapq = 0;
                a[o_].push_back(std::move(found));
            }
        }
    }
    // Best pairing vs best unpaired.
    int best_pair = INT32_MIN, second_pair = INT32_MIN;
    std::size_t bi = 0, bj = 0;
    std::vector<int> pair_scores;
    for (std::size_t i = 0; i < a[0].size(); ++i)
        for (std::size_t j = 0; j < a[1].size(); ++j) {
            if (!proper(a[0][i], a[1][j])) continue;
            std::int64_t t = fr_template_length(a[0][i], a[1][j]);
            int s = static_cast<int>(a[0][i].score + a[1][j].score + pair_log_term(m, t, o) + .499);
            pair_scores.push_back(s);
            if (s > best_pair) {
                second_pair = best_pair;
                best_pair = s;
                bi = i;
                bj = j;
            } else if (s > second_pair) {
                second_pair = s;
            }
        }
    int unpaired = INT32_MIN;
    if (!a[0].empty() && !a[1].empty()) unpaired = a[0][0].score + a[1][0].score - o.unpaired_penalty;
    if (best_pair != INT32_MIN && best_pair >= unpaired) {
        pr.proper = true;
        alignment* chosen[2] = {&a[0][bi], &a[1][bj]};
        int subo = std::max({second_pair, unpaired, 0});
        int q_pe = raw_mapq(best_pair - subo, o.match);
        // bwa mem's penalty for several pairs close to the second best (a multi-copy repeat such as
        // rRNA operons): pairs other than the best scoring within one gap of the second.
        const int close = std::max({o.match + o.mismatch, o.gap_open + o.gap_extend});
        int n_sub = -1;  // the best pair itself is counted below
        for (int v : pair_scores)
            if (second_pair != INT32_MIN && v >= second_pair - close) ++n_sub;
        if (n_sub > 0) q_pe -= static_cast<int>(4.343 * std::log(n_sub + 1) + .499);
        q_pe = std::clamp(q_pe, 0, 60);
        int q_se[2];
        for (int r = 0; r < 2; ++r) q_se[r] = (chosen[r] == &a[r][0]) ? chosen[r]->mapq : 0;
        // Both reads ambiguous on their own (each ties with or loses to another of its hits), and one of
        // them loses outright (it sits at a lesser hit only because its mate does): the one pair that
        // formed does not place them; a better pair elsewhere was likely missed.
        auto ambiguous = [](const alignment& x) { return x.sub_score >= x.score; };
        auto weak = [](const alignment& x) { return x.sub_score > x.score; };
        const bool unplaced = ambiguous(*chosen[0]) && ambiguous(*chosen[1]) && (weak(*chosen[0]) || weak(*chosen[1]));
        for (int r = 0; r < 2; ++r) {
            alignment& x = *chosen[r];
            int q = q_se[r] > q_pe ? q_se[r] : std::min(q_pe, q_se[r] + 40);
            if (unplaced) {
                q = 0;
            } else if (x.sub_score > 0 && x.sub_score < x.score) {
                // Never more confident than the read's own margin over competitors allows, when it is low.
                q = std::min(q, raw_mapq(x.score - x.sub_score, o.match) + 40);
            }
            x.mapq = std::clamp(q, 0, 60);
        }
        for (int r = 0; r < 2; ++r) pr.read[r].primary = *chosen[r];
    } else {
        for (int r = 0; r < 2; ++r)
            if (!a[r].empty()) pr.read[r].primary = a[r][0];
    }
    for (int r = 0; r < 2; ++r)
        if (pr.read[r].primary.contig >= 0) {
            // Supplementary parts must not be the primary itself.
            std::vector<alignment> rest;
            for (const auto& x : a[r])
                if (!(x.contig == pr.read[r].primary.contig && x.pos == pr.read[r].primary.pos &&
                      x.reverse == pr.read[r].primary.reverse))
                    rest.push_back(x);
            pr.read[r].supplementary.reserve(2);
            add_supplementary(pr.read[r], rest, o);
            add_secondary(pr.read[r], rest, o);
        }
    return pr;
}

}  // namespace precis::align
