#pragma once
/// Contig names as different sources spell them ("chr1" in UCSC-style files, "1" in Ensembl and ClinVar).
#include <string>

namespace precis::io {

/// The name two files share for a contig whatever their style: without a leading "chr", and the
/// mitochondrion as "MT" ("chr1" and "1" give "1"; "chrM", "M", "chrMT" and "MT" give "MT"). Other names
/// are returned unchanged; the comparison is case-sensitive.
std::string normalise_contig(const std::string& name);

}  // namespace precis::io
