#pragma once
// Mapping results -> BAM records, their coordinate order, and the output header.
#include <htslib/sam.h>

#include <memory>
#include <string>
#include <vector>

#include "precis/align/detail/fastq_batches.hpp"
#include "precis/align/index.hpp"
#include "precis/align/mapper.hpp"

namespace precis::align::detail {

struct bam_free {
    void operator()(bam1_t* b) const { bam_destroy1(b); }
};
using record = std::unique_ptr<bam1_t, bam_free>;

/// Records of one pair (r2 == nullptr and pair.read[1] unused for single-end): primaries first, then
/// supplementaries, with NM MD AS XS RG MC MQ SA as applicable.
void make_records(const pair_result& pair, bool paired, const read_record& r1, const read_record* r2,
                  const genome_index& index, const std::string& read_group_id, std::vector<record>& out);

/// Coordinate order with a total tie-break (strand, name, flag) so the output is the same whatever the
/// batching, thread or rank count. Unmapped reads without a position sort last.
bool record_less(const bam1_t* a, const bam1_t* b);

/// @HD SO:coordinate, @SQ per contig, @RG (from the user's line, \t escapes allowed), @PG with CL.
/// Returns the RG ID ("" without a read group). Throws input_error for a malformed read-group line.
sam_hdr_t* make_header(const genome_index& index, const std::string& read_group, const std::string& command_line,
                       std::string& read_group_id);

}  // namespace precis::align::detail
