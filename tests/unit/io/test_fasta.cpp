#include "precis/io/fasta.hpp"

#include "precis/core/error.hpp"
#include "temp_dir.hpp"

namespace precis::io {

using fasta_test = io_test;

TEST_F(fasta_test, writes_indexes_and_fetches_half_open_ranges) {
    std::string long_seq(150, 'A');
    long_seq[61] = 'C';
    write_fasta(dir / "ref.fa", {"chr1", "chrM"}, {long_seq, "ACGTN"});
    ASSERT_TRUE(std::filesystem::exists(dir / "ref.fa.fai"));
    fasta_reader fa(dir / "ref.fa");
    EXPECT_EQ(fa.contig_count(), 2);
    EXPECT_EQ(fa.contig_name(1), "chrM");
    EXPECT_EQ(fa.contig_length("chr1"), 150);
    EXPECT_EQ(fa.fetch("chr1", 60, 63), "ACA");  // crosses a line break
    EXPECT_EQ(fa.fetch("chrM", 3, 100), "TN");   // clipped at the end
    EXPECT_THROW(fa.contig_length("chr9"), input_error);
}

TEST_F(fasta_test, malformed_fasta_is_an_input_error_naming_the_file) {
    auto path = write("bad.fa", ">a\nACGT\nAC\nACGT\n");  // a short line inside a sequence
    try {
        fasta_reader fa(path);
        FAIL() << "accepted uneven line lengths";
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.fa"), std::string::npos);
    }
    EXPECT_THROW(fasta_reader(dir / "missing.fa"), input_error);
}

}  // namespace precis::io
