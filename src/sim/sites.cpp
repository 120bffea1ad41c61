#include "precis/sim/variants.hpp"

#include <algorithm>

#include "precis/core/error.hpp"
#include "precis/sim/random.hpp"

namespace precis::sim {

namespace {

char transition(char b) {
    switch (b) {
        case 'A': return 'G';
        case 'G': return 'A';
        case 'C': return 'T';
        default: return 'C';
    }
}

char transversion(rng& r, char b) {
    static const char purines[] = {'A', 'G'}, pyrimidines[] = {'C', 'T'};
    return (b == 'A' || b == 'G') ? pyrimidines[r.below(2)] : purines[r.below(2)];
}

bool acgt_only(const std::string& s) { return s.find_first_not_of("ACGT") == std::string::npos; }

}  // namespace

bool variant_site::is_snv() const {
    if (ref.size() != 1) return false;
    for (const auto& a : alts)
        if (a.size() != 1) return false;
    return true;
}

variant_site left_align(const std::string& seq, variant_site site) {
    if (site.alts.size() != 1) return site;
    const std::string& alt = site.alts[0];
    if (site.ref.size() > 1 && alt.size() == 1) {  // deletion of [s, s+len)
        std::int64_t s = site.pos + 1, len = static_cast<std::int64_t>(site.ref.size()) - 1;
        while (s - 1 >= 1 && seq[static_cast<std::size_t>(s - 1)] == seq[static_cast<std::size_t>(s + len - 1)] &&
               seq[static_cast<std::size_t>(s - 2)] != 'N')
            --s;
        site.pos = s - 1;
        site.ref = seq.substr(static_cast<std::size_t>(s - 1), static_cast<std::size_t>(len + 1));
        site.alts[0] = site.ref.substr(0, 1);
    } else if (site.ref.size() == 1 && alt.size() > 1) {  // insertion of `ins` after the anchor
        std::string ins = alt.substr(1);
        std::int64_t s = site.pos + 1;
        while (s - 1 >= 1 && seq[static_cast<std::size_t>(s - 1)] == ins.back() && seq[static_cast<std::size_t>(s - 2)] != 'N') {
            ins = seq[static_cast<std::size_t>(s - 1)] + ins.substr(0, ins.size() - 1);
            --s;
        }
        site.pos = s - 1;
        site.ref = seq.substr(static_cast<std::size_t>(s - 1), 1);
        site.alts[0] = site.ref + ins;
    }
    return site;
}

std::string site_id(const genome& g, const variant_site& site) {
    std::string id = g.names[static_cast<std::size_t>(site.contig)] + ":" + std::to_string(site.pos + 1) + ":" + site.ref + ":";
    for (std::size_t i = 0; i < site.alts.size(); ++i) id += (i ? "," : "") + site.alts[i];
    return id;
}

std::vector<variant_site> simulate_sites(const genome& g, const site_options& options, std::uint64_t seed) {
    if (options.variants < 1) throw input_error("--variants must be at least 1");
    std::int64_t usable = g.usable_length();
    if (options.variants > usable / 20)
        throw input_error("--variants " + std::to_string(options.variants) + " is too many for " + std::to_string(usable) +
                          " usable bases (at most one site per 20 bases)");
    rng r(seed, "sites");
    auto wanted = static_cast<std::size_t>(options.variants);
    std::vector<std::int64_t> draws(wanted + wanted / 20 + 16);
    for (auto& d : draws) d = static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(usable)));
    std::sort(draws.begin(), draws.end());
    std::vector<variant_site> sites;
    for (std::int64_t d : draws) {
        variant_site v;
        while (d >= g.end[static_cast<std::size_t>(v.contig)] - g.begin[static_cast<std::size_t>(v.contig)]) {
            d -= g.end[static_cast<std::size_t>(v.contig)] - g.begin[static_cast<std::size_t>(v.contig)];
            ++v.contig;
        }
        const std::string& seq = g.sequences[static_cast<std::size_t>(v.contig)];
        std::int64_t limit = g.end[static_cast<std::size_t>(v.contig)];
        v.pos = g.begin[static_cast<std::size_t>(v.contig)] + d;
        if (v.pos < 2 || v.pos + 25 >= limit) continue;
        char b = seq[static_cast<std::size_t>(v.pos)];
        if (b == 'N') continue;
        v.ref = std::string(1, b);
        double u = r.uniform();
        if (u < options.multiallelic_fraction) {
            v.alts = {std::string(1, transition(b)), std::string(1, transversion(r, b))};
        } else if (u < options.multiallelic_fraction + options.indel_fraction) {
            auto len = static_cast<std::size_t>(std::min<std::int64_t>(20, 1 + r.geometric(0.5)));
            std::string next = seq.substr(static_cast<std::size_t>(v.pos + 1), len);
            if (r.bernoulli(0.55)) {
                v.ref += next;
                v.alts = {std::string(1, b)};
            } else {
                std::string ins = next;
                if (r.bernoulli(0.5))
                    for (auto& c : ins) c = "ACGT"[r.below(4)];
                v.alts = {std::string(1, b) + ins};
            }
            if (!acgt_only(v.ref) || !acgt_only(v.alts[0])) continue;
            v = left_align(seq, v);
            if (v.pos < g.begin[static_cast<std::size_t>(v.contig)] || !acgt_only(v.ref)) continue;
        } else {
            v.alts = {std::string(1, r.bernoulli(2.0 / 3.0) ? transition(b) : transversion(r, b))};
        }
        sites.push_back(std::move(v));
    }
    std::sort(sites.begin(), sites.end(), [](const variant_site& a, const variant_site& b) {
        return a.contig != b.contig ? a.contig < b.contig : a.pos < b.pos;
    });
    std::vector<variant_site> kept;
    for (auto& s : sites)  // no overlaps, and one base between neighbours
        if (kept.empty() || kept.back().contig != s.contig || s.pos > kept.back().end()) kept.push_back(std::move(s));
    if (kept.size() <= wanted) return kept;
    std::vector<std::size_t> order(kept.size());  // partial Fisher-Yates: the first `excess` are dropped
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::vector<bool> drop(kept.size(), false);
    for (std::size_t i = 0; i < kept.size() - wanted; ++i) {
        std::swap(order[i], order[i + r.below(order.size() - i)]);
        drop[order[i]] = true;
    }
    std::vector<variant_site> out;
    out.reserve(wanted);
    for (std::size_t i = 0; i < kept.size(); ++i)
        if (!drop[i]) out.push_back(std::move(kept[i]));
    return out;
}

}  // namespace precis::sim
