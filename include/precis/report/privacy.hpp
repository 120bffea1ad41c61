#pragma once
/// Pseudonyms and owner-only files for patient reports.
#include <filesystem>
#include <string>
#include <string_view>

namespace precis::report {

/// Reads the site key. Input error naming the file when it is missing, empty, or readable, writable or
/// executable by group or others (its mode is named: "chmod 600" fixes it).
std::string read_site_key(const std::filesystem::path& file);

/// The pseudonym of `sample_id`: "PX-" and the first 16 hex digits of HMAC-SHA256(key, sample_id).
std::string pseudonym(std::string_view key, std::string_view sample_id);

/// A file-name-safe stem for a sample shown under its own ID (no key): the ID with characters outside
/// [A-Za-z0-9._-] replaced by '_', plus "-" and 8 hex digits of its SHA-256 when anything was replaced.
std::string file_stem(std::string_view sample_id);

/// Creates `dir` (and parents) when missing and sets it to 0700.
void make_private_dir(const std::filesystem::path& dir);

/// Writes `text` to `path` atomically (DIR/.precis-partial.NAME, then rename) with mode 0600.
void write_private_file(const std::filesystem::path& path, std::string_view text);

}  // namespace precis::report
