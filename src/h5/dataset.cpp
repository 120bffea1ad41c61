#include "precis/h5/dataset.hpp"

#include <algorithm>
#include <cstring>

#include "precis/core/error.hpp"

namespace precis::h5 {

template <> hid_t native_type<std::int8_t>() { return H5T_NATIVE_INT8; }
template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }

namespace {

std::vector<hsize_t> to_hsize(const std::vector<std::uint64_t>& v) { return {v.begin(), v.end()}; }

handle simple_space(const std::vector<std::uint64_t>& dims) {
    auto d = to_hsize(dims);
    return handle(check(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr), "H5Screate_simple"), H5Sclose);
}

bool empty(const std::vector<std::uint64_t>& count) {
    return std::any_of(count.begin(), count.end(), [](std::uint64_t c) { return c == 0; });
}

handle transfer_list(const object& obj, transfer mode) {
    handle dxpl = make_plist(H5P_DATASET_XFER);
    if (obj.parallel())
        check_status(H5Pset_dxpl_mpio(dxpl.get(), mode == transfer::collective ? H5FD_MPIO_COLLECTIVE
                                                                                : H5FD_MPIO_INDEPENDENT),
                     "H5Pset_dxpl_mpio");
    return dxpl;
}

// File and memory dataspaces selecting [offset, offset+count), or nothing when count is empty.
std::pair<handle, handle> selection(const dataset& ds, const std::vector<std::uint64_t>& offset,
                                    const std::vector<std::uint64_t>& count) {
    handle file_space(check(H5Dget_space(ds.id()), "H5Dget_space"), H5Sclose);
    int rank = H5Sget_simple_extent_ndims(file_space.get());
    if (rank != static_cast<int>(offset.size()) || rank != static_cast<int>(count.size()))
        throw runtime_failure(ds.where() + ": selection has " + std::to_string(count.size()) +
                              " dimensions, the dataset " + std::to_string(rank));
    if (empty(count)) {
        check_status(H5Sselect_none(file_space.get()), "H5Sselect_none");
        handle mem(check(H5Scopy(file_space.get()), "H5Scopy"), H5Sclose);
        check_status(H5Sselect_none(mem.get()), "H5Sselect_none");
        return {std::move(file_space), std::move(mem)};
    }
    auto dims = ds.dims();
    for (int i = 0; i < rank; ++i)
        if (offset[i] + count[i] > dims[i])
            throw runtime_failure(ds.where() + ": selection [" + std::to_string(offset[i]) + ", " +
                                  std::to_string(offset[i] + count[i]) + ") beyond extent " +
                                  std::to_string(dims[i]) + " of dimension " + std::to_string(i));
    auto o = to_hsize(offset);
    auto c = to_hsize(count);
    check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, o.data(), nullptr, c.data(), nullptr),
                 "H5Sselect_hyperslab");
    return {std::move(file_space), simple_space(count)};
}

}  // namespace

dataset dataset::create(const object& parent, const std::string& name, hid_t type,
                        const std::vector<std::uint64_t>& dims, const storage& layout) {
    std::string where = parent.file_name() + ":" + name;
    handle space = simple_space(dims);
    handle dcpl = make_plist(H5P_DATASET_CREATE);
    if (!layout.chunk.empty()) {
        if (layout.chunk.size() != dims.size()) throw runtime_failure(where + ": chunk rank differs from dataset rank");
        std::vector<hsize_t> chunk(dims.size());
        for (std::size_t i = 0; i < dims.size(); ++i)
            chunk[i] = std::max<hsize_t>(1, std::min<hsize_t>(layout.chunk[i], dims[i]));
        check_status(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), where + ": H5Pset_chunk");
        if (layout.deflate > 0) check_status(H5Pset_deflate(dcpl.get(), layout.deflate), where + ": H5Pset_deflate");
        // Every element is written by its producer: no need to write fill values first.
        check_status(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), where + ": H5Pset_fill_time");
    }
    hid_t d = H5Dcreate2(parent.id(), name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT);
    if (d < 0) throw runtime_failure(where + ": cannot create dataset (disk full?)");
    return dataset(handle(d, H5Dclose), parent.file_name(), where, parent.comm());
}

dataset dataset::create_or_reuse(const object& parent, const std::string& name, hid_t type,
                                 const std::vector<std::uint64_t>& dims) {
    if (parent.exists(name)) {
        hid_t d = H5Dopen2(parent.id(), name.c_str(), H5P_DEFAULT);
        if (d >= 0) {
            dataset ds(handle(d, H5Dclose), parent.file_name(), parent.file_name() + ":" + name, parent.comm());
            if (ds.dims() == dims && ds.chunk().empty() && H5Tequal(ds.stored_type().get(), type) > 0) return ds;
        }
        if (H5Ldelete(parent.id(), name.c_str(), H5P_DEFAULT) < 0)
            throw runtime_failure(parent.file_name() + ":" + name + ": cannot delete the dataset to replace it");
    }
    return create(parent, name, type, dims);
}

dataset dataset::open(const object& parent, const std::string& name, std::size_t cache_bytes) {
    std::string where = parent.file_name() + ":" + name;
    if (!parent.exists(name)) throw input_error(parent.file_name() + ": dataset " + parent.path_of(name) + " is missing");
    handle dapl = make_plist(H5P_DATASET_ACCESS);
    if (cache_bytes > 0)
        check_status(H5Pset_chunk_cache(dapl.get(), 10007, cache_bytes, 0.75), where + ": H5Pset_chunk_cache");
    hid_t d = H5Dopen2(parent.id(), name.c_str(), dapl.get());
    if (d < 0) throw input_error(where + ": cannot open dataset");
    return dataset(handle(d, H5Dclose), parent.file_name(), where, parent.comm());
}

std::vector<std::uint64_t> dataset::dims() const {
    handle space(check(H5Dget_space(id()), where() + ": H5Dget_space"), H5Sclose);
    int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) throw runtime_failure(where() + ": cannot read the extents");
    std::vector<hsize_t> d(rank);
    if (rank > 0) check_status(H5Sget_simple_extent_dims(space.get(), d.data(), nullptr), where() + ": extents");
    return {d.begin(), d.end()};
}

std::vector<std::uint64_t> dataset::chunk() const {
    handle dcpl(check(H5Dget_create_plist(id()), where() + ": H5Dget_create_plist"), H5Pclose);
    if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return {};
    std::vector<hsize_t> c(32);
    int rank = H5Pget_chunk(dcpl.get(), static_cast<int>(c.size()), c.data());
    if (rank < 0) throw runtime_failure(where() + ": cannot read the chunk extents");
    return {c.begin(), c.begin() + rank};
}

handle dataset::stored_type() const { return handle(check(H5Dget_type(id()), where() + ": H5Dget_type"), H5Tclose); }

void dataset::write_raw(hid_t mem_type, const void* data, const std::vector<std::uint64_t>& offset,
                        const std::vector<std::uint64_t>& count, transfer mode) const {
    auto [file_space, mem_space] = selection(*this, offset, count);
    handle dxpl = transfer_list(*this, mode);
    if (H5Dwrite(id(), mem_type, mem_space.get(), file_space.get(), dxpl.get(), data) < 0) {
        // No further HDF5 call: closing now could crash or hang, or write metadata that link a half write.
        // A collective write can fail on some ranks only, and leave others waiting inside HDF5: under MPI
        // this rank ends the job (throw_if_any_failed does not wait for the others then).
        skip_library_shutdown();
        throw runtime_failure(where() + ": write failed (disk full?)");
    }
}

void dataset::read_raw(hid_t mem_type, void* data, const std::vector<std::uint64_t>& offset,
                       const std::vector<std::uint64_t>& count, transfer mode) const {
    auto [file_space, mem_space] = selection(*this, offset, count);
    handle dxpl = transfer_list(*this, mode);
    if (H5Dread(id(), mem_type, mem_space.get(), file_space.get(), dxpl.get(), data) < 0) {
        // A dataset of another kind than the format says (text where numbers belong): the file is at fault.
        const H5T_class_t want = H5Tget_class(mem_type), have = H5Tget_class(stored_type().get());
        const bool numeric = want == H5T_INTEGER || want == H5T_FLOAT;
        if (numeric != (have == H5T_INTEGER || have == H5T_FLOAT) || (!numeric && want != have))
            throw input_error(where() + ": holds " + (have == H5T_STRING ? "text" : "values of another type") + " where " +
                              (numeric ? "numbers" : "text") + " belong (not a file precis wrote?)");
        throw input_error(where() + ": cannot read its data (a damaged or truncated file?)");
    }
}

void fixed_strings::push_back(std::string_view s) {
    if (s.size() > m_width)
        throw runtime_failure("string of " + std::to_string(s.size()) + " bytes does not fit width " +
                              std::to_string(m_width));
    m_data.resize(m_data.size() + m_width, '\0');
    set(size() - 1, s);
}

void fixed_strings::set(std::size_t i, std::string_view s) {
    if (s.size() > m_width)
        throw runtime_failure("string of " + std::to_string(s.size()) + " bytes does not fit width " +
                              std::to_string(m_width));
    char* p = m_data.data() + i * m_width;
    std::memcpy(p, s.data(), s.size());
    std::memset(p + s.size(), 0, m_width - s.size());
}

std::string fixed_strings::operator[](std::size_t i) const {
    const char* p = m_data.data() + i * m_width;
    return std::string(p, strnlen(p, m_width));
}

void fixed_strings::erase_front(std::size_t n) {
    m_data.erase(m_data.begin(), m_data.begin() + static_cast<std::ptrdiff_t>(std::min(n, size()) * m_width));
}

std::vector<std::string> fixed_strings::to_vector() const {
    std::vector<std::string> out;
    out.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) out.push_back((*this)[i]);
    return out;
}

std::size_t max_length(const std::vector<std::string>& values) {
    std::size_t n = 1;
    for (const auto& v : values) n = std::max(n, v.size());
    return n;
}

namespace {

handle fixed_string_type(std::size_t width) {
    handle type(check(H5Tcopy(H5T_C_S1), "H5Tcopy"), H5Tclose);
    check_status(H5Tset_size(type.get(), std::max<std::size_t>(width, 1)), "H5Tset_size");
    check_status(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "H5Tset_strpad");
    return type;
}

std::size_t string_width(const dataset& ds) {
    handle type = ds.stored_type();
    if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0)
        throw input_error(ds.where() + ": not a fixed-length string dataset");
    return H5Tget_size(type.get());
}

}  // namespace

dataset create_string_dataset(const object& parent, const std::string& name, std::uint64_t n, std::size_t width,
                              const storage& layout) {
    handle type = fixed_string_type(width);
    return dataset::create(parent, name, type.get(), {n}, layout);
}

void write_strings(const dataset& ds, const fixed_strings& values, std::uint64_t offset, transfer mode) {
    std::size_t width = string_width(ds);
    if (values.width() != width) {
        fixed_strings copy(width);
        for (std::size_t i = 0; i < values.size(); ++i) copy.push_back(values[i]);
        write_strings(ds, copy, offset, mode);
        return;
    }
    handle type = fixed_string_type(width);
    ds.write_raw(type.get(), values.data(), {offset}, {values.size()}, mode);
}

void write_strings(const dataset& ds, const std::vector<std::string>& values, std::uint64_t offset, transfer mode) {
    fixed_strings packed(string_width(ds));
    for (const auto& v : values) {
        if (v.size() > packed.width())
            throw runtime_failure(ds.where() + ": string '" + v + "' longer than the dataset width " +
                                  std::to_string(packed.width()));
        packed.push_back(v);
    }
    write_strings(ds, packed, offset, mode);
}

std::vector<std::string> read_strings(const dataset& ds, std::uint64_t offset, std::uint64_t count, transfer mode) {
    std::size_t width = string_width(ds);
    fixed_strings out(width);
    out.resize(count);
    handle type = fixed_string_type(width);
    ds.read_raw(type.get(), out.data(), {offset}, {count}, mode);
    return out.to_vector();
}

}  // namespace precis::h5
