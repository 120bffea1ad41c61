#include "precis/core/digest.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "precis/core/error.hpp"

namespace precis {
namespace {

// FIPS 180-2 and RFC 4231 test vectors.
TEST(Digest, Sha256OfKnownStrings) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, Sha256OfFileEqualsSha256OfItsBytes) {
    std::filesystem::path file = std::filesystem::path(testing::TempDir()) / "digest_test.bin";
    std::string data(200000, 'x');
    data[12345] = '\0';
    std::ofstream(file, std::ios::binary) << data;
    EXPECT_EQ(sha256_file(file), sha256_hex(data));
    std::filesystem::remove(file);
    EXPECT_THROW(sha256_file(file), input_error);
}

TEST(Digest, HmacSha256Rfc4231Case2) {
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace precis
