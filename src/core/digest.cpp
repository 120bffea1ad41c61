#include "precis/core/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <fstream>
#include <memory>

#include "precis/core/error.hpp"

namespace precis {
namespace {

std::string to_hex(const unsigned char* bytes, unsigned length) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex(2 * length, '0');
    for (unsigned i = 0; i < length; ++i) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    return hex;
}

struct md_context_free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using md_context = std::unique_ptr<EVP_MD_CTX, md_context_free>;

md_context new_sha256() {
    md_context context(EVP_MD_CTX_new());
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
        throw runtime_failure("OpenSSL: cannot initialise SHA-256");
    return context;
}

std::string finish(EVP_MD_CTX* context) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    if (EVP_DigestFinal_ex(context, digest, &length) != 1)
        throw runtime_failure("OpenSSL: SHA-256 failed");
    return to_hex(digest, length);
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    md_context context = new_sha256();
    if (EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1)
        throw runtime_failure("OpenSSL: SHA-256 failed");
    return finish(context.get());
}

std::string sha256_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw input_error(file.string() + ": cannot open for reading");
    md_context context = new_sha256();
    std::array<char, 1 << 16> buffer;
    while (in) {
        in.read(buffer.data(), buffer.size());
        if (in.gcount() > 0 &&
            EVP_DigestUpdate(context.get(), buffer.data(), static_cast<size_t>(in.gcount())) != 1)
            throw runtime_failure("OpenSSL: SHA-256 failed");
    }
    if (in.bad()) throw runtime_failure(file.string() + ": read error");
    return finish(context.get());
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length))
        throw runtime_failure("OpenSSL: HMAC-SHA256 failed");
    return to_hex(digest, length);
}

}  // namespace precis
