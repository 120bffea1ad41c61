// clinvar.vcf.gz in ClinVar's VCF conventions.
#include "precis/core/error.hpp"
#include "precis/io/vcf.hpp"
#include "precis/sim/clinvar.hpp"
#include "precis/sim/vcf_output.hpp"

namespace precis::sim {

void write_clinvar_vcf(const std::filesystem::path& path, const genome& g, const std::vector<known_variant>& variants) {
    io::bcf_hdr_ptr h(make_vcf_header(g, "ClinVar-simulated"));
    bcf_hdr_set_version(h.get(), "VCFv4.1");
    const char* lines[] = {
        "##ID=<Description=\"ClinVar Variation ID\">",
        "##INFO=<ID=ALLELEID,Number=1,Type=Integer,Description=\"the ClinVar Allele ID\">",
        "##INFO=<ID=CLNDN,Number=.,Type=String,Description=\"ClinVar's preferred disease name for the concept specified by disease identifiers in CLNDISDB\">",
        "##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description=\"ClinVar review status of germline classification for the Variation ID\">",
        "##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"Aggregate germline classification for this single variant; multiple values are separated by a vertical bar\">",
        "##INFO=<ID=CLNVC,Number=1,Type=String,Description=\"Variant type\">",
        "##INFO=<ID=GENEINFO,Number=1,Type=String,Description=\"Gene(s) for the variant reported as gene symbol:gene id. The gene symbol and id are delimited by a colon (:) and each pair is delimited by a vertical bar (|)\">",
        "##INFO=<ID=MC,Number=.,Type=String,Description=\"comma separated list of molecular consequence in the form of Sequence Ontology ID|molecular_consequence\">",
        "##INFO=<ID=RS,Number=.,Type=String,Description=\"dbSNP ID (i.e. rs number)\">",
    };
    for (const char* line : lines)
        if (bcf_hdr_append(h.get(), line) != 0) throw runtime_failure(path.string() + ": cannot build the VCF header");
    if (bcf_hdr_sync(h.get()) != 0) throw runtime_failure(path.string() + ": cannot build the VCF header");
    io::vcf_writer out(path, h.get());
    auto rec = io::make_bcf_record();
    bcf_hdr_t* hdr = out.header();
    for (const auto& k : variants) {
        bcf_clear(rec.get());
        rec->rid = bcf_hdr_name2id(hdr, g.names[static_cast<std::size_t>(k.site.contig)].c_str());
        rec->pos = k.site.pos;
        std::string alleles = k.site.ref + "," + k.site.alts.front();
        int32_t allele_id = static_cast<int32_t>(k.allele_id);
        std::string rs = std::to_string(k.rs);
        bool ok = bcf_update_alleles_str(hdr, rec.get(), alleles.c_str()) == 0 &&
                  bcf_update_id(hdr, rec.get(), std::to_string(k.variation_id).c_str()) == 0 &&
                  bcf_update_info_int32(hdr, rec.get(), "ALLELEID", &allele_id, 1) == 0 &&
                  bcf_update_info_string(hdr, rec.get(), "CLNDN", k.disease.c_str()) == 0 &&
                  bcf_update_info_string(hdr, rec.get(), "CLNREVSTAT", k.revstat.c_str()) == 0 &&
                  bcf_update_info_string(hdr, rec.get(), "CLNSIG", k.clnsig.c_str()) == 0 &&
                  bcf_update_info_string(hdr, rec.get(), "CLNVC", k.variant_class.c_str()) == 0 &&
                  bcf_update_info_string(hdr, rec.get(), "GENEINFO", k.gene_info.c_str()) == 0 &&
                  bcf_update_info_string(hdr, rec.get(), "MC", k.consequence.c_str()) == 0 &&
                  bcf_update_info_string(hdr, rec.get(), "RS", rs.c_str()) == 0;
        if (!ok) throw runtime_failure(path.string() + ": cannot build the record of variation " + std::to_string(k.variation_id));
        out.write(rec.get());
    }
    out.close();
}

}  // namespace precis::sim
