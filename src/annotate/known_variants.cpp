// ClinVar and frequency tables keyed by normalised alleles.
#include "precis/annotate/known_variants.hpp"

#include <algorithm>
#include <cmath>

#include "precis/annotate/consequence.hpp"
#include "precis/core/error.hpp"
#include "precis/io/contig_name.hpp"
#include "precis/io/vcf.hpp"

namespace precis::annotate {

int review_stars(std::string_view s) {
    if (s.find("practice_guideline") != std::string_view::npos) return 4;
    if (s.find("reviewed_by_expert_panel") != std::string_view::npos) return 3;
    if (s.find("multiple_submitters") != std::string_view::npos && s.find("no_conflicts") != std::string_view::npos) return 2;
    if (s.find("criteria_provided") != std::string_view::npos && s.find("no_assertion") == std::string_view::npos) return 1;
    return 0;
}

bool is_pathogenic(std::string_view s) {
    if (s.find("onflicting") != std::string_view::npos) return false;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t end = s.find_first_of("|,/", pos);
        std::string_view term = s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (term == "Pathogenic" || term == "Likely_pathogenic" || term == "pathogenic" || term == "likely_pathogenic")
            return true;
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return false;
}

namespace {

std::string key(const std::string& contig, std::int64_t pos, const std::string& ref, const std::string& alt) {
    return contig + ':' + std::to_string(pos) + ':' + ref + ':' + alt;
}

std::string info_string(const bcf_hdr_t* h, bcf1_t* rec, const char* tag) {
    char* buf = nullptr;
    int n = 0;
    if (bcf_get_info_string(h, rec, tag, &buf, &n) <= 0) {
        std::free(buf);
        return ".";
    }
    std::string out(buf);
    std::free(buf);
    return out;
}

// Contigs of a known-variant file matched to those of `genome` by name, or else by io::normalise_contig
// ("1" in ClinVar is "chr1" of the input, "MT" is "chrM"). Every contig of a record is in the header (the
// reader refuses others; HTSlib names those of a tabix index when the header has no ##contig lines).
class contig_matcher {
public:
    contig_matcher(const bcf_hdr_t* header, const genome_map& genome) {
        std::unordered_map<std::string, const genome_map::value_type*> by_normal;
        for (const auto& entry : genome) by_normal.emplace(io::normalise_contig(entry.first), &entry);
        for (int rid = 0; rid < header->n[BCF_DT_CTG]; ++rid) {
            const std::string name = bcf_hdr_id2name(header, rid);
            const std::string normal = io::normalise_contig(name);
            const genome_map::value_type* found = nullptr;
            if (auto it = genome.find(name); it != genome.end()) found = &*it;
            else if (auto n = by_normal.find(normal); n != by_normal.end()) found = n->second;
            m_entries.push_back(found);
            m_file_by_normal.emplace(normal, rid);  // of two spellings ("1", "chr1") the first
        }
    }
    // The genome entry of the file's contig `rid` (null when the genome has none).
    const genome_map::value_type* entry(int rid) const {
        return rid >= 0 && static_cast<std::size_t>(rid) < m_entries.size() ? m_entries[static_cast<std::size_t>(rid)] : nullptr;
    }
    // The file's contig id for the input's contig `name` (-1 when the file has none).
    int file_contig(const bcf_hdr_t* header, const std::string& name) const {
        if (const int tid = bcf_hdr_name2id(header, name.c_str()); tid >= 0) return tid;
        auto it = m_file_by_normal.find(io::normalise_contig(name));
        return it == m_file_by_normal.end() ? -1 : it->second;
    }

private:
    std::vector<const genome_map::value_type*> m_entries;  // by file contig id
    std::unordered_map<std::string, int> m_file_by_normal;
};

// Calls f(contig, record, allele index, normalised change) for every usable ALT of every record on a contig
// of `genome` (named as there).
template <class F>
void for_each_allele(io::vcf_reader& reader, const genome_map& genome, const std::vector<named_region>* regions,
                     std::int64_t& skipped, F&& f) {
    constexpr std::int64_t margin = 1000;  // a differently padded indel may start a little earlier
    bool by_region = regions && reader.load_index();
    const contig_matcher contigs(reader.header(), genome);
    std::size_t next = 0;
    auto advance = [&]() {  // positions the reader on the next region whose contig the file knows
        while (next < regions->size()) {
            const named_region& r = (*regions)[next++];
            int tid = contigs.file_contig(reader.header(), r.contig);
            if (tid < 0) continue;
            reader.set_region(tid, std::max<std::int64_t>(0, r.begin - margin),
                              r.end >= HTS_POS_MAX - margin ? HTS_POS_MAX : r.end + margin);
            return true;
        }
        return false;
    };
    if (by_region && !advance()) return;
    auto rec = io::make_bcf_record();
    while (true) {
        if (!reader.next(rec.get(), BCF_UN_INFO)) {
            if (by_region && advance()) continue;
            break;
        }
        const genome_map::value_type* contig = contigs.entry(rec->rid);
        if (!contig) {
            ++skipped;
            continue;
        }
        for (int a = 1; a < rec->n_allele; ++a) {
            std::string_view alt = rec->d.allele[a];
            if (alt.empty() || alt.front() == '<' || alt == "*" || alt.find_first_of("[]") != std::string_view::npos) continue;
            f(contig->first, rec.get(), a, normalise(contig->second, rec->pos, rec->d.allele[0], alt));
        }
    }
}

}  // namespace

void known_variants::load_clinvar(const std::filesystem::path& path, const genome_map& genome,
                                  const std::vector<named_region>* regions) {
    io::vcf_reader reader(path);
    m_has_clinvar = true;
    const bcf_hdr_t* h = reader.header();
    if (!bcf_hdr_idinfo_exists(h, BCF_HL_INFO, bcf_hdr_id2int(h, BCF_DT_ID, "CLNSIG")))
        throw input_error(path.string() + ": no CLNSIG INFO field in the header: not a ClinVar-format VCF");
    for_each_allele(reader, genome, regions, m_skipped, [&](const std::string& contig, bcf1_t* rec, int, const allele_change& c) {
        clinvar_entry e;
        e.clnsig = info_string(h, rec, "CLNSIG");
        e.clnrevstat = info_string(h, rec, "CLNREVSTAT");
        e.clndn = info_string(h, rec, "CLNDN");
        e.rs = info_string(h, rec, "RS");
        if (e.rs != "." && e.rs.rfind("rs", 0) != 0) e.rs = "rs" + e.rs;
        int32_t* ids = nullptr;
        int n = 0;
        if (bcf_get_info_int32(h, rec, "ALLELEID", &ids, &n) > 0) e.allele_id = std::to_string(ids[0]);
        std::free(ids);
        if (e.allele_id == ".") e.allele_id = info_string(h, rec, "ALLELEID");
        e.stars = review_stars(e.clnrevstat);
        m_clinvar[key(contig, c.pos, c.ref, c.alt)] = std::move(e);
    });
}

void known_variants::load_frequencies(const std::filesystem::path& path, const genome_map& genome,
                                      const std::vector<named_region>* regions) {
    io::vcf_reader reader(path);
    const bcf_hdr_t* h = reader.header();
    std::vector<std::string> fields;
    for (int i = 0; i < h->nhrec; ++i) {
        const bcf_hrec_t* r = h->hrec[i];
        if (r->type != BCF_HL_INFO) continue;
        int k = bcf_hrec_find_key(const_cast<bcf_hrec_t*>(r), "ID");
        if (k < 0) continue;
        std::string id = r->vals[k];
        if (id == "AF" || id.rfind("AF_", 0) == 0) fields.push_back(id);
    }
    if (!m_fields.empty() && fields != m_fields) throw input_error(path.string() + ": AF fields differ from an earlier load");
    m_fields = std::move(fields);
    if (m_fields.empty()) throw input_error(path.string() + ": no AF or AF_* INFO field in the header");
    float* values = nullptr;
    int n = 0;
    const std::size_t width = m_fields.size();
    std::vector<float> row(width);
    std::vector<freq_entry>* list = nullptr;
    const std::string* list_contig = nullptr;
    for_each_allele(reader, genome, regions, m_skipped, [&](const std::string& contig, bcf1_t* rec, int a, const allele_change& c) {
        for (std::size_t f = 0; f < width; ++f) {
            row[f] = NAN;
            int got = bcf_get_info_float(h, rec, m_fields[f].c_str(), &values, &n);
            if (got >= a && !bcf_float_is_missing(values[a - 1])) row[f] = values[a - 1];
        }
        if (list_contig != &contig) list = &m_freq[contig], list_contig = &contig;
        list->push_back({c.pos, static_cast<std::uint32_t>(m_freq_alleles.size()), static_cast<std::uint32_t>(c.ref.size()),
                         static_cast<std::uint32_t>(c.alt.size()), static_cast<std::uint32_t>(m_freq_values.size())});
        m_freq_alleles += c.ref;
        m_freq_alleles += c.alt;
        m_freq_values.insert(m_freq_values.end(), row.begin(), row.end());
        if (m_freq_alleles.size() > UINT32_MAX / 2 || m_freq_values.size() > UINT32_MAX / 2)
            throw input_error(path.string() + ": too many frequency records for one rank (use more MPI ranks)");
    });
    std::free(values);
    // Sorted by position, then alleles; stable, so that the last of duplicates is found last.
    for (auto& [contig, entries] : m_freq)
        std::stable_sort(entries.begin(), entries.end(), [&](const freq_entry& x, const freq_entry& y) {
            if (x.pos != y.pos) return x.pos < y.pos;
            std::string_view xa(m_freq_alleles.data() + x.alleles_at, x.ref_len + x.alt_len);
            std::string_view ya(m_freq_alleles.data() + y.alleles_at, y.ref_len + y.alt_len);
            return std::make_pair(x.ref_len, xa) < std::make_pair(y.ref_len, ya);
        });
}

const clinvar_entry* known_variants::clinvar(const std::string& contig, std::int64_t pos, const std::string& ref,
                                             const std::string& alt) const {
    if (m_clinvar.empty()) return nullptr;
    auto it = m_clinvar.find(key(contig, pos, ref, alt));
    return it == m_clinvar.end() ? nullptr : &it->second;
}

const float* known_variants::frequencies(const std::string& contig, std::int64_t pos, const std::string& ref,
                                        const std::string& alt) const {
    auto list = m_freq.find(contig);
    if (list == m_freq.end()) return nullptr;
    const auto& entries = list->second;
    auto it = std::lower_bound(entries.begin(), entries.end(), pos, [](const freq_entry& e, std::int64_t p) { return e.pos < p; });
    const float* found = nullptr;
    for (; it != entries.end() && it->pos == pos; ++it) {
        std::string_view alleles(m_freq_alleles.data() + it->alleles_at, it->ref_len + it->alt_len);
        if (it->ref_len == ref.size() && alleles.substr(0, ref.size()) == ref && alleles.substr(ref.size()) == alt)
            found = m_freq_values.data() + it->values_at;
    }
    return found;
}

}  // namespace precis::annotate
