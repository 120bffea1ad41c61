#pragma once
/// HDF5 files, groups and attributes, serial or over MPI-IO.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "precis/h5/handle.hpp"

namespace precis::h5 {

/// An open HDF5 object (file, group or dataset) with the names used in error messages.
/// Attribute operations on a parallel file are collective: every rank calls them with the same values.
class object {
public:
    hid_t id() const { return m_handle.get(); }
    /// "FILE:/path/of/object" for messages.
    const std::string& where() const { return m_where; }
    const std::string& file_name() const { return m_file; }
    /// Whether the file was opened with MPI-IO on more than one rank (transfers may then be collective).
    bool parallel() const { return m_comm != MPI_COMM_NULL; }
    /// The communicator of a parallel file (the caller's, not HDF5's copy); MPI_COMM_NULL when serial.
    MPI_Comm comm() const { return m_comm; }

    bool has_attribute(const std::string& name) const;
    /// Creates or overwrites a scalar attribute. Strings are stored fixed-length, NUL-terminated, ASCII.
    void set_attribute(const std::string& name, const std::string& value) const;
    void set_attribute(const std::string& name, const char* value) const { set_attribute(name, std::string(value)); }
    void set_attribute(const std::string& name, std::int64_t value) const;
    void set_attribute(const std::string& name, double value) const;
    /// Reads a scalar attribute; throws input_error naming the object when it is missing or of another class.
    std::string string_attribute(const std::string& name) const;
    std::int64_t int64_attribute(const std::string& name) const;
    double double_attribute(const std::string& name) const;

    /// Whether a link `name` (relative or absolute path) exists below this object.
    bool exists(const std::string& name) const;
    /// The absolute path in the file of link `name` (relative or absolute) below this object, for messages.
    std::string path_of(const std::string& name) const;
    /// Names of the links directly below this group or file, in name order.
    std::vector<std::string> children() const;

    object(object&&) = default;
    object& operator=(object&&) = default;
    /// Destroyed by an exception on a parallel file, it closes nothing and no further HDF5 call is made
    /// (skip_library_shutdown): the other ranks may not be here, and a collective close would wait for them.
    ~object();

protected:
    object() = default;
    object(handle h, std::string file, std::string where, MPI_Comm comm)
        : m_handle(std::move(h)), m_file(std::move(file)), m_where(std::move(where)), m_comm(comm) {}

    handle m_handle;
    std::string m_file;
    std::string m_where;
    MPI_Comm m_comm = MPI_COMM_NULL;
};

/// A group ("directory") inside a file.
class group : public object {
public:
    /// Creates `name` below `parent` (collective on a parallel file).
    static group create(const object& parent, const std::string& name);
    /// Opens `name` below `parent`; throws input_error naming the file and group when absent.
    static group open(const object& parent, const std::string& name);

private:
    using object::object;
};

/// An open HDF5 file. With an MPI communicator of more than one rank the file uses MPI-IO with
/// collective metadata operations, and every call that changes structure (create, attributes, close)
/// is collective; with MPI_COMM_NULL or a one-rank communicator it is an ordinary serial file.
/// Closing happens in the destructor (collective on a parallel file). Not thread-safe.
class file : public object {
public:
    /// Creates (truncates) `path`. Throws runtime_failure when it cannot be created.
    static file create(const std::filesystem::path& path, MPI_Comm comm = MPI_COMM_NULL);
    /// Opens an existing file. Throws input_error "PATH: no such file" / "PATH: not an HDF5 file".
    static file open(const std::filesystem::path& path, MPI_Comm comm = MPI_COMM_NULL, bool writable = false);

    const std::filesystem::path& path() const { return m_path; }
    /// Flushes buffers to disk (collective on a parallel file).
    void flush() const;
    /// Closes explicitly so that errors on close are reported (the destructor ignores them). A writable
    /// file is flushed first, and a failed flush is reported with the file left open. A new parallel file
    /// on a full disk (under 1 MiB free) is reported and left open too: HDF5 1.10's collective close hangs
    /// when a write fails on some ranks.
    void close();

private:
    file(handle h, std::filesystem::path path, MPI_Comm comm, bool created, bool writable);
    std::filesystem::path m_path;
    bool m_created = false;
    bool m_writable = false;
};

}  // namespace precis::h5
