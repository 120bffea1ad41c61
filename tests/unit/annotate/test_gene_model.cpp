// Gene model reading (GFF3 flavours, GTF), skip reasons, overlap queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "precis/annotate/gene_model.hpp"
#include "precis/annotate/known_variants.hpp"
#include "precis/core/error.hpp"

namespace precis::annotate {
namespace {

std::filesystem::path write(const std::string& name, const std::string& text) {
    auto path = std::filesystem::temp_directory_path() / ("precis_test_annotate_" + name);
    std::ofstream(path) << text;
    return path;
}

const char* ensembl_gff3 =
    "##gff-version 3\n"
    "chr1\tx\tgene\t101\t1000\t.\t+\t.\tID=gene:G1;Name=ABC1;biotype=protein_coding\n"
    "chr1\tx\tmRNA\t101\t1000\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;biotype=protein_coding;tag=Ensembl_canonical,MANE_Select\n"
    "chr1\tx\texon\t101\t200\t.\t+\t.\tParent=transcript:T1\n"
    "chr1\tx\tCDS\t151\t200\t.\t+\t0\tParent=transcript:T1;protein_id=P1\n"
    "chr1\tx\texon\t801\t1000\t.\t+\t.\tParent=transcript:T1\n"
    "chr1\tx\tCDS\t801\t900\t.\t+\t1\tParent=transcript:T1;protein_id=P1\n"
    "chr1\tx\tmRNA\t101\t1000\t.\t+\t.\tID=transcript:T2;Parent=gene:G1;biotype=protein_coding\n"
    "chr1\tx\texon\t101\t1000\t.\t+\t.\tParent=transcript:T2\n"
    "chr1\tx\tCDS\t151\t900\t.\t+\t0\tParent=transcript:T2\n"  // 750 bases: fine
    "chr1\tx\tmRNA\t101\t1000\t.\t+\t.\tID=transcript:T3;Parent=gene:G1;biotype=protein_coding\n"
    "chr1\tx\texon\t101\t1000\t.\t+\t.\tParent=transcript:T3\n"
    "chr1\tx\tCDS\t151\t901\t.\t+\t0\tParent=transcript:T3\n"  // 751 bases: skipped
    "chr1\tx\texon\t101\t1000\t.\t+\t.\tParent=transcript:MISSING\n"
    "chr1\tx\tmRNA\t101\t1000\t.\t+\t.\tID=transcript:T4;Parent=gene:NOGENE;biotype=protein_coding\n"
    "chr1\tx\texon\t101\t1000\t.\t+\t.\tParent=transcript:T4\n"
    "chrZ\tx\tgene\t101\t1000\t.\t-\t.\tID=gene:G2;Name=ZZZ;biotype=lncRNA\n"
    "chrZ\tx\tlnc_RNA\t101\t1000\t.\t-\t.\tID=transcript:T5;Parent=gene:G2;biotype=lncRNA\n"
    "chrZ\tx\texon\t101\t1000\t.\t-\t.\tParent=transcript:T5\n"
    "chr1\tx\texon\tabc\t1000\t.\t+\t.\tParent=transcript:T1\n"
    "chr2\tx\tgene\t5001\t6000\t.\t-\t.\tID=gene:G3;Name=NEG;biotype=lncRNA\n"
    "chr2\tx\tlnc_RNA\t5001\t6000\t.\t-\t.\tID=transcript:T6;Parent=gene:G3;biotype=lncRNA\n"
    "chr2\tx\texon\t5001\t5100\t.\t-\t.\tParent=transcript:T6\n"
    "chr2\tx\texon\t5901\t6000\t.\t-\t.\tParent=transcript:T6\n"
    "chr2\tx\tlnc_RNA\t7001\t8000\t.\t?\t.\tID=transcript:T7;Parent=gene:G3;biotype=lncRNA\n"  // no strand: skipped
    "chr2\tx\texon\t7001\t8000\t.\t?\t.\tParent=transcript:T7\n";

TEST(gene_model, ensembl_gff3_with_skips) {
    auto path = write("ens.gff3", ensembl_gff3);
    gene_model m = read_gene_model(path, {"chr1", "chr2"}, false);
    const auto& s = m.summary();
    ASSERT_EQ(m.transcripts().size(), 3u);
    const transcript& t1 = m.transcripts()[0];
    EXPECT_EQ(t1.id, "T1");
    EXPECT_EQ(t1.gene_id, "G1");
    EXPECT_EQ(t1.gene_name, "ABC1");
    EXPECT_EQ(t1.protein_id, "P1");
    EXPECT_TRUE(t1.canonical);
    EXPECT_TRUE(t1.mane);
    EXPECT_EQ(t1.cds_begin, 150);
    EXPECT_EQ(t1.cds_end, 900);
    EXPECT_EQ(t1.exons.size(), 2u);
    EXPECT_EQ(s.skipped.at("CDS length not a multiple of 3"), 1);
    EXPECT_EQ(s.skipped.at("missing parent"), 2);
    EXPECT_EQ(s.skipped.at("contig absent from the FASTA"), 1);
    EXPECT_EQ(s.skipped.at("malformed line"), 1);
    EXPECT_EQ(s.skipped.at("no strand"), 1);
    EXPECT_FALSE(s.examples.empty());
    EXPECT_EQ(m.transcripts()[2].strand, '-');
    EXPECT_EQ(m.transcripts()[2].biotype, "lncRNA");
    EXPECT_THROW(read_gene_model(path, {"chr1", "chr2"}, true), input_error);
}

// With the contig lengths, a transcript reaching past its contig's end is skipped (strict: an error).
TEST(gene_model, transcripts_past_the_contig_end) {
    const char* gff3 =
        "chr1\tx\tgene\t101\t1000\t.\t+\t.\tID=gene:G1;Name=ABC1\n"
        "chr1\tx\tmRNA\t101\t1000\t.\t+\t.\tID=transcript:T1;Parent=gene:G1\n"
        "chr1\tx\texon\t101\t1000\t.\t+\t.\tParent=transcript:T1\n"
        "chr1\tx\tmRNA\t101\t500\t.\t+\t.\tID=transcript:T2;Parent=gene:G1\n"
        "chr1\tx\texon\t101\t500\t.\t+\t.\tParent=transcript:T2\n";
    auto path = write("past_end.gff3", gff3);
    gene_model m = read_gene_model(path, {"chr1"}, false, {900});
    ASSERT_EQ(m.transcripts().size(), 1u);
    EXPECT_EQ(m.transcripts()[0].id, "T2");
    EXPECT_EQ(m.summary().skipped.at("past the contig's end"), 1);
    EXPECT_EQ(read_gene_model(path, {"chr1"}, false, {1000}).transcripts().size(), 2u);
    EXPECT_THROW(read_gene_model(path, {"chr1"}, true, {900}), input_error);
}

TEST(gene_model, overlap_queries) {
    auto path = write("ens2.gff3", ensembl_gff3);
    gene_model m = read_gene_model(path, {"chr1", "chr2"}, false);
    EXPECT_EQ(m.overlapping("chr1", 500, 501, 0).size(), 2u);
    EXPECT_EQ(m.overlapping("chr1", 1000, 1001, 0).size(), 0u);
    EXPECT_EQ(m.overlapping("chr1", 1000, 1001, 5000).size(), 2u);
    EXPECT_EQ(m.overlapping("chr2", 10000, 10001, 5000).size(), 1u);
    EXPECT_EQ(m.overlapping("chr2", 11001, 11002, 5000).size(), 0u);
    EXPECT_EQ(m.overlapping("chrX", 0, 10, 5000).size(), 0u);
}

TEST(gene_model, gtf_and_gencode_gff3) {
    auto gtf = write("g.gtf",
                     "chr1\tx\tgene\t101\t1000\t.\t-\t.\tgene_id \"G1\"; gene_name \"ABC\";\n"
                     "chr1\tx\ttranscript\t101\t1000\t.\t-\t.\tgene_id \"G1\"; transcript_id \"T1\"; gene_name \"ABC\"; transcript_type \"protein_coding\"; tag \"basic\"; tag \"Ensembl_canonical\";\n"
                     "chr1\tx\texon\t101\t1000\t.\t-\t.\tgene_id \"G1\"; transcript_id \"T1\";\n"
                     "chr1\tx\tCDS\t204\t800\t.\t-\t0\tgene_id \"G1\"; transcript_id \"T1\"; protein_id \"P1\";\n"
                     "chr1\tx\tstop_codon\t201\t203\t.\t-\t0\tgene_id \"G1\"; transcript_id \"T1\";\n");
    gene_model m = read_gene_model(gtf, {"chr1"}, false);
    ASSERT_EQ(m.transcripts().size(), 1u);
    const transcript& t = m.transcripts()[0];
    EXPECT_EQ(t.gene_name, "ABC");
    EXPECT_EQ(t.cds_begin, 200);  // stop codon included
    EXPECT_EQ(t.cds_end, 800);
    EXPECT_TRUE(t.canonical);
    EXPECT_EQ(t.protein_id, "P1");
    auto gencode = write("gc.gff3",
                         "chr1\tHAVANA\tgene\t101\t1000\t.\t+\t.\tID=ENSG1.1;gene_id=ENSG1.1;gene_type=protein_coding;gene_name=XYZ\n"
                         "chr1\tHAVANA\ttranscript\t101\t1000\t.\t+\t.\tID=ENST1.1;Parent=ENSG1.1;gene_id=ENSG1.1;transcript_id=ENST1.1;transcript_type=protein_coding;gene_name=XYZ;tag=MANE_Select,Ensembl_canonical\n"
                         "chr1\tHAVANA\texon\t101\t1000\t.\t+\t.\tID=exon:ENST1.1:1;Parent=ENST1.1\n"
                         "chr1\tHAVANA\tCDS\t201\t500\t.\t+\t0\tID=CDS:ENST1.1;Parent=ENST1.1;protein_id=ENSP1.1\n");
    m = read_gene_model(gencode, {"chr1"}, false);
    ASSERT_EQ(m.transcripts().size(), 1u);
    EXPECT_EQ(m.transcripts()[0].id, "ENST1.1");
    EXPECT_EQ(m.transcripts()[0].gene_name, "XYZ");
    EXPECT_TRUE(m.transcripts()[0].mane);
    EXPECT_EQ(m.transcripts()[0].biotype, "protein_coding");
    auto refseq = write("rs.gff3",
                        "NC_1\tRefSeq\tgene\t101\t1000\t.\t+\t.\tID=gene-BRCA9;Name=BRCA9;gene_biotype=protein_coding\n"
                        "NC_1\tBestRefSeq\tmRNA\t101\t1000\t.\t+\t.\tID=rna-NM_1.2;Parent=gene-BRCA9;gene=BRCA9;transcript_id=NM_1.2;tag=MANE Select\n"
                        "NC_1\tBestRefSeq\texon\t101\t1000\t.\t+\t.\tID=exon-NM_1.2-1;Parent=rna-NM_1.2\n"
                        "NC_1\tBestRefSeq\tCDS\t201\t500\t.\t+\t0\tID=cds-NP_1.1;Parent=rna-NM_1.2;protein_id=NP_1.1\n");
    m = read_gene_model(refseq, {"NC_1"}, false);
    ASSERT_EQ(m.transcripts().size(), 1u);
    EXPECT_EQ(m.transcripts()[0].id, "NM_1.2");
    EXPECT_EQ(m.transcripts()[0].gene_name, "BRCA9");
    EXPECT_EQ(m.transcripts()[0].protein_id, "NP_1.1");
    EXPECT_TRUE(m.transcripts()[0].mane);
    EXPECT_EQ(m.transcripts()[0].biotype, "protein_coding");
}

// Real-world flavours shipped with python3-gffutils (Debian), when installed.
TEST(gene_model, gffutils_test_files) {
    const std::filesystem::path dir = "/usr/lib/python3/dist-packages/gffutils/test/data";
    if (!std::filesystem::exists(dir / "gencode-v19.gtf")) GTEST_SKIP() << "python3-gffutils not installed";
    struct expectation {
        const char* file;
        const char* contig;
        std::size_t transcripts;
        bool clean;  // FBgn0031208.* are deliberately messy: a 1001-base fake CDS, FASTA without ##FASTA
    };
    gene_model fly = read_gene_model(dir / "FBgn0031208.gff", {"chr2L"}, false);
    ASSERT_GE(fly.transcripts().size(), 2u);
    EXPECT_EQ(fly.transcripts()[0].id, "FBtr0300689");
    EXPECT_EQ(fly.transcripts()[0].cds_begin, 7679);
    EXPECT_EQ(fly.transcripts()[0].cds_end, 8610);
    EXPECT_EQ(fly.transcripts()[1].cds_end, 9276);
    for (const auto& e : {expectation{"ensembl_gtf.txt", "I", 2, true}, expectation{"gencode-v19.gtf", "chr1", 4, true},
                          expectation{"FBgn0031208.gtf", "chr2L", 3, false}, expectation{"FBgn0031208.gff", "chr2L", 3, false},
                          expectation{"gff_example1.gff3", "chr1", 1, true}, expectation{"mouse_extra_comma.gff3", "chr17", 1, true}}) {
        gene_model m = read_gene_model(dir / e.file, {e.contig}, false);
        EXPECT_EQ(m.transcripts().size(), e.transcripts) << e.file;
        if (!e.clean) {
            EXPECT_EQ(m.summary().skipped.at("CDS length not a multiple of 3"), 1) << e.file;
            continue;
        }
        for (const auto& [reason, n] : m.summary().skipped) ADD_FAILURE() << e.file << ": skipped " << n << " (" << reason << ")";
        for (const auto& t : m.transcripts()) {
            EXPECT_FALSE(t.id.empty()) << e.file;
            EXPECT_FALSE(t.gene_id.empty()) << e.file;
            EXPECT_TRUE(std::is_sorted(t.exons.begin(), t.exons.end(), [](const span& a, const span& b) { return a.begin < b.begin; }));
        }
    }
}

TEST(known_variants, review_stars_and_pathogenicity) {
    EXPECT_EQ(review_stars("practice_guideline"), 4);
    EXPECT_EQ(review_stars("reviewed_by_expert_panel"), 3);
    EXPECT_EQ(review_stars("criteria_provided,_multiple_submitters,_no_conflicts"), 2);
    EXPECT_EQ(review_stars("criteria_provided,_single_submitter"), 1);
    EXPECT_EQ(review_stars("criteria_provided,_conflicting_classifications"), 1);
    EXPECT_EQ(review_stars("no_assertion_criteria_provided"), 0);
    EXPECT_EQ(review_stars("no_classification_provided"), 0);
    EXPECT_TRUE(is_pathogenic("Pathogenic"));
    EXPECT_TRUE(is_pathogenic("Likely_pathogenic"));
    EXPECT_TRUE(is_pathogenic("Pathogenic/Likely_pathogenic"));
    EXPECT_FALSE(is_pathogenic("Conflicting_classifications_of_pathogenicity"));
    EXPECT_FALSE(is_pathogenic("Benign"));
    EXPECT_FALSE(is_pathogenic("Uncertain_significance"));
}

}  // namespace
}  // namespace precis::annotate
