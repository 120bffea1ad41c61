#include "precis/h5/tile_reader.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "precis/core/error.hpp"

namespace precis::h5 {

namespace {

// True when `d` is a 2-D chunked int8 dataset whose filter pipeline is deflate alone.
bool deflate_only_int8(const dataset& d) {
    if (d.dims().size() != 2 || d.chunk().size() != 2) return false;
    handle type = d.stored_type();
    if (H5Tequal(type.get(), H5T_STD_I8LE) <= 0) return false;
    handle dcpl(check(H5Dget_create_plist(d.id()), d.where() + ": H5Dget_create_plist"), H5Pclose);
    if (H5Pget_nfilters(dcpl.get()) != 1) return false;
    unsigned flags = 0, config = 0;
    std::size_t n_values = 0;
    return H5Pget_filter2(dcpl.get(), 0, &flags, &n_values, nullptr, 0, nullptr, &config) == H5Z_FILTER_DEFLATE;
}

}  // namespace

tile_reader::tile_reader(dataset matrix) : m_matrix(std::move(matrix)) {
    m_direct = deflate_only_int8(m_matrix);
    if (!m_direct) return;
    auto chunk = m_matrix.chunk();
    m_chunk_rows = chunk[0];
    m_chunk_cols = chunk[1];
    m_inflate.reset(libdeflate_alloc_decompressor());
    if (!m_inflate) throw runtime_failure(m_matrix.where() + ": cannot allocate a libdeflate decompressor");
}

const tile_reader::tile& tile_reader::fetch(std::uint64_t chunk_row, std::uint64_t chunk_col) const {
    auto same = [&](const tile& t) { return t.row == chunk_row && t.col == chunk_col; };
    for (auto* tiles : {&m_tiles, &m_previous}) {
        auto it = std::find_if(tiles->begin(), tiles->end(), same);
        if (it == tiles->end()) continue;
        if (tiles == &m_tiles) return *it;
        m_tiles.push_back(std::move(*it));
        m_previous.erase(it);
        return m_tiles.back();
    }
    const std::string where = m_matrix.where() + ": chunk (" + std::to_string(chunk_row) + ", " + std::to_string(chunk_col) + ")";
    const hsize_t offset[2] = {chunk_row * m_chunk_rows, chunk_col * m_chunk_cols};
    hsize_t stored = 0;
    check_status(H5Dget_chunk_storage_size(m_matrix.id(), offset, &stored), where + ": H5Dget_chunk_storage_size");
    if (stored == 0) throw input_error(where + ": never written (truncated or unfinished file)");
    m_stored.resize(stored);
    std::uint32_t skipped = 0;
    check_status(H5Dread_chunk(m_matrix.id(), H5P_DEFAULT, offset, &skipped, m_stored.data()), where + ": H5Dread_chunk");
    tile t{chunk_row, chunk_col, {}};
    if (!m_spare.empty()) {
        t.values = std::move(m_spare.back());
        m_spare.pop_back();
    }
    t.values.resize(m_chunk_rows * m_chunk_cols);
    const std::size_t bytes = t.values.size();
    if (skipped & 1u) {  // stored without deflate (an optional filter that did not shrink the chunk)
        if (stored != bytes) throw input_error(where + ": stored size " + std::to_string(stored) + " is not the chunk size");
        std::memcpy(t.values.data(), m_stored.data(), bytes);
    } else {
        std::size_t size = 0;
        if (libdeflate_zlib_decompress(m_inflate.get(), m_stored.data(), stored, t.values.data(), bytes, &size) !=
                LIBDEFLATE_SUCCESS ||
            size != bytes)
            throw input_error(where + ": corrupt deflate data");
    }
    m_tiles.push_back(std::move(t));
    return m_tiles.back();
}

void tile_reader::recycle(std::vector<tile>& tiles) const {
    for (tile& t : tiles) m_spare.push_back(std::move(t.values));
    tiles.clear();
}

void tile_reader::read(std::int8_t* out, std::uint64_t row, std::uint64_t rows, std::uint64_t col,
                       std::uint64_t cols, transfer mode) const {
    if (!m_direct) {
        m_matrix.read(out, {row, col}, {rows, cols}, mode);
        return;
    }
    if (rows == 0 || cols == 0) return;
    // The tiles of the last chunk row read stay decoded for the next read (a reader walking down the
    // rows in blocks smaller than a tile decodes each tile once); the others are dropped.
    std::swap(m_previous, m_tiles);
    recycle(m_tiles);
    const std::uint64_t last = (row + rows - 1) / m_chunk_rows;
    for (std::uint64_t cr = row / m_chunk_rows; cr <= last; ++cr) {
        const std::uint64_t r0 = std::max(row, cr * m_chunk_rows), r1 = std::min(row + rows, (cr + 1) * m_chunk_rows);
        for (std::uint64_t cc = col / m_chunk_cols; cc <= (col + cols - 1) / m_chunk_cols; ++cc) {
            const std::uint64_t c0 = std::max(col, cc * m_chunk_cols), c1 = std::min(col + cols, (cc + 1) * m_chunk_cols);
            const tile& t = fetch(cr, cc);
            for (std::uint64_t r = r0; r < r1; ++r)
                std::memcpy(out + (r - row) * cols + (c0 - col),
                            t.values.data() + (r - cr * m_chunk_rows) * m_chunk_cols + (c0 - cc * m_chunk_cols), c1 - c0);
        }
        if (cr != last) recycle(m_tiles);
    }
    recycle(m_previous);
}

}  // namespace precis::h5
