#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/h5/dataset.hpp"
#include "precis/h5/tile_reader.hpp"

namespace fs = std::filesystem;
using namespace precis::h5;

namespace {

fs::path scratch(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("precis_test_h5_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

template <class F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(H5File, AttributesRoundTrip) {
    auto path = scratch("attrs.h5");
    {
        file f = file::create(path);
        f.set_attribute("name", "precis");
        f.set_attribute("count", std::int64_t{-42});
        f.set_attribute("ratio", 0.25);
        f.set_attribute("name", std::string("replaced"));
    }
    file f = file::open(path);
    EXPECT_EQ(f.string_attribute("name"), "replaced");
    EXPECT_EQ(f.int64_attribute("count"), -42);
    EXPECT_DOUBLE_EQ(f.double_attribute("ratio"), 0.25);
    EXPECT_FALSE(f.has_attribute("absent"));
    EXPECT_THROW(f.string_attribute("absent"), precis::input_error);
    EXPECT_THROW(f.string_attribute("count"), precis::input_error);  // wrong class
}

TEST(H5File, MissingAndNonHdf5FilesAreInputErrors) {
    EXPECT_NE(error_of([] { file::open(scratch("nope.h5")); }).find("no such file"), std::string::npos);
    auto text = scratch("text.h5");
    std::ofstream(text) << "plain text\n";
    std::string message = error_of([&] { file::open(text); });
    EXPECT_NE(message.find("not an HDF5 file"), std::string::npos) << message;
    EXPECT_NE(message.find(text.string()), std::string::npos) << message;
}

TEST(H5Dataset, ChunkedCompressedHyperslabs) {
    auto path = scratch("matrix.h5");
    const std::uint64_t rows = 37, cols = 1500;
    std::vector<std::int8_t> all(rows * cols);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int8_t>(static_cast<int>(i % 4) - 1);
    {
        file f = file::create(path);
        group g = group::create(f, "calldata");
        dataset d = dataset::create(g, "m", H5T_STD_I8LE, {rows, cols}, storage{{16, 1024}, 4});
        // Two row blocks, like two ranks would write.
        d.write(all.data(), {0, 0}, {20, cols});
        d.write(all.data() + 20 * cols, {20, 0}, {rows - 20, cols});
        d.write(all.data(), {0, 0}, {0, cols});  // empty selection is a no-op
        EXPECT_EQ(d.chunk(), (std::vector<std::uint64_t>{16, 1024}));
    }
    file f = file::open(path);
    dataset d = dataset::open(f, "/calldata/m");
    EXPECT_EQ(d.dims(), (std::vector<std::uint64_t>{rows, cols}));
    EXPECT_EQ(d.read_all<std::int8_t>(), all);
    // A block in the middle: rows [5, 9), columns [1000, 1100).
    std::vector<std::int8_t> block(4 * 100);
    d.read(block.data(), {5, 1000}, {4, 100});
    for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t c = 0; c < 100; ++c) ASSERT_EQ(block[r * 100 + c], all[(5 + r) * cols + 1000 + c]);
    std::vector<std::int8_t> sink(10);
    EXPECT_THROW(d.read(sink.data(), {rows - 1, 0}, {2, 5}), precis::runtime_failure);
    EXPECT_THROW(dataset::open(f, "/calldata/absent"), precis::input_error);
    EXPECT_THROW(dataset::open(f, "/nogroup/x"), precis::input_error);
}

// tile_reader gives what H5Dread gives, for windows inside one tile, across tiles and edges, in a walk
// down the rows in blocks smaller than a tile (tiles kept decoded between reads), on deflated tiles
// (read directly with libdeflate) and on an unfiltered dataset (H5Dread route).
TEST(H5Dataset, TileReaderMatchesHyperslabReads) {
    auto path = scratch("tiles.h5");
    const std::uint64_t rows = 45, cols = 2100;
    std::vector<std::int8_t> all(rows * cols);
    std::uint32_t state = 7;
    for (auto& v : all) {
        state = state * 1103515245u + 12345u;
        v = static_cast<std::int8_t>(static_cast<int>((state >> 16) % 7 == 0 ? (state >> 20) % 4 : 1) - 1);
    }
    {
        file f = file::create(path);
        for (int level : {4, 0}) {
            dataset d = dataset::create(f, "m" + std::to_string(level), H5T_STD_I8LE, {rows, cols}, storage{{16, 1024}, level});
            d.write(all.data(), {0, 0}, {rows, cols});
        }
    }
    file f = file::open(path);
    for (const char* name : {"/m4", "/m0"}) {
        tile_reader tiles(dataset::open(f, name));
        EXPECT_EQ(tiles.direct(), std::string(name) == "/m4");
        auto check = [&](std::uint64_t r, std::uint64_t n, std::uint64_t c, std::uint64_t m) {
            std::vector<std::int8_t> got(n * m, 99);
            tiles.read(got.data(), r, n, c, m);
            for (std::uint64_t i = 0; i < n; ++i)
                for (std::uint64_t j = 0; j < m; ++j)
                    ASSERT_EQ(got[i * m + j], all[(r + i) * cols + c + j]) << name << " " << r + i << "," << c + j;
        };
        check(0, rows, 0, cols);
        check(3, 5, 1000, 30);     // one tile
        check(10, 30, 1000, 1100);  // 3 x 3 tiles, edges clipped
        check(44, 1, 2099, 1);      // the last element
        for (std::uint64_t r = 0; r < rows; r += 7) check(r, std::min<std::uint64_t>(7, rows - r), 500, 1600);
        check(0, 0, 0, cols);  // empty
    }
}

TEST(H5Dataset, FixedLengthStrings) {
    auto path = scratch("strings.h5");
    std::vector<std::string> values{"chr1", "", "a-much-longer-name", "x"};
    {
        file f = file::create(path);
        dataset d = create_string_dataset(f, "names", values.size(), max_length(values), storage{{2}, 4});
        write_strings(d, std::vector<std::string>(values.begin(), values.begin() + 2), 0);
        write_strings(d, std::vector<std::string>(values.begin() + 2, values.end()), 2);
        EXPECT_THROW(write_strings(d, std::vector<std::string>{std::string(40, 'z')}, 0), precis::runtime_failure);
    }
    file f = file::open(path);
    dataset d = dataset::open(f, "names");
    EXPECT_EQ(read_strings(d, 0, 4), values);
    EXPECT_EQ(read_strings(d, 2, 1), std::vector<std::string>{"a-much-longer-name"});
    fixed_strings packed(3);
    packed.push_back("ab");
    packed.push_back("abc");
    EXPECT_THROW(packed.push_back("abcd"), precis::runtime_failure);
    packed.erase_front(1);
    EXPECT_EQ(packed.to_vector(), std::vector<std::string>{"abc"});
}

TEST(H5Cohort, NonCohortHdf5IsRejected) {
    auto path = scratch("other.h5");
    { file f = file::create(path); }
    std::string message = error_of([&] { cohort_reader::open(path); });
    EXPECT_EQ(message, path.string() + ": not a precis cohort file");
    {
        file f = file::open(path, MPI_COMM_NULL, true);
        f.set_attribute("format", cohort_format);
        f.set_attribute("format_version", "9.9");
    }
    message = error_of([&] { cohort_reader::open(path); });
    EXPECT_NE(message.find("format_version 9.9 not supported"), std::string::npos) << message;
}
