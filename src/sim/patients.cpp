#include "precis/sim/patients.hpp"

#include <algorithm>
#include <cstdio>

#include "precis/sim/random.hpp"

namespace precis::sim {

std::vector<patient> make_patients(const cohort& c, const std::vector<known_variant>& known, std::uint64_t seed) {
    rng r(seed, "patients");
    std::vector<std::size_t> pathogenic;
    for (std::size_t k = 0; k < known.size(); ++k)
        if (known[k].pathogenic()) pathogenic.push_back(k);
    std::vector<patient> out;
    char buf[32];
    for (int p = 0; p < c.extra; ++p) {
        patient pa;
        std::snprintf(buf, sizeof buf, "P%04d", p + 1);
        pa.id = buf;
        pa.individual = c.samples + p;
        for (std::size_t s = 0; s < c.sites.size(); ++s) {
            const auto* row = c.row(s) + 2 * static_cast<std::size_t>(pa.individual);
            if (row[0] == 0 && row[1] == 0) continue;
            patient_variant v;
            v.site = c.sites[s];
            v.allele[0] = row[0];
            v.allele[1] = row[1];
            pa.variants.push_back(std::move(v));
        }
        if (!pathogenic.empty() && (p == 0 || r.bernoulli(0.5))) {
            std::size_t k = pathogenic[r.below(pathogenic.size())];
            pa.planted.push_back(k);
            const variant_site& ps = known[k].site;
            for (auto& v : pa.variants)  // clear overlapping alleles of haplotype 1
                if (v.site.contig == ps.contig && v.site.pos <= ps.end() && ps.pos <= v.site.end()) v.allele[0] = 0;
            std::erase_if(pa.variants, [](const patient_variant& v) { return v.allele[0] == 0 && v.allele[1] == 0; });
            patient_variant v;
            v.site = ps;
            v.allele[0] = 1;
            v.planted = true;
            // Keep the truth simple for callers: no other variant overlaps the planted one on either haplotype.
            for (auto& o : pa.variants)
                if (o.site.contig == ps.contig && o.site.pos <= ps.end() && ps.pos <= o.site.end()) o.allele[1] = 0;
            std::erase_if(pa.variants, [](const patient_variant& o) { return o.allele[0] == 0 && o.allele[1] == 0; });
            auto at = std::lower_bound(pa.variants.begin(), pa.variants.end(), v, [](const patient_variant& a, const patient_variant& b) {
                return a.site.contig != b.site.contig ? a.site.contig < b.site.contig : a.site.pos < b.site.pos;
            });
            pa.variants.insert(at, std::move(v));
        }
        out.push_back(std::move(pa));
    }
    return out;
}

haplotype_sequence build_haplotype(const genome& g, const std::vector<patient_variant>& variants, int contig, int hap) {
    const std::string& ref = g.sequences[static_cast<std::size_t>(contig)];
    haplotype_sequence h;
    h.sequence.reserve(ref.size() + 1024);
    h.ref_pos.reserve(ref.size() + 1024);
    std::int64_t at = 0;  // next reference base to copy
    auto copy_to = [&](std::int64_t end) {
        for (; at < end; ++at) {
            h.sequence.push_back(ref[static_cast<std::size_t>(at)]);
            h.ref_pos.push_back(static_cast<std::uint32_t>(at));
        }
    };
    for (const auto& v : variants) {
        int a = v.allele[hap];
        if (v.site.contig != contig || a == 0 || v.site.pos < at) continue;
        copy_to(v.site.pos);
        const std::string& alt = v.site.alts[static_cast<std::size_t>(a - 1)];
        for (std::size_t i = 0; i < alt.size(); ++i) {
            h.sequence.push_back(alt[i]);
            h.ref_pos.push_back(static_cast<std::uint32_t>(v.site.pos + static_cast<std::int64_t>(std::min(i, v.site.ref.size() - 1))));
        }
        at = v.site.end();
    }
    copy_to(static_cast<std::int64_t>(ref.size()));
    return h;
}

}  // namespace precis::sim
