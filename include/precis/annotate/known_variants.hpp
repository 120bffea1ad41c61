#pragma once
/// Known variants (ClinVar-format VCF) and population frequencies, matched on normalised alleles.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace precis::annotate {

/// Contig sequences by name (upper case), shared read-only by every thread.
using genome_map = std::unordered_map<std::string, std::string>;

/// A 0-based half-open genomic range of one contig, by name.
struct named_region {
    std::string contig;
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

/// One ClinVar allele. Strings are as in the file ('.' when absent).
struct clinvar_entry {
    std::string clnsig = ".", clnrevstat = ".", clndn = ".", allele_id = ".", rs = ".";
    int stars = 0;  ///< review_stars(clnrevstat)
};

/// ClinVar's review status -> gold stars: practice_guideline 4, reviewed_by_expert_panel 3,
/// criteria_provided,_multiple_submitters,_no_conflicts 2, criteria_provided,_single_submitter and
/// criteria_provided,_conflicting_* 1, anything else (no_assertion_criteria_provided, no_classification...) 0.
int review_stars(std::string_view clnrevstat);
/// True when CLNSIG is Pathogenic, Likely_pathogenic or Pathogenic/Likely_pathogenic (also with a
/// "|"/","-separated secondary term), but not a conflicting classification.
bool is_pathogenic(std::string_view clnsig);

/// Lookup tables keyed by contig, normalised 0-based position, minimal REF and ALT (see normalise()).
/// Immutable after loading: concurrent lookups are thread-safe.
class known_variants {
public:
    /// Loads a ClinVar-format VCF (INFO CLNSIG, CLNREVSTAT, CLNDN, ALLELEID, RS; any may be missing).
    /// Records on contigs absent from `genome` are counted in skipped(). With `regions` (and an indexed
    /// file) only records with POS within 1 kb of a region are loaded: an MPI rank loads its share.
    void load_clinvar(const std::filesystem::path& path, const genome_map& genome,
                      const std::vector<named_region>* regions = nullptr);
    /// Loads AF and every AF_* INFO field of a frequencies VCF (Number=A floats); `regions` as above.
    /// Both loaders may be called again (e.g. contig by contig); the tables accumulate.
    void load_frequencies(const std::filesystem::path& path, const genome_map& genome,
                          const std::vector<named_region>* regions = nullptr);

    const clinvar_entry* clinvar(const std::string& contig, std::int64_t pos, const std::string& ref,
                                 const std::string& alt) const;
    /// Frequency values (frequency_fields().size() of them, NaN when missing) in the order of
    /// frequency_fields(); nullptr when the allele is absent. Valid while this object lives.
    const float* frequencies(const std::string& contig, std::int64_t pos, const std::string& ref,
                                          const std::string& alt) const;
    /// "AF", "AF_pop1", ... as found in the frequencies file header.
    const std::vector<std::string>& frequency_fields() const { return m_fields; }
    bool has_clinvar() const { return m_has_clinvar; }
    bool has_frequencies() const { return !m_fields.empty(); }
    std::int64_t skipped() const { return m_skipped; }

private:
    std::unordered_map<std::string, clinvar_entry> m_clinvar;
    // Frequencies in flat arrays (no allocation per allele): per contig, entries sorted by position and
    // alleles; the alleles in one arena, the values in another.
    struct freq_entry {
        std::int64_t pos;
        std::uint32_t alleles_at, ref_len, alt_len, values_at;
    };
    std::unordered_map<std::string, std::vector<freq_entry>> m_freq;
    std::string m_freq_alleles;
    std::vector<float> m_freq_values;
    std::vector<std::string> m_fields;
    bool m_has_clinvar = false;
    std::int64_t m_skipped = 0;
};

}  // namespace precis::annotate
