#pragma once
/// Fast reads of a 2-D chunked int8 matrix (cohort.h5's /calldata/*) whose only filter is deflate: the
/// stored chunks are fetched as they are (H5Dread_chunk) and inflated with libdeflate, about twice as fast
/// as HDF5's zlib-based filter, with the chunks of the last read kept decoded for the next. Any other
/// layout (e.g. files written with scale-offset) is read through H5Dread. Not thread-safe (HDF5 is not).
#include <libdeflate.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "precis/h5/dataset.hpp"

namespace precis::h5 {

class tile_reader {
public:
    explicit tile_reader(dataset matrix);

    /// Rows [row, row + rows) x columns [col, col + cols) into `out`, row-major rows x cols. Direct reads
    /// are independent I/O; `mode` applies to the H5Dread route.
    void read(std::int8_t* out, std::uint64_t row, std::uint64_t rows, std::uint64_t col, std::uint64_t cols,
              transfer mode = transfer::independent) const;
    const dataset& matrix() const { return m_matrix; }
    /// True when tiles are read directly (deflate-only int8 chunks); false on the H5Dread route.
    bool direct() const { return m_direct; }

private:
    struct tile {
        std::uint64_t row = 0, col = 0;  // chunk indices
        std::vector<std::int8_t> values;
    };
    struct decompressor_free {
        void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
    };
    const tile& fetch(std::uint64_t chunk_row, std::uint64_t chunk_col) const;
    void recycle(std::vector<tile>& tiles) const;

    dataset m_matrix;
    bool m_direct = false;
    std::uint64_t m_chunk_rows = 0, m_chunk_cols = 0;
    std::unique_ptr<libdeflate_decompressor, decompressor_free> m_inflate;
    mutable std::vector<tile> m_tiles, m_previous;  // decoded tiles of this read and of the last one
    mutable std::vector<std::vector<std::int8_t>> m_spare;  // buffers of dropped tiles, reused
    mutable std::vector<unsigned char> m_stored;
};

}  // namespace precis::h5
