// Site key permissions, pseudonyms, file stems, owner-only files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"
#include "precis/report/privacy.hpp"

using namespace precis::report;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
    auto d = fs::temp_directory_path() / ("precis_report_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d / name;
}
mode_t mode_of(const fs::path& p) {
    struct stat st{};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
}
}  // namespace

TEST(site_key, refuses_group_or_world_access_naming_file_and_mode) {
    auto key = scratch("key");
    std::ofstream(key) << "0123456789abcdef0123456789abcdef\n";
    ::chmod(key.c_str(), 0644);
    try {
        read_site_key(key);
        FAIL() << "accepted a world-readable key";
    } catch (const precis::input_error& e) {
        EXPECT_NE(std::string(e.what()).find(key.string()), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("0644"), std::string::npos);
    }
    ::chmod(key.c_str(), 0640);
    EXPECT_THROW(read_site_key(key), precis::input_error);
    ::chmod(key.c_str(), 0600);
    EXPECT_EQ(read_site_key(key), "0123456789abcdef0123456789abcdef");
    EXPECT_THROW(read_site_key(scratch("missing")), precis::input_error);
    auto short_key = scratch("short");
    std::ofstream(short_key) << "abc";
    ::chmod(short_key.c_str(), 0600);
    EXPECT_THROW(read_site_key(short_key), precis::input_error);
}

TEST(pseudonym, is_a_keyed_hmac_prefix) {
    auto p = pseudonym("k1-0123456789abcdef", "P0001");
    EXPECT_EQ(p, "PX-" + precis::hmac_sha256_hex("k1-0123456789abcdef", "P0001").substr(0, 16));
    EXPECT_NE(p, pseudonym("k2-0123456789abcdef", "P0001"));
    EXPECT_NE(p, pseudonym("k1-0123456789abcdef", "P0002"));
}

TEST(file_stem, keeps_safe_ids_and_hashes_unsafe_ones) {
    EXPECT_EQ(file_stem("P0001"), "P0001");
    auto s = file_stem("<script>alert(1)</script>");
    EXPECT_EQ(s.find('/'), std::string::npos);
    EXPECT_EQ(s.find('<'), std::string::npos);
    EXPECT_NE(s, file_stem("<script>alert(2)</script>"));
    EXPECT_NE(file_stem("../x").substr(0, 2), "..");
}

TEST(private_files, are_owner_only) {
    auto dir = scratch("out/sub");
    make_private_dir(dir);
    EXPECT_EQ(mode_of(dir), 0700u);
    write_private_file(dir / "a.html", "<p>x</p>");
    EXPECT_EQ(mode_of(dir / "a.html"), 0600u);
    std::ifstream in(dir / "a.html");
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "<p>x</p>");
    EXPECT_FALSE(fs::exists(dir / ".precis-partial.a.html"));
}
