// Reference loading for annotate: whole contigs, upper case, in any order, from plain and bgzipped FASTA.
#include <gtest/gtest.h>
#include <htslib/bgzf.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "precis/annotate/detail/genome.hpp"
#include "precis/core/error.hpp"

namespace precis::annotate::detail {
namespace {

struct contig {
    std::string name, bases;
    std::size_t width;
};

// Contigs of different lengths and line widths, soft-masked in places.
std::vector<contig> contigs() {
    std::vector<contig> out = {{"a", "", 60}, {"b", "", 50}, {"c", "", 70}};
    const std::size_t lengths[] = {5000, 700, 130};
    const char alphabet[] = "ACGTacgtN";
    for (std::size_t c = 0; c < out.size(); ++c)
        for (std::size_t i = 0; i < lengths[c]; ++i) out[c].bases += alphabet[(i * 7 + c * 3 + i / 11) % 9];
    return out;
}

std::filesystem::path write_fasta(const std::string& name, bool bgzip) {
    std::string text;
    for (const contig& c : contigs()) {
        text += ">" + c.name + " description\n";
        for (std::size_t at = 0; at < c.bases.size(); at += c.width) text += c.bases.substr(at, c.width) + "\n";
    }
    auto path = std::filesystem::temp_directory_path() / ("precis_test_genome_" + name);
    for (const char* suffix : {".fai", ".gzi"}) std::filesystem::remove(path.string() + suffix);
    BGZF* out = bgzf_open(path.c_str(), bgzip ? "w" : "wu");
    EXPECT_NE(out, nullptr);
    EXPECT_EQ(bgzf_write(out, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    EXPECT_EQ(bgzf_close(out), 0);
    return path;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Each order mixes the forward pass (next contig) with reads where the .fai puts a contig (an earlier one,
// or one after longer contigs): every load gives the whole upper-case sequence.
TEST(ReferenceStream, LoadsContigsInAnyOrder) {
    const auto expected = contigs();
    for (bool bgzip : {false, true}) {
        const auto path = write_fasta(bgzip ? "z.fa.gz" : "plain.fa", bgzip);
        for (const std::vector<int>& order : {std::vector<int>{0, 1, 2}, {2, 0, 1, 0, 2}, {1, 2, 1}, {2, 2}}) {
            reference_stream stream(path);
            ASSERT_EQ(stream.names(), (std::vector<std::string>{"a", "b", "c"}));
            for (int i : order)
                EXPECT_EQ(stream.load(expected[i].name), upper(expected[i].bases)) << "bgzip " << bgzip << ", contig " << i;
        }
        std::vector<std::string> names;
        const genome_map all = load_genome(path, names, nullptr);
        for (const contig& c : expected) EXPECT_EQ(all.at(c.name), upper(c.bases));
    }
}

TEST(ReferenceStream, UnknownContigIsAnInputError) {
    reference_stream stream(write_fasta("unknown.fa", false));
    EXPECT_THROW(stream.load("chrZ"), input_error);
}

}  // namespace
}  // namespace precis::annotate::detail
