// The --panel reader: common layouts (notes after a tab, comments, a byte order mark) and the entries the
// gene model does not know.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "precis/annotate/detail/panel.hpp"
#include "precis/core/error.hpp"

namespace precis::annotate::detail {
namespace {

std::filesystem::path write(const std::string& name, const std::string& text) {
    auto path = std::filesystem::temp_directory_path() / ("precis_test_panel_" + name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

transcript tx(const std::string& id, const std::string& gene_id, const std::string& gene_name) {
    transcript t;
    t.id = id, t.gene_id = gene_id, t.gene_name = gene_name, t.contig = "chr1";
    t.exons = {{100, 200}};
    return t;
}

TEST(panel, first_field_of_each_line_without_comments_bom_or_repeats) {
    const auto path = write("layouts.txt",
                            "\xEF\xBB\xBF"
                            "BRCA1\r\n"
                            "# a comment line\n"
                            "\n"
                            "   \t\n"
                            "TP53\tcardiac gene\n"
                            "MLH1  # mismatch repair\n"
                            "  MSH2 extra words\n"
                            "BRCA1\n"
                            "ENSG00000012048#no space before the comment\n");
    EXPECT_EQ(read_panel(path), (std::vector<std::string>{"BRCA1", "TP53", "MLH1", "MSH2", "ENSG00000012048"}));
}

TEST(panel, a_panel_without_genes_is_an_input_error_naming_the_file) {
    for (const char* text : {"", "\xEF\xBB\xBF", "# only a comment\n\n", "\t# note\n"}) {
        const auto path = write("empty.txt", text);
        try {
            read_panel(path);
            FAIL() << "accepted a panel without genes: '" << text << "'";
        } catch (const input_error& e) {
            EXPECT_NE(std::string(e.what()).find("precis_test_panel_empty.txt: --panel lists no genes"), std::string::npos)
                << e.what();
        }
    }
}

TEST(panel, unmatched_entries_in_panel_order_with_the_spelling_that_differs_in_case) {
    const gene_model genes({tx("T1", "ENSG1", "BRCA1"), tx("T2", "ENSG1", "BRCA1"), tx("T3", "ENSG2", "TP53")});
    const std::vector<std::string> panel = {"brca1", "TP53", "ENSG1", "NOTAGENE", "ensg2", "BRCA1"};
    const auto unmatched = unmatched_panel_genes(panel, genes);
    ASSERT_EQ(unmatched.size(), 3u);
    EXPECT_EQ(unmatched[0], (std::pair<std::string, std::string>{"brca1", "BRCA1"}));
    EXPECT_EQ(unmatched[1], (std::pair<std::string, std::string>{"NOTAGENE", ""}));
    EXPECT_EQ(unmatched[2], (std::pair<std::string, std::string>{"ensg2", "ENSG2"}));
    EXPECT_TRUE(unmatched_panel_genes({"BRCA1", "ENSG2"}, genes).empty());
}

}  // namespace
}  // namespace precis::annotate::detail
