#include "precis/io/fastq.hpp"

#include "precis/core/error.hpp"
#include "temp_dir.hpp"

namespace precis::io {

using fastq_test = io_test;

TEST_F(fastq_test, round_trips_through_gzip) {
    {
        fastq_writer out(dir / "r.fq.gz");
        out.write({"read1", "ACGTN", "IIII#"});
        out.write({"read2", "TTTT", "5555"});
        out.close();
    }
    fastq_reader in(dir / "r.fq.gz");
    fastq_record rec;
    ASSERT_TRUE(in.next(rec));
    EXPECT_EQ(rec.name, "read1");
    EXPECT_EQ(rec.sequence, "ACGTN");
    EXPECT_EQ(rec.quality, "IIII#");
    ASSERT_TRUE(in.next(rec));
    EXPECT_EQ(rec.sequence, "TTTT");
    EXPECT_FALSE(in.next(rec));
    EXPECT_EQ(in.records_read(), 2);
}

TEST_F(fastq_test, truncated_record_names_its_number) {
    auto path = write("bad.fq", "@a\nACGT\n+\nIIII\n@b\nACGT\n+\nII\n");
    fastq_reader in(path);
    fastq_record rec;
    ASSERT_TRUE(in.next(rec));
    try {
        in.next(rec);
        FAIL() << "accepted qualities shorter than bases";
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.fq: record 2"), std::string::npos) << e.what();
    }
}

TEST_F(fastq_test, unclosed_writer_leaves_no_file) {
    {
        fastq_writer out(dir / "r.fq");
        out.write({"x", "A", "I"});
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir));
}

}  // namespace precis::io
