// Haplotype-aware consequences (as bcftools csq): cluster the coding alleles of each phased haplotype.
#include "precis/annotate/detail/haplotype.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace precis::annotate::detail {

const char* hcsq_format() {
    return "Consequence|IMPACT|SYMBOL|Gene|Feature|BIOTYPE|Variants|HGVSc|HGVSp|CDS_position|Protein_position|Amino_acids|"
           "Codons|Haplotypes";
}

namespace {

// One allele that lies wholly in the CDS of one transcript.
struct candidate {
    std::size_t record;
    int allele;
    const allele_change* change;
    std::int64_t cds_begin;
    std::int64_t first_codon, last_codon;
    int frame;  // length change mod 3
};

int mod3(std::int64_t v) { return static_cast<int>(((v % 3) + 3) % 3); }

std::string clean(std::string s) {
    for (char& c : s)
        if (c == ',' || c == ';' || c == '|' || c == '=' || c == '&' || c == ' ' || c == '\t' || c == ':') c = '_';
    return s;
}

// Whether sample s's genotype at a record can be split into haplotypes.
bool phased(const record_output& o, std::size_t s) {
    const auto p = static_cast<std::size_t>(o.ploidy);
    if (p <= 1) return true;
    const int* gt = o.genotypes.data() + s * p;
    bool all_phased = true, homozygous = true;
    for (std::size_t k = 1; k < p; ++k) {
        if (gt[k] == bcf_int32_vector_end) break;
        all_phased = all_phased && bcf_gt_is_phased(gt[k]);
        homozygous = homozygous && !bcf_gt_is_missing(gt[k]) && bcf_gt_allele(gt[k]) == bcf_gt_allele(gt[0]);
    }
    return all_phased || homozygous;
}

// The phase set of sample s's alleles at a record: any_set for homozygous or haploid genotypes (and when
// the record has no PS), otherwise the PS value (-1 when missing: the set of the phased genotypes without PS).
constexpr std::int64_t any_set = std::numeric_limits<std::int64_t>::min();
std::int64_t phase_set_of(const record_output& o, std::size_t s) {
    const auto p = static_cast<std::size_t>(o.ploidy);
    if (o.phase_sets.empty() || p <= 1) return any_set;
    const int* gt = o.genotypes.data() + s * p;
    bool homozygous = !bcf_gt_is_missing(gt[0]);
    for (std::size_t k = 1; k < p && gt[k] != bcf_int32_vector_end; ++k)
        homozygous = homozygous && !bcf_gt_is_missing(gt[k]) && bcf_gt_allele(gt[k]) == bcf_gt_allele(gt[0]);
    if (homozygous) return any_set;
    const std::int32_t v = o.phase_sets[s];
    return v == bcf_int32_missing ? -1 : v;
}

}  // namespace

void combine_haplotypes(const record_context& ctx, bcf1_t* const* recs, record_output* outs, std::size_t n,
                        std::deque<compound>& compounds) {
    const std::size_t samples = ctx.samples.size();
    if (samples == 0 || n < 2) return;
    // Coding candidates per transcript (transcripts ordered by their place in the gene model).
    std::map<const transcript*, std::vector<candidate>> by_tx;
    for (std::size_t i = 0; i < n; ++i) {
        if (outs[i].ploidy == 0) continue;
        for (const allele_result& r : outs[i].results)
            for (const transcript_effect& e : r.effects) {
                if (e.cds_begin < 0 || (r.change.ref.empty() && r.change.alt.empty())) continue;
                const bool ins = e.cds_begin == e.cds_end;
                const std::int64_t first = e.cds_begin / 3, last = ins ? first : (e.cds_end - 1) / 3;
                const auto diff = static_cast<std::int64_t>(r.change.alt.size()) - static_cast<std::int64_t>(r.change.ref.size());
                by_tx[e.tx].push_back({i, r.allele, &r.change, e.cds_begin, first, last, mod3(diff)});
            }
    }
    std::map<std::pair<const transcript*, std::vector<std::pair<std::size_t, int>>>, compound*> found;
    std::deque<compound> pending;        // every combination evaluated (intermediate ones included)
    std::set<const compound*> used;      // those a haplotype carries
    std::vector<std::pair<std::int64_t, const candidate*>> carried;
    for (auto& [tx, cands] : by_tx) {
        std::size_t records = 0;
        for (std::size_t k = 0; k < cands.size(); ++k) records += k == 0 || cands[k].record != cands[k - 1].record;
        if (records < 2) continue;
        for (std::size_t s = 0; s < samples; ++s) {
            int ploidy = 0;
            for (const auto& c : cands) ploidy = std::max(ploidy, outs[c.record].ploidy);
            for (int h = 0; h < ploidy; ++h) {
                carried.clear();
                for (const auto& c : cands) {
                    const record_output& o = outs[c.record];
                    if (h >= o.ploidy || !phased(o, s)) continue;
                    const int v = o.genotypes[s * static_cast<std::size_t>(o.ploidy) + static_cast<std::size_t>(h)];
                    if (v == bcf_int32_vector_end || bcf_gt_is_missing(v) || bcf_gt_allele(v) != c.allele) continue;
                    carried.emplace_back(c.first_codon, &c);
                }
                if (carried.size() < 2) continue;
                std::stable_sort(carried.begin(), carried.end(), [](const auto& x, const auto& y) {
                    return std::tie(x.second->first_codon, x.second->last_codon) < std::tie(y.second->first_codon, y.second->last_codon);
                });
                // Phase sets (FORMAT/PS): heterozygous phased alleles are combined only within one set;
                // homozygous and haploid genotypes belong to every set. No PS field, or a missing value: one set.
                std::vector<std::pair<std::int64_t, const candidate*>> all;
                all.swap(carried);
                std::vector<std::int64_t> keys, sets;
                for (const auto& [codon, c] : all) {
                    keys.push_back(phase_set_of(outs[c->record], s));
                    if (keys.back() != any_set && std::find(sets.begin(), sets.end(), keys.back()) == sets.end()) sets.push_back(keys.back());
                }
                if (sets.size() <= 1) sets.assign(1, any_set);
                for (const std::int64_t set : sets) {
                    carried.clear();
                    for (std::size_t m = 0; m < all.size(); ++m)
                        if (set == any_set || keys[m] == set || keys[m] == any_set) carried.push_back(all[m]);
                    if (carried.size() < 2) continue;
                    std::size_t k = 0;
                    while (k < carried.size()) {
                        // Grow a cluster: same or overlapping codon, or the frame still shifted.
                        std::size_t end = k + 1, restored = 0;
                        int frame = carried[k].second->frame;
                        std::int64_t last = carried[k].second->last_codon;
                        while (end < carried.size()) {
                            const candidate& c = *carried[end].second;
                            const bool same_codon = c.first_codon <= last;
                            if (!same_codon && frame == 0) break;
                            frame = mod3(frame + c.frame);
                            last = std::max(last, c.last_codon);
                            ++end;
                            if (frame == 0) restored = end;
                        }
                        // A frameshift restored later ends the cluster there; one never restored takes every later
                        // allele of the haplotype in the transcript (they act on the shifted protein), as bcftools csq.
                        if (frame != 0 && restored > 0) end = restored;
                        auto members_of = [&](std::size_t upto) {
                            std::vector<std::pair<std::size_t, int>> members;
                            for (std::size_t m = k; m < upto; ++m) members.emplace_back(carried[m].second->record, carried[m].second->allele);
                            std::sort(members.begin(), members.end(), [&](const auto& x, const auto& y) {
                                return std::make_tuple(recs[x.first]->pos, x.first, x.second) < std::make_tuple(recs[y.first]->pos, y.first, y.second);
                            });
                            members.erase(std::unique(members.begin(), members.end()), members.end());
                            return members;
                        };
                        // The combined effect of carried[k, upto) (cached per transcript and member set).
                        auto effect_of = [&](std::size_t upto) -> compound* {
                            auto key = std::make_pair(tx, members_of(upto));
                            auto it = found.find(key);
                            if (it != found.end()) return it->second;
                            compound* made = nullptr;
                            if (key.second.size() >= 2) {
                                std::vector<allele_change> changes;
                                for (std::size_t m = k; m < upto; ++m) changes.push_back(*carried[m].second->change);
                                transcript_effect e = predict_combined(*tx, outs[key.second.front().first].seq, std::move(changes));
                                if (!e.terms.empty()) {
                                    made = &pending.emplace_back();
                                    made->tx = tx;
                                    made->members = key.second;
                                    made->effect = std::move(e);
                                }
                            }
                            found.emplace(std::move(key), made);
                            return made;
                        };
                        compound* c = end - k >= 2 ? effect_of(end) : nullptr;
                        if (c) {
                            if (c->haplotypes.empty() || c->haplotypes.back() != std::make_pair(s, h + 1)) c->haplotypes.emplace_back(s, h + 1);
                            used.insert(c);
                        }
                        k = end;
                    }
                }
            }
        }
    }
    // HCSQ entries, at the first member record, in the order of the compounds' members then transcripts.
    std::vector<compound*> order;
    for (auto& c : pending)
        if (used.count(&c)) order.push_back(&compounds.emplace_back(std::move(c)));
    // Order: by the members' positions and alleles, then transcript (file order), as any chunk sees them.
    auto sites = [&](const compound* c) {
        std::vector<std::pair<std::int64_t, std::string>> v;
        for (const auto& [record, allele] : c->members) v.emplace_back(recs[record]->pos, recs[record]->d.allele[allele]);
        return v;
    };
    std::sort(order.begin(), order.end(), [&](const compound* x, const compound* y) {
        return std::make_pair(sites(x), x->tx) < std::make_pair(sites(y), y->tx);
    });
    for (compound* c : order) {
        std::sort(c->haplotypes.begin(), c->haplotypes.end());
        const transcript& t = *c->tx;
        const transcript_effect& e = c->effect;
        std::string entry;
        for (so_term term : e.terms) {
            if (!entry.empty()) entry += '&';
            entry += name(term);
        }
        entry += '|';
        entry += name(impact_of(e.most_severe()));
        entry += '|' + clean(t.gene_name) + '|' + t.gene_id + '|' + t.id + '|' + t.biotype + '|';
        for (std::size_t m = 0; m < c->members.size(); ++m) {
            const bcf1_t* r = recs[c->members[m].first];
            if (m) entry += '&';
            entry += std::to_string(r->pos + 1) + ':' + r->d.allele[0] + '>' + r->d.allele[c->members[m].second];
        }
        entry += '|' + t.id + ':' + e.hgvs_c + '|' + (e.hgvs_p.empty() ? std::string() : t.protein_id + ':' + e.hgvs_p) + '|' +
                 e.cds_position + '|' + e.protein_position + '|' + e.amino_acids + '|' + e.codons + '|';
        for (std::size_t k = 0; k < c->haplotypes.size(); ++k) {
            if (k) entry += '&';
            entry += clean(ctx.samples[c->haplotypes[k].first]) + ':' + std::to_string(c->haplotypes[k].second);
        }
        std::replace(entry.begin(), entry.end(), ',', '&');
        for (std::size_t at = entry.find(';'); at != std::string::npos; at = entry.find(';', at)) entry.replace(at, 1, "%3B");
        for (std::size_t m = 0; m < c->members.size(); ++m) {
            const auto [record, allele] = c->members[m];
            record_output& o = outs[record];
            if (m == 0) {  // the entry at the first member only (its Variants field names the others)
                if (!o.hcsq.empty()) o.hcsq += ',';
                o.hcsq += entry;
            }
            for (const auto& [sample, hap] : c->haplotypes) o.overrides.push_back({sample, allele, hap, m == 0, &c->effect});
        }
    }
}

}  // namespace precis::annotate::detail
