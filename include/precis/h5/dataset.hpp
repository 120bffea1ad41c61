#pragma once
/// HDF5 datasets: creation with chunking and filters, hyperslab reads and writes, fixed-length strings.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "precis/h5/file.hpp"

namespace precis::h5 {

/// How a read or write moves data on a parallel file. Collective transfers must be made by every rank of
/// the file's communicator (a rank with nothing to move passes an empty count); writes to a filtered
/// (compressed) dataset must be collective. On a serial file both behave the same.
enum class transfer { independent, collective };

/// Storage of a new dataset. An empty `chunk` means contiguous storage (no filters possible).
/// Chunk extents are clipped to the dataset extents (and to at least 1).
struct storage {
    std::vector<std::uint64_t> chunk;
    /// Deflate level 1..9; 0 for none.
    int deflate = 0;
};

/// The HDF5 memory type of an element type: std::int8_t, std::uint8_t, std::int32_t, std::int64_t, double, float.
template <class T> hid_t native_type();

/// An open dataset. Element types are converted by HDF5 between the stored and the memory type.
/// Offsets and counts are 0-based, per dimension, half-open ([offset, offset+count)). Not thread-safe.
class dataset : public object {
public:
    /// Creates `name` below `parent` with stored type `type` (e.g. H5T_STD_I8LE) and extents `dims`
    /// (collective on a parallel file). Zero extents are allowed with contiguous storage.
    static dataset create(const object& parent, const std::string& name, hid_t type,
                          const std::vector<std::uint64_t>& dims, const storage& layout = {});
    /// The contiguous dataset `name` below `parent` with stored type `type` and extents `dims`: the existing
    /// one when it has them (its file space is written over, so the file does not grow), else a new one
    /// (replacing another dataset of that name). Serial files only.
    static dataset create_or_reuse(const object& parent, const std::string& name, hid_t type,
                                   const std::vector<std::uint64_t>& dims);
    /// Opens `name`; throws input_error naming file and dataset when it is absent. `cache_bytes` > 0 sizes
    /// the chunk cache of this handle (HDF5's default is 1 MiB).
    static dataset open(const object& parent, const std::string& name, std::size_t cache_bytes = 0);

    std::vector<std::uint64_t> dims() const;
    /// Chunk extents, empty when contiguous.
    std::vector<std::uint64_t> chunk() const;
    /// The stored datatype (owned by the returned handle).
    handle stored_type() const;

    /// Writes a row-major block of prod(count) elements at `offset`.
    template <class T>
    void write(const T* data, const std::vector<std::uint64_t>& offset, const std::vector<std::uint64_t>& count,
               transfer mode = transfer::collective) const {
        write_raw(native_type<T>(), data, offset, count, mode);
    }
    /// Reads a row-major block of prod(count) elements from `offset` into `data`.
    template <class T>
    void read(T* data, const std::vector<std::uint64_t>& offset, const std::vector<std::uint64_t>& count,
              transfer mode = transfer::independent) const {
        read_raw(native_type<T>(), data, offset, count, mode);
    }
    /// Reads the whole dataset.
    template <class T> std::vector<T> read_all(transfer mode = transfer::independent) const {
        auto d = dims();
        std::uint64_t n = 1;
        for (auto x : d) n *= x;
        std::vector<T> out(n);
        read(out.data(), std::vector<std::uint64_t>(d.size(), 0), d, mode);
        return out;
    }

    void write_raw(hid_t mem_type, const void* data, const std::vector<std::uint64_t>& offset,
                   const std::vector<std::uint64_t>& count, transfer mode) const;
    void read_raw(hid_t mem_type, void* data, const std::vector<std::uint64_t>& offset,
                  const std::vector<std::uint64_t>& count, transfer mode) const;

private:
    using object::object;
};

/// Fixed-length strings packed back to back: element i occupies bytes [i*width, (i+1)*width), NUL-padded.
/// This is the memory layout of a fixed-length string dataset (parallel HDF5 cannot write
/// variable-length strings collectively). Not thread-safe for concurrent push_back.
class fixed_strings {
public:
    explicit fixed_strings(std::size_t width = 1) : m_width(width < 1 ? 1 : width) {}
    std::size_t width() const { return m_width; }
    std::size_t size() const { return m_data.size() / m_width; }
    /// Appends `s`; throws runtime_failure when it is longer than width().
    void push_back(std::string_view s);
    /// Resizes to `n` elements (new ones empty).
    void resize(std::size_t n) { m_data.resize(n * m_width, '\0'); }
    /// Sets element i (must exist); throws runtime_failure when `s` is longer than width().
    void set(std::size_t i, std::string_view s);
    std::string operator[](std::size_t i) const;
    void clear() { m_data.clear(); }
    /// Removes the first n elements.
    void erase_front(std::size_t n);
    const char* data() const { return m_data.data(); }
    char* data() { return m_data.data(); }
    std::vector<std::string> to_vector() const;

private:
    std::size_t m_width;
    std::vector<char> m_data;
};

/// The longest string in `values` (at least 1).
std::size_t max_length(const std::vector<std::string>& values);

/// Creates a 1-D fixed-length string dataset of `n` elements of `width` bytes (NUL-padded, ASCII).
dataset create_string_dataset(const object& parent, const std::string& name, std::uint64_t n, std::size_t width,
                              const storage& layout = {});
/// Writes strings [offset, offset + values.size()) of a 1-D string dataset; values must fit its width.
void write_strings(const dataset& ds, const fixed_strings& values, std::uint64_t offset,
                   transfer mode = transfer::collective);
void write_strings(const dataset& ds, const std::vector<std::string>& values, std::uint64_t offset,
                   transfer mode = transfer::collective);
/// Reads strings [offset, offset + count) of a 1-D fixed-length string dataset.
std::vector<std::string> read_strings(const dataset& ds, std::uint64_t offset, std::uint64_t count,
                                      transfer mode = transfer::independent);

}  // namespace precis::h5
