#include "precis/io/vcf.hpp"

#include "precis/core/error.hpp"
#include "temp_dir.hpp"

namespace precis::io {

namespace {

const char* header_text =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=chr1,length=1000>\n"
    "##contig=<ID=chr2,length=500>\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\n";

}  // namespace

using vcf_test = io_test;

TEST_F(vcf_test, writes_indexed_vcf_and_reads_regions_without_sharing_records) {
    auto text = write("in.vcf", std::string(header_text) +
                                    "chr1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"
                                    "chr1\t100\trs1\tAC\tA\t.\t.\t.\tGT\t0|0\t./.\n"
                                    "chr1\t101\t.\tC\tT\t.\t.\t.\tGT\t0/0\t0/1\n"
                                    "chr2\t5\t.\tG\tT,C\t.\t.\t.\tGT\t1/2\t0/0\n");
    {
        vcf_reader in(text);
        EXPECT_EQ(in.samples(), (std::vector<std::string>{"A", "B"}));
        ASSERT_EQ(in.contigs().size(), 2u);
        EXPECT_EQ(in.contigs()[1].length, 500);
        EXPECT_FALSE(in.load_index());
        vcf_writer out(dir / "out.vcf.gz", in.header());
        auto rec = make_bcf_record();
        while (in.next(rec.get())) out.write(rec.get());
        out.close();
    }
    ASSERT_TRUE(std::filesystem::exists(dir / "out.vcf.gz.tbi"));
    vcf_reader in(dir / "out.vcf.gz");
    ASSERT_TRUE(in.load_index());
    EXPECT_EQ(in.indexed_record_counts(), (std::vector<std::int64_t>{3, 1}));
    auto rec = make_bcf_record();
    // [0, 100) and [100, 1000) split chr1 at the deletion starting at 0-based 99: no record twice.
    std::vector<std::int64_t> seen;
    for (auto [beg, end] : {std::pair<std::int64_t, std::int64_t>{0, 100}, {100, 1000}}) {
        in.set_region(0, beg, end);
        while (in.next(rec.get())) seen.push_back(rec->pos + 1);
    }
    EXPECT_EQ(seen, (std::vector<std::int64_t>{10, 100, 101}));
    in.set_region(1, 0, 500);
    ASSERT_TRUE(in.next(rec.get(), BCF_UN_ALL));
    EXPECT_EQ(rec->n_allele, 3);
}

TEST_F(vcf_test, malformed_record_is_an_input_error_with_its_number) {
    auto text = write("bad.vcf", std::string(header_text) +
                                     "chr1\t10\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"
                                     "chr9\t20\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n");
    vcf_reader in(text);
    auto rec = make_bcf_record();
    ASSERT_TRUE(in.next(rec.get()));
    try {
        in.next(rec.get());
        FAIL() << "accepted a record on an undeclared contig";
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.vcf: record 2: contig not declared"), std::string::npos)
            << e.what();
    }
}

TEST_F(vcf_test, not_a_vcf_and_unknown_output_names_are_input_errors) {
    EXPECT_THROW(vcf_reader(write("x.vcf", "hello\n")), input_error);
    vcf_reader in(write("in.vcf", header_text));
    EXPECT_THROW(vcf_writer(dir / "out.txt", in.header()), input_error);
    EXPECT_THROW(vcf_writer(dir / "no_such_dir" / "out.vcf.gz", in.header()), input_error);
}

}  // namespace precis::io
