// Ensembl-flavoured GFF3 output of the gene models.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <tuple>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/sim/genes.hpp"

namespace precis::sim {

namespace {

struct feature {
    std::int64_t begin;  // 0-based half-open
    std::int64_t end;
    int order;           // tie-break: exon before CDS before UTR
    std::string type;
    std::string phase;
    std::string attributes;
};

}  // namespace

void write_gff3(const std::filesystem::path& path, const genome& g, const std::vector<gene>& genes) {
    atomic_output out(path);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        file << "##gff-version 3\n";
        for (int c = 0; c < g.size(); ++c)
            file << "##sequence-region   " << g.names[static_cast<std::size_t>(c)] << " 1 "
                 << g.sequences[static_cast<std::size_t>(c)].size() << '\n';
        char buf[64];
        for (const auto& ge : genes) {
            const std::string& chrom = g.names[static_cast<std::size_t>(ge.contig)];
            auto line = [&](const std::string& type, std::int64_t begin, std::int64_t end, const std::string& phase,
                            const std::string& attributes) {
                file << chrom << "\tprecis\t" << type << '\t' << begin + 1 << '\t' << end << "\t.\t" << ge.strand << '\t'
                     << phase << '\t' << attributes << '\n';
            };
            bool coding = ge.biotype == "protein_coding";
            line(coding ? "gene" : "ncRNA_gene", ge.span.begin, ge.span.end, ".",
                 "ID=gene:" + ge.id + ";Name=" + ge.name + ";biotype=" + ge.biotype +
                     ";description=simulated gene;gene_id=" + ge.id + ";logic_name=precis_simulate;version=1");
            // Exon ids are shared by transcripts using the same exon.
            std::map<std::pair<std::int64_t, std::int64_t>, std::string> exon_ids;
            std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> exon_use;
            for (const auto& t : ge.transcripts)
                for (const auto& e : t.exons) ++exon_use[{e.begin, e.end}];
            for (const auto& [key, n] : exon_use) {
                std::snprintf(buf, sizeof buf, "ENSSIME%011d", ge.number * 1000 + static_cast<int>(exon_ids.size()) + 1);
                exon_ids[key] = buf;
            }
            for (const auto& t : ge.transcripts) {
                std::string parent = "Parent=transcript:" + t.id;
                line(t.coding() ? "mRNA" : "lnc_RNA", t.exons.front().begin, t.exons.back().end, ".",
                     "ID=transcript:" + t.id + ";Parent=gene:" + ge.id + ";Name=" + t.name +
                         ";biotype=" + t.biotype + (t.canonical ? ";tag=Ensembl_canonical" : "") +
                         ";transcript_id=" + t.id + ";version=1");
                std::vector<feature> features;
                for (std::size_t k = 0; k < t.exons.size(); ++k) {
                    const auto& e = t.exons[k];
                    std::size_t rank = ge.strand == '+' ? k + 1 : t.exons.size() - k;
                    bool constitutive = exon_use[{e.begin, e.end}] == ge.transcripts.size();
                    const std::string& id = exon_ids[{e.begin, e.end}];
                    features.push_back({e.begin, e.end, 0, "exon", ".",
                                        parent + ";Name=" + id + ";constitutive=" + (constitutive ? "1" : "0") +
                                            ";exon_id=" + id + ";rank=" + std::to_string(rank) + ";version=1"});
                }
                if (t.coding()) {
                    auto segments = t.cds_segments();
                    if (ge.strand == '-') std::reverse(segments.begin(), segments.end());
                    std::int64_t done = 0;  // CDS bases before this segment, transcript order
                    for (const auto& s : segments) {
                        features.push_back({s.begin, s.end, 1, "CDS", std::to_string((3 - done % 3) % 3),
                                            "ID=CDS:" + t.protein_id + ";" + parent + ";protein_id=" + t.protein_id});
                        done += s.length();
                    }
                    for (const auto& e : t.exons) {
                        interval left{e.begin, std::min(e.end, t.cds_begin)}, right{std::max(e.begin, t.cds_end), e.end};
                        const char* left_type = ge.strand == '+' ? "five_prime_UTR" : "three_prime_UTR";
                        const char* right_type = ge.strand == '+' ? "three_prime_UTR" : "five_prime_UTR";
                        if (left.begin < left.end) features.push_back({left.begin, left.end, 2, left_type, ".", parent});
                        if (right.begin < right.end) features.push_back({right.begin, right.end, 2, right_type, ".", parent});
                    }
                }
                std::sort(features.begin(), features.end(), [](const feature& a, const feature& b) {
                    return std::tie(a.begin, a.order) < std::tie(b.begin, b.order);
                });
                for (const auto& f : features) line(f.type, f.begin, f.end, f.phase, f.attributes);
            }
            file << "###\n";
        }
        if (!file.flush()) throw runtime_failure(path.string() + ": write failed");
    }
    out.commit();
}

}  // namespace precis::sim
