#pragma once
/// Timestamps for provenance attributes.
#include <string>

namespace precis {

/// The current UTC time as ISO 8601, e.g. "2026-11-22T07:15:00Z". Thread-safe.
std::string utc_timestamp();

}  // namespace precis
