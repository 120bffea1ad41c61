#pragma once
/// SHA-256 and HMAC-SHA256 (OpenSSL libcrypto), as lower-case hex. Used for input checksums in
/// reports, the workflow manifest and provenance ledger, and patient pseudonyms.
#include <filesystem>
#include <string>
#include <string_view>

namespace precis {

/// SHA-256 of a byte string, as 64 hex digits.
std::string sha256_hex(std::string_view data);

/// SHA-256 of a file's contents, streamed; a missing or unreadable file is an input_error naming it.
std::string sha256_file(const std::filesystem::path& file);

/// HMAC-SHA256 of message under key, as 64 hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace precis
