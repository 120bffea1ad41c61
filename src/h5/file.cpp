#include "precis/h5/file.hpp"

#include <algorithm>
#include <exception>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/mpi/communicator.hpp"

namespace precis::h5 {

namespace {

bool use_mpi(MPI_Comm comm) {
    if (comm == MPI_COMM_NULL) return false;
    int size = 1;
    mpi::check(MPI_Comm_size(comm, &size), "MPI_Comm_size");
    return size > 1;
}

handle file_access(MPI_Comm comm, bool parallel) {
    handle fapl = make_plist(H5P_FILE_ACCESS);
    if (parallel) {
        check_status(H5Pset_fapl_mpio(fapl.get(), comm, MPI_INFO_NULL), "H5Pset_fapl_mpio");
        check_status(H5Pset_all_coll_metadata_ops(fapl.get(), true), "H5Pset_all_coll_metadata_ops");
        check_status(H5Pset_coll_metadata_write(fapl.get(), true), "H5Pset_coll_metadata_write");
    }
    return fapl;
}

handle string_type(std::size_t size) {
    handle type(check(H5Tcopy(H5T_C_S1), "H5Tcopy"), H5Tclose);
    check_status(H5Tset_size(type.get(), std::max<std::size_t>(size, 1)), "H5Tset_size");
    check_status(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "H5Tset_strpad");
    return type;
}

handle scalar_space() { return handle(check(H5Screate(H5S_SCALAR), "H5Screate"), H5Sclose); }

}  // namespace

object::~object() {
    if (parallel() && std::uncaught_exceptions() > 0) skip_library_shutdown();
}

bool object::has_attribute(const std::string& name) const {
    htri_t rc = H5Aexists(id(), name.c_str());
    if (rc < 0) throw runtime_failure(m_where + ": cannot look up attribute " + name);
    return rc > 0;
}

namespace {

handle replace_attribute(const object& obj, const std::string& name, hid_t type) {
    if (obj.has_attribute(name) && H5Adelete(obj.id(), name.c_str()) < 0)
        throw runtime_failure(obj.where() + ": cannot replace attribute " + name);
    handle space = scalar_space();
    hid_t a = H5Acreate2(obj.id(), name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) throw runtime_failure(obj.where() + ": cannot create attribute " + name);
    return handle(a, H5Aclose);
}

handle open_attribute(const object& obj, const std::string& name, H5T_class_t expected, const char* kind) {
    if (!obj.has_attribute(name)) throw input_error(obj.where() + ": attribute " + name + " is missing");
    handle a(H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!a) throw runtime_failure(obj.where() + ": cannot open attribute " + name);
    handle type(check(H5Aget_type(a.get()), "H5Aget_type"), H5Tclose);
    if (H5Tget_class(type.get()) != expected)
        throw input_error(obj.where() + ": attribute " + name + " is not " + kind);
    return a;
}

}  // namespace

void object::set_attribute(const std::string& name, const std::string& value) const {
    handle type = string_type(value.size() + 1);
    handle a = replace_attribute(*this, name, type.get());
    if (H5Awrite(a.get(), type.get(), value.c_str()) < 0)
        throw runtime_failure(m_where + ": cannot write attribute " + name);
}

void object::set_attribute(const std::string& name, std::int64_t value) const {
    handle a = replace_attribute(*this, name, H5T_STD_I64LE);
    if (H5Awrite(a.get(), H5T_NATIVE_INT64, &value) < 0)
        throw runtime_failure(m_where + ": cannot write attribute " + name);
}

void object::set_attribute(const std::string& name, double value) const {
    handle a = replace_attribute(*this, name, H5T_IEEE_F64LE);
    if (H5Awrite(a.get(), H5T_NATIVE_DOUBLE, &value) < 0)
        throw runtime_failure(m_where + ": cannot write attribute " + name);
}

std::string object::string_attribute(const std::string& name) const {
    handle a = open_attribute(*this, name, H5T_STRING, "a string");
    handle stored(check(H5Aget_type(a.get()), "H5Aget_type"), H5Tclose);
    if (H5Tis_variable_str(stored.get()) > 0) {
        handle mem(check(H5Tcopy(H5T_C_S1), "H5Tcopy"), H5Tclose);
        check_status(H5Tset_size(mem.get(), H5T_VARIABLE), "H5Tset_size");
        char* text = nullptr;
        if (H5Aread(a.get(), mem.get(), &text) < 0) throw runtime_failure(m_where + ": cannot read attribute " + name);
        std::string out = text ? text : "";
        H5free_memory(text);
        return out;
    }
    std::size_t size = H5Tget_size(stored.get());
    handle mem = string_type(size + 1);
    std::string buffer(size + 1, '\0');
    if (H5Aread(a.get(), mem.get(), buffer.data()) < 0) throw runtime_failure(m_where + ": cannot read attribute " + name);
    return std::string(buffer.c_str());
}

std::int64_t object::int64_attribute(const std::string& name) const {
    handle a = open_attribute(*this, name, H5T_INTEGER, "an integer");
    std::int64_t value = 0;
    if (H5Aread(a.get(), H5T_NATIVE_INT64, &value) < 0) throw runtime_failure(m_where + ": cannot read attribute " + name);
    return value;
}

double object::double_attribute(const std::string& name) const {
    handle a = open_attribute(*this, name, H5T_FLOAT, "a floating-point number");
    double value = 0;
    if (H5Aread(a.get(), H5T_NATIVE_DOUBLE, &value) < 0) throw runtime_failure(m_where + ": cannot read attribute " + name);
    return value;
}

bool object::exists(const std::string& name) const {
    // Check each prefix: H5Lexists fails rather than returning false when an intermediate group is missing.
    std::size_t pos = 0;
    while (true) {
        std::size_t slash = name.find('/', pos + 1);
        std::string prefix = name.substr(0, slash);
        if (!prefix.empty() && prefix != "/") {
            htri_t rc = H5Lexists(id(), prefix.c_str(), H5P_DEFAULT);
            if (rc < 0) throw runtime_failure(m_where + ": cannot look up " + name);
            if (rc == 0) return false;
        }
        if (slash == std::string::npos) return true;
        pos = slash;
    }
}

std::vector<std::string> object::children() const {
    std::vector<std::string> names;
    auto visit = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    if (H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, visit, &names) < 0)
        throw runtime_failure(m_where + ": cannot list members");
    return names;
}

group group::create(const object& parent, const std::string& name) {
    hid_t g = H5Gcreate2(parent.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) throw runtime_failure(parent.file_name() + ":" + name + ": cannot create group");
    return group(handle(g, H5Gclose), parent.file_name(), parent.file_name() + ":" + name, parent.comm());
}

std::string object::path_of(const std::string& name) const {
    if (!name.empty() && name.front() == '/') return name;
    std::string base(256, '\0');
    ssize_t n = H5Iget_name(id(), base.data(), base.size());
    base.resize(n > 0 ? std::min<std::size_t>(static_cast<std::size_t>(n), base.size() - 1) : 0);
    if (base.empty() || base.back() != '/') base += '/';
    return base + name;
}

group group::open(const object& parent, const std::string& name) {
    if (!parent.exists(name)) throw input_error(parent.file_name() + ": group " + parent.path_of(name) + " is missing");
    hid_t g = H5Gopen2(parent.id(), name.c_str(), H5P_DEFAULT);
    if (g < 0) throw input_error(parent.file_name() + ":" + name + ": cannot open group");
    return group(handle(g, H5Gclose), parent.file_name(), parent.file_name() + ":" + name, parent.comm());
}

file::file(handle h, std::filesystem::path path, MPI_Comm comm, bool created, bool writable)
    : object(std::move(h), output_name(path).string(), output_name(path).string() + ":/", comm), m_path(std::move(path)),
      m_created(created),
      m_writable(writable) {}

file file::create(const std::filesystem::path& path, MPI_Comm comm) {
    silence_hdf5_errors();
    bool parallel = use_mpi(comm);
    handle fapl = file_access(comm, parallel);
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
    if (f < 0) throw runtime_failure(path.string() + ": cannot create HDF5 file");
    return file(handle(f, H5Fclose), path, parallel ? comm : MPI_COMM_NULL, true, true);
}

file file::open(const std::filesystem::path& path, MPI_Comm comm, bool writable) {
    silence_hdf5_errors();
    require_readable_file(path, "HDF5 file");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw input_error(path.string() + ": not an HDF5 file");
    bool parallel = use_mpi(comm);
    handle fapl = file_access(comm, parallel);
    hid_t f = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get());
    if (f < 0) throw input_error(path.string() + ": cannot open HDF5 file");
    return file(handle(f, H5Fclose), path, parallel ? comm : MPI_COMM_NULL, false, writable);
}

void file::flush() const { check_status(H5Fflush(id(), H5F_SCOPE_GLOBAL), m_path.string() + ": H5Fflush"); }

namespace {

// Whether `ok` holds on every rank of `comm` (MPI_COMM_NULL: a serial file, this process alone).
bool on_every_rank(bool ok, MPI_Comm comm) {
    int all = ok;
    if (comm != MPI_COMM_NULL) mpi::check(MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce");
    return all;
}

}  // namespace

// Every step is agreed over the file's ranks before the next: a parallel H5Fclose (or flush) that some
// ranks enter while others leave with an error waits forever (HDF5 1.10). A full disk is looked for before
// closing a new parallel file, not found by the close.
void file::close() {
    hid_t f = m_handle.release();
    if (f < 0) return;
    // (Not for a file opened to update in place, such as qc's masks: left open it would be damaged.)
    if (parallel() && m_created && !on_every_rank(free_space(m_path.parent_path()) >= (1u << 20), comm())) {
        skip_library_shutdown();  // the file stays open: closing it could hang
        throw runtime_failure(file_name() + ": the disk is full (less than 1 MiB free); the HDF5 file is incomplete");
    }
    // H5Fclose only counts down while groups or datasets are still open, and the flush that finally happens
    // when the last of them closes reports no error: write errors (a full disk) are found by flushing here.
    if (m_writable && !on_every_rank(H5Fflush(f, H5F_SCOPE_LOCAL) >= 0, comm())) {
        skip_library_shutdown();
        throw runtime_failure(file_name() + ": write failed (disk full?); the HDF5 file is incomplete");
    }
    if (H5Fclose(f) < 0) {
        skip_library_shutdown();  // the id stays registered, half closed
        throw runtime_failure(file_name() + ": error while closing the HDF5 file (disk full?)");
    }
}

}  // namespace precis::h5
