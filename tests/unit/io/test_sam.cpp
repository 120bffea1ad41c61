#include "precis/io/sam.hpp"

#include "precis/core/error.hpp"
#include "temp_dir.hpp"

namespace precis::io {

using sam_test = io_test;

TEST_F(sam_test, sam_to_indexed_bam_and_region_reads) {
    auto sam = write("in.sam",
                     "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:1000\n"
                     "r1\t0\tchr1\t100\t60\t4M\t*\t0\t0\tACGT\tIIII\n"
                     "r2\t16\tchr1\t500\t60\t4M\t*\t0\t0\tTTTT\tIIII\n");
    {
        sam_reader in(sam);
        sam_writer out(dir / "out.bam", in.header());
        auto rec = make_bam_record();
        while (in.next(rec.get())) out.write(rec.get());
        out.close();
    }
    ASSERT_TRUE(std::filesystem::exists(dir / "out.bam.bai"));
    sam_reader in(dir / "out.bam");
    ASSERT_TRUE(in.load_index());
    in.set_region(0, 400, 600);
    auto rec = make_bam_record();
    ASSERT_TRUE(in.next(rec.get()));
    EXPECT_STREQ(bam_get_qname(rec.get()), "r2");
    EXPECT_FALSE(in.next(rec.get()));
}

TEST_F(sam_test, malformed_record_is_an_input_error) {
    auto sam = write("bad.sam", "@SQ\tSN:chr1\tLN:1000\nr1\t0\tchr1\tNOTANUMBER\t60\t4M\t*\t0\t0\tACGT\tIIII\n");
    sam_reader in(sam);
    auto rec = make_bam_record();
    EXPECT_THROW(in.next(rec.get()), input_error);
    EXPECT_THROW(sam_reader(dir / "missing.bam"), input_error);
}

}  // namespace precis::io
