#pragma once
/// Ownership of HDF5 identifiers and checking of HDF5 return codes.
#include <hdf5.h>

#include <string>

namespace precis::h5 {

/// Throws runtime_failure("WHAT failed") when an HDF5 call returned a negative id or status.
/// Returns `id` otherwise, so calls can be wrapped inline: `hid_t s = check(H5Screate(...), "...")`.
hid_t check(hid_t id, const std::string& what);
void check_status(herr_t status, const std::string& what);

/// Turns off HDF5's automatic printing of its error stack, once per process; precis reports one message
/// per fault instead. Called by every file constructor; thread-safe.
void silence_hdf5_errors();

/// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype, property list or attribute) and
/// closes it with the matching H5*close on destruction. Move-only. Not thread-safe (HDF5 is not).
class handle {
public:
    using closer = herr_t (*)(hid_t);

    handle() = default;
    /// Takes ownership of `id` (must be valid: wrap the creating call in check()).
    handle(hid_t id, closer close) : m_id(id), m_close(close) {}
    ~handle() { reset(); }
    handle(handle&& other) noexcept : m_id(other.m_id), m_close(other.m_close) { other.m_id = H5I_INVALID_HID; }
    handle& operator=(handle&& other) noexcept;
    handle(const handle&) = delete;
    handle& operator=(const handle&) = delete;

    hid_t get() const { return m_id; }
    explicit operator bool() const { return m_id >= 0; }
    /// Closes now (errors ignored: used from destructors); only forgets the id once library_shutdown_skipped().
    void reset() noexcept;
    /// Gives up ownership without closing: used when unwinding after a failure on a parallel file, where
    /// closing would be a collective call that the other ranks never make.
    hid_t release() noexcept;

private:
    hid_t m_id = H5I_INVALID_HID;
    closer m_close = nullptr;
};

/// A new property list of `cls` (H5P_FILE_ACCESS, H5P_DATASET_CREATE, ...).
handle make_plist(hid_t cls);

}  // namespace precis::h5
