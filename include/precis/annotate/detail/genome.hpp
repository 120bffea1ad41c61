#pragma once
// Reference sequences for annotate: whole contigs, upper case, read sequentially.
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include "precis/annotate/known_variants.hpp"

namespace precis::annotate::detail {

/// Every contig name of the FASTA at `path` into `names` (file order), and the sequences of `wanted`
/// (all when null), upper case. The .fai is used (built when missing) for the names and lengths; the
/// bases are read in one sequential pass through HTSlib's kseq parser over BGZF (plain, gzip or bgzip),
/// which is several times faster than faidx's per-base reads for whole contigs. Throws input_error
/// when a sequence's length disagrees with the index.
genome_map load_genome(const std::filesystem::path& path, std::vector<std::string>& names,
                       const std::unordered_set<std::string>* wanted);

}  // namespace precis::annotate::detail
