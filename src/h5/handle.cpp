#include "precis/h5/handle.hpp"

#include <mutex>

#include "precis/core/error.hpp"

namespace precis::h5 {

hid_t check(hid_t id, const std::string& what) {
    if (id < 0) throw runtime_failure("HDF5: " + what + " failed");
    return id;
}

void check_status(herr_t status, const std::string& what) {
    if (status < 0) throw runtime_failure("HDF5: " + what + " failed");
}

void silence_hdf5_errors() {
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

handle& handle::operator=(handle&& other) noexcept {
    if (this != &other) {
        reset();
        m_id = other.m_id;
        m_close = other.m_close;
        other.m_id = H5I_INVALID_HID;
    }
    return *this;
}

void handle::reset() noexcept {
    // After a failed write or close HDF5 may hang or crash in any further call (a collective clean-up that
    // some ranks never reach, a half-closed file): the process ends without them.
    if (m_id >= 0 && m_close && !library_shutdown_skipped()) m_close(m_id);
    m_id = H5I_INVALID_HID;
}

hid_t handle::release() noexcept {
    hid_t id = m_id;
    m_id = H5I_INVALID_HID;
    return id;
}

handle make_plist(hid_t cls) { return handle(check(H5Pcreate(cls), "H5Pcreate"), H5Pclose); }

}  // namespace precis::h5
