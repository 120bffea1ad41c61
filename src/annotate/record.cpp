// One record: alleles -> normalised changes -> transcript effects -> CSQ, known INFO, TSV, findings.
#include "precis/annotate/detail/record.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <tuple>

#include "precis/annotate/annotate.hpp"
#include "precis/annotate/consequence.hpp"
#include "precis/core/error.hpp"
#include "precis/io/bases.hpp"

namespace precis::annotate {

const char* csq_format() {
    return "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|"
           "cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|CANONICAL|MANE_SELECT|STRAND|DISTANCE|PICK";
}

namespace detail {

namespace {

const char* k_info[][4] = {
    {"CLNSIG", "A", "String", "ClinVar clinical significance of the allele (from --known)"},
    {"CLNREVSTAT", "A", "String", "ClinVar review status (from --known)"},
    {"CLNSTARS", "A", "Integer", "ClinVar review stars 0-4 derived from CLNREVSTAT"},
    {"CLNDN", "A", "String", "ClinVar condition name (from --known)"},
    {"CLNALLELEID", "A", "String", "ClinVar allele id (from --known)"},
    {"RS", "A", "String", "dbSNP rsID of the allele (from --known)"},
};

std::string sanitize(std::string s) {
    for (char& c : s)
        if (c == ',' || c == ';' || c == '|' || c == '=' || c == ' ' || c == '\t') c = '_';
    return s.empty() ? "." : s;
}

// sanitize(s) appended to `out` (no temporary).
void append_sanitized(std::string& out, std::string_view s) {
    if (s.empty()) {
        out += '.';
        return;
    }
    const std::size_t from = out.size();
    out += s;
    for (auto c = out.begin() + static_cast<std::ptrdiff_t>(from); c != out.end(); ++c)
        if (*c == ',' || *c == ';' || *c == '|' || *c == '=' || *c == ' ' || *c == '\t') *c = '_';
}

void append_terms(std::string& out, const transcript_effect& e) {
    bool first = true;
    for (so_term t : e.terms) {
        if (!first) out += '&';
        first = false;
        out += name(t);
    }
}

std::string terms_of(const transcript_effect& e) {
    std::string out;
    for (so_term t : e.terms) {
        if (!out.empty()) out += '&';
        out += name(t);
    }
    return out;
}

// Index of the picked effect: most severe, then canonical, MANE, protein-coding, file order.
std::size_t pick(const std::vector<transcript_effect>& effects) {
    std::size_t best = 0;
    auto key = [](const transcript_effect& e) {
        return std::make_tuple(static_cast<int>(e.most_severe()), e.tx && e.tx->canonical ? 0 : 1, e.tx && e.tx->mane ? 0 : 1,
                               e.tx && e.tx->coding() ? 0 : 1);
    };
    for (std::size_t i = 1; i < effects.size(); ++i)
        if (key(effects[i]) < key(effects[best])) best = i;
    return best;
}

bool symbolic(std::string_view a) {
    return a.empty() || a.front() == '<' || a == "*" || a.find_first_of("[].") != std::string_view::npos ||
           a.find_first_not_of("ACGTNacgtn") != std::string_view::npos;
}

// "FILE: record N (CHROM:POS)", or "FILE: CHROM:POS" for a record read by region (number 0), as
// io::vcf_reader::where.
std::string record_name(const record_context& ctx, std::int64_t number, const std::string& chrom, const bcf1_t* rec) {
    const std::string locus = chrom + ":" + std::to_string(rec->pos + 1);
    return ctx.file + ": " + (number > 0 ? "record " + std::to_string(number) + " (" + locus + ")" : locus);
}

}  // namespace

void add_header_lines(bcf_hdr_t* h, const known_variants& known) {
    std::string csq = std::string("##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from precis. Format: ") +
                      csq_format() + "\">";
    bcf_hdr_append(h, csq.c_str());
    if (known.has_clinvar())
        for (auto& f : k_info)
            bcf_hdr_append(h, (std::string("##INFO=<ID=") + f[0] + ",Number=" + f[1] + ",Type=" + f[2] + ",Description=\"" + f[3] + "\">").c_str());
    for (const auto& f : known.frequency_fields())
        bcf_hdr_append(h, ("##INFO=<ID=POP_" + f + ",Number=A,Type=Float,Description=\"" + f +
                           " of the allele in the --frequencies file\">").c_str());
    if (bcf_hdr_sync(h) != 0) throw runtime_failure("bcf_hdr_sync failed while adding the annotate INFO fields");
}

std::string tsv_header() {
    return "chrom\tpos\tref\talt\tallele\tconsequence\timpact\tsymbol\tgene\ttranscript\tbiotype\texon\tintron\thgvs_c\t"
           "hgvs_p\tcdna_position\tcds_position\tprotein_position\tamino_acids\tcodons\tcanonical\tmane_select\tpick\n";
}

std::string findings_header() {
    return "sample_id\tchrom\tpos\tref\talt\tgene\ttranscript\tconsequence\timpact\thgvs_c\thgvs_p\tzygosity\tclnsig\t"
           "review_stars\tcondition\treason\n";
}

void analyse_record(const record_context& ctx, bcf1_t* rec, std::int64_t number, record_output& out, const std::string* sequence) {
    const char* contig = bcf_hdr_id2name(ctx.in_header, rec->rid);
    const std::string chrom = contig;
    auto where = [&] { return record_name(ctx, number, chrom, rec); };  // built only for messages
    const std::string* contig_seq = sequence;
    if (contig_seq) {
    } else if (rec->rid >= 0 && static_cast<std::size_t>(rec->rid) < ctx.sequences.size()) contig_seq = ctx.sequences[static_cast<std::size_t>(rec->rid)];
    else if (auto g = ctx.genome->find(chrom); g != ctx.genome->end()) contig_seq = &g->second;
    bool usable = contig_seq != nullptr;
    if (!usable) out.problems.emplace_back("contig absent from the FASTA", where());
    std::string_view seq = usable ? std::string_view(*contig_seq) : std::string_view();
    out.seq = seq;
    std::string_view ref = rec->d.allele[0];
    if (usable) {
        std::int64_t end = rec->pos + static_cast<std::int64_t>(ref.size());
        bool match = end <= static_cast<std::int64_t>(seq.size());
        for (std::size_t i = 0; match && i < ref.size(); ++i)
            match = std::toupper(static_cast<unsigned char>(ref[i])) == seq[static_cast<std::size_t>(rec->pos) + i] ||
                    ref[i] == 'N' || seq[static_cast<std::size_t>(rec->pos) + i] == 'N';
        if (!match) {
            out.problems.emplace_back("REF does not match the FASTA", where() + ": REF " + std::string(ref.substr(0, 20)));
            usable = false;
        }
    }
    // VEP's allele string: the shared first base dropped when every allele has it.
    bool strip = rec->n_allele > 1;
    for (int a = 0; a < rec->n_allele && strip; ++a) strip = rec->d.allele[a][0] != 0 && rec->d.allele[a][0] == ref[0];
    bool all_single = true;
    for (int a = 0; a < rec->n_allele; ++a) all_single = all_single && rec->d.allele[a][0] != 0 && rec->d.allele[a][1] == 0;
    strip = strip && !all_single;
    if ((ctx.want_findings || ctx.haplotypes) && !ctx.samples.empty()) {
        int32_t* gt = nullptr;
        int ngt = 0;
        int got = bcf_get_genotypes(ctx.in_header, rec, &gt, &ngt);
        if (got > 0) {
            out.genotypes.assign(gt, gt + got);
            out.ploidy = got / static_cast<int>(ctx.samples.size());
        }
        std::free(gt);
        // Phase sets: phased alleles in different sets are not combined (haplotype pass only).
        if (ctx.haplotypes && got > 0) {
            int32_t* ps = nullptr;
            int nps = 0;
            if (bcf_get_format_int32(ctx.in_header, rec, "PS", &ps, &nps) == static_cast<int>(ctx.samples.size()))
                out.phase_sets.assign(ps, ps + nps);
            std::free(ps);
        }
    }
    const bool with_clinvar = ctx.known->has_clinvar();
    for (int a = 1; usable && a < rec->n_allele; ++a) {
        std::string upper_ref(ref), alt(rec->d.allele[a]);
        if (symbolic(alt)) {
            out.problems.emplace_back("symbolic or non-ACGTN allele skipped", where() + ": ALT " + alt.substr(0, 20));
            continue;
        }
        if (io::same_bases(alt, ref)) {  // not a variant (VCF: ALT alleles are non-reference)
            out.problems.emplace_back("ALT equal to REF (not a variant) skipped", where() + ": ALT " + alt.substr(0, 20));
            continue;
        }
        for (char& c : upper_ref) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (char& c : alt) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        ++out.alleles;
        allele_result& r = out.results.emplace_back();
        r.allele = a;
        r.change = normalise(seq, rec->pos, upper_ref, alt);
        r.shown = strip ? std::string(rec->d.allele[a] + 1) : std::string(rec->d.allele[a]);
        if (r.shown.empty()) r.shown = "-";
        const allele_change& change = r.change;
        std::int64_t qb = change.pos - (change.ref.empty() ? 1 : 0);
        std::int64_t qe = std::max<std::int64_t>(change.pos + static_cast<std::int64_t>(change.ref.size()), change.pos + 1);
        for (const transcript* t : ctx.genes->overlapping(chrom, qb, qe, 5000)) {
            transcript_effect e = predict(*t, seq, change, 5000);
            if (!e.terms.empty()) r.effects.push_back(std::move(e));
        }
        r.picked = r.effects.empty() ? 0 : pick(r.effects);
        r.cv = with_clinvar ? ctx.known->clinvar(chrom, change.pos, change.ref, change.alt) : nullptr;
    }
}

void finish_record(const record_context& ctx, bcf1_t* rec, std::int64_t number, record_output& out) {
    const std::string chrom = bcf_hdr_id2name(ctx.in_header, rec->rid);
    std::string_view ref = rec->d.allele[0];
    thread_local std::string csq;  // the CSQ value: entries appended in place, ','-separated (buffer reused)
    csq.clear();
    bool any_csq = false;
    const int n_alt = rec->n_allele - 1;
    const bool with_clinvar = ctx.known->has_clinvar(), with_freq = ctx.known->has_frequencies();
    std::vector<std::string> clnsig(with_clinvar && n_alt > 0 ? n_alt : 0, "."), revstat = clnsig, clndn = clnsig,
                                    allele_id = clnsig, rs = clnsig;
    std::vector<std::int32_t> stars(clnsig.size(), bcf_int32_missing);
    std::vector<std::vector<float>> freq(ctx.known->frequency_fields().size(), std::vector<float>(n_alt > 0 ? n_alt : 0));
    for (auto& f : freq) for (auto& v : f) bcf_float_set_missing(v);
    const std::vector<int>& genotypes = out.genotypes;
    const int ploidy = out.ploidy;
    for (const allele_result& res : out.results) {
        const int a = res.allele;
        const allele_change& change = res.change;
        const std::vector<transcript_effect>& effects = res.effects;
        const std::string& shown = res.shown;
        const std::size_t picked = res.picked;
        const clinvar_entry* cv = res.cv;
        if (cv) {
            auto i = static_cast<std::size_t>(a - 1);
            clnsig[i] = sanitize(cv->clnsig), revstat[i] = sanitize(cv->clnrevstat), clndn[i] = sanitize(cv->clndn);
            allele_id[i] = sanitize(cv->allele_id), rs[i] = sanitize(cv->rs), stars[i] = cv->stars;
        }
        if (const auto* f = with_freq ? ctx.known->frequencies(chrom, change.pos, change.ref, change.alt) : nullptr)
            for (std::size_t k = 0; k < freq.size(); ++k)
                if (!std::isnan(f[k])) freq[k][static_cast<std::size_t>(a - 1)] = f[k];
        auto begin_entry = [&] {
            if (any_csq) csq += ',';
            any_csq = true;
            return csq.size();
        };
        if (effects.empty()) {
            begin_entry();
            csq += shown;
            csq += "|intergenic_variant|MODIFIER|||||||||||||||||||1";
        }
        for (std::size_t i = 0; i < effects.size(); ++i) {
            const transcript_effect& e = effects[i];
            const transcript& t = *e.tx;
            // Appended in place (no per-field temporaries): Allele|Consequence|IMPACT|SYMBOL|...
            const std::size_t from = begin_entry();
            csq += shown;
            csq += '|';
            append_terms(csq, e);
            csq += '|';
            csq += name(impact_of(e.most_severe()));
            csq += '|';
            append_sanitized(csq, t.gene_name);
            csq += '|';
            for (std::string_view field : {std::string_view(t.gene_id), std::string_view("Transcript"), std::string_view(t.id),
                                           std::string_view(t.biotype), std::string_view(e.exon), std::string_view(e.intron)}) {
                csq += field;
                csq += '|';
            }
            if (!e.hgvs_c.empty()) csq += t.id, csq += ':', csq += e.hgvs_c;
            csq += '|';
            if (!e.hgvs_p.empty()) csq += t.protein_id, csq += ':', csq += e.hgvs_p;
            csq += '|';
            for (std::string_view field :
                 {std::string_view(e.cdna_position), std::string_view(e.cds_position), std::string_view(e.protein_position),
                  std::string_view(e.amino_acids), std::string_view(e.codons), std::string_view(t.canonical ? "YES" : ""),
                  std::string_view(t.mane ? "YES" : ""), std::string_view(t.strand == '+' ? "1" : "-1")}) {
                csq += field;
                csq += '|';
            }
            if (e.distance >= 0) csq += std::to_string(e.distance);
            csq += i == picked ? "|1" : "|";
            std::replace(csq.begin() + static_cast<std::ptrdiff_t>(from), csq.end(), ',', '&');
            if (ctx.want_tsv) {
                const std::string hc = e.hgvs_c.empty() ? "" : t.id + ":" + e.hgvs_c;
                const std::string hp = e.hgvs_p.empty() ? "" : t.protein_id + ":" + e.hgvs_p;
                const std::string terms = terms_of(e);
                out.tsv += chrom + "\t" + std::to_string(rec->pos + 1) + "\t" + std::string(ref) + "\t" + rec->d.allele[a] + "\t" + shown +
                           "\t" + terms + "\t" + std::string(name(impact_of(e.most_severe()))) + "\t" + t.gene_name + "\t" + t.gene_id +
                           "\t" + t.id + "\t" + t.biotype + "\t" + e.exon + "\t" + e.intron + "\t" + hc + "\t" + hp + "\t" +
                           e.cdna_position + "\t" + e.cds_position + "\t" + e.protein_position + "\t" + e.amino_acids + "\t" +
                           e.codons + "\t" + (t.canonical ? "1" : "0") + "\t" + (t.mane ? "1" : "0") + "\t" + (i == picked ? "1" : "0") + "\n";
            }
        }
        if (effects.empty() && ctx.want_tsv)
            out.tsv += chrom + "\t" + std::to_string(rec->pos + 1) + "\t" + std::string(ref) + "\t" + rec->d.allele[a] + "\t" + shown +
                       "\tintergenic_variant\tMODIFIER\t\t\t\t\t\t\t\t\t\t\t\t\t\t0\t0\t1\n";
        out.entries += static_cast<std::int64_t>(std::max<std::size_t>(1, effects.size()));
        // Findings: ClinVar (likely) pathogenic, or HIGH impact in a panel gene.
        if (!ctx.want_findings || genotypes.empty()) continue;
        auto in_panel = [&](const transcript_effect& e) {
            return impact_of(e.most_severe()) == impact::high && (ctx.panel->count(e.tx->gene_name) || ctx.panel->count(e.tx->gene_id));
        };
        const transcript_effect* base = effects.empty() ? nullptr : &effects[picked];
        const bool clinvar = cv && is_pathogenic(cv->clnsig);
        const transcript_effect* panel_hit = nullptr;
        if (!clinvar && !ctx.panel->empty())
            for (const auto& e : effects)
                if (in_panel(e) && (!panel_hit || (!panel_hit->tx->canonical && e.tx->canonical))) panel_hit = &e;
        if (!clinvar && panel_hit) base = panel_hit;
        bool has_override = false;
        for (const auto& ov : out.overrides) has_override = has_override || ov.allele == a;
        if (!clinvar && !panel_hit && !(has_override && !ctx.panel->empty())) continue;
        for (std::size_t s = 0; s < ctx.samples.size(); ++s) {
            int copies = 0, called = 0;
            for (int p = 0; p < ploidy; ++p) {
                int v = genotypes[s * static_cast<std::size_t>(ploidy) + static_cast<std::size_t>(p)];
                if (v == bcf_int32_vector_end) break;
                if (bcf_gt_is_missing(v)) continue;
                ++called;
                if (bcf_gt_allele(v) == a) ++copies;
            }
            if (copies == 0) continue;
            const char* zyg = called == 1 ? "hemi" : copies == called ? "hom" : "het";
            // A haplotype-combined effect replaces the allele's own on the same transcript for this sample; in
            // a panel gene it can also make (or unmake) a HIGH-impact finding.
            // (The combined effect is used when every haplotype carrying the allele has one.)
            const transcript_effect* chosen = base;
            const transcript_effect* combined = nullptr;
            const transcript_effect* combined_panel = nullptr;
            int combined_haplotypes = 0, last_haplotype = 0;
            bool combined_leading = false;
            for (const auto& ov : out.overrides) {
                if (ov.sample != s || ov.allele != a) continue;
                if (base && ov.effect->tx == base->tx) {
                    if (!combined) combined = ov.effect, combined_leading = ov.leading;
                    if (ov.haplotype != last_haplotype) ++combined_haplotypes, last_haplotype = ov.haplotype;
                }
                if (!ctx.panel->empty() && in_panel(*ov.effect) && !combined_panel && ov.leading) combined_panel = ov.effect;
            }
            if (combined && combined_haplotypes >= copies) chosen = combined;
            std::string reason;
            if (clinvar) reason = "clinvar";
            else if (chosen && in_panel(*chosen)) reason = "high_impact_panel";
            else if (combined_panel) chosen = combined_panel, reason = "high_impact_panel";
            if (reason.empty()) continue;
            // A panel finding from a combined effect is reported once, at its first member (ClinVar findings
            // are about the allele and always kept).
            if (reason == "high_impact_panel" && chosen == combined && !combined_leading) continue;
            const transcript* t = chosen ? chosen->tx : nullptr;
            out.findings += ctx.samples[s] + "\t" + chrom + "\t" + std::to_string(rec->pos + 1) + "\t" + std::string(ref) + "\t" +
                            rec->d.allele[a] + "\t" + (t ? t->gene_name : ".") + "\t" + (t ? t->id : ".") + "\t" +
                            (chosen ? terms_of(*chosen) : "intergenic_variant") + "\t" +
                            std::string(name(chosen ? impact_of(chosen->most_severe()) : impact::modifier)) + "\t" +
                            (chosen && !chosen->hgvs_c.empty() ? t->id + ":" + chosen->hgvs_c : ".") + "\t" +
                            (chosen && !chosen->hgvs_p.empty() ? t->protein_id + ":" + chosen->hgvs_p : ".") + "\t" + zyg + "\t" +
                            (cv ? cv->clnsig : ".") + "\t" + (cv ? std::to_string(cv->stars) : ".") + "\t" + (cv ? cv->clndn : ".") +
                            "\t" + reason + "\n";
            ++out.finding_rows;
        }
    }
    bcf_hdr_t* h = ctx.out_header;
    if (any_csq) bcf_update_info_string(h, rec, "CSQ", csq.c_str());
    if (!out.hcsq.empty()) bcf_update_info_string(h, rec, "HCSQ", out.hcsq.c_str());
    if (with_clinvar && n_alt > 0 && std::any_of(clnsig.begin(), clnsig.end(), [](auto& s) { return s != "."; })) {
        auto put = [&](const char* tag, const std::vector<std::string>& v) {
            std::string joined;
            for (const auto& s : v) {
                if (!joined.empty()) joined += ',';
                joined += s;
            }
            bcf_update_info_string(h, rec, tag, joined.c_str());
        };
        put("CLNSIG", clnsig), put("CLNREVSTAT", revstat), put("CLNDN", clndn), put("CLNALLELEID", allele_id), put("RS", rs);
        bcf_update_info_int32(h, rec, "CLNSTARS", stars.data(), n_alt);
    }
    for (std::size_t k = 0; k < freq.size(); ++k)
        if (std::any_of(freq[k].begin(), freq[k].end(), [](float v) { return !bcf_float_is_missing(v); }))
            bcf_update_info_float(h, rec, ("POP_" + ctx.known->frequency_fields()[k]).c_str(), freq[k].data(), n_alt);
    // One formatting buffer per thread, reused: no allocation per record.
    struct kstring_buffer {
        kstring_t s{0, 0, nullptr};
        ~kstring_buffer() { ks_free(&s); }
    };
    thread_local kstring_buffer line;
    line.s.l = 0;
    if (vcf_format(h, rec, &line.s) != 0)
        throw runtime_failure(record_name(ctx, number, chrom, rec) + ": cannot format the annotated record");
    out.vcf_line.assign(line.s.s, line.s.l);
}

}  // namespace detail
}  // namespace precis::annotate
