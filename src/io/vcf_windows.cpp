#include "precis/io/vcf_windows.hpp"

#include <algorithm>
#include <cmath>

#include "precis/core/error.hpp"
#include "precis/io/vcf.hpp"

namespace precis::io {

namespace {

// Last POS + 1 bound of contig tid's records (for headers without contig lengths), by doubling
// region probes on the index.
std::int64_t probe_span(vcf_reader& reader, int tid, bcf1_t* rec) {
    std::int64_t hi = 1 << 20;
    while (hi < (std::int64_t{1} << 40)) {
        reader.set_region(tid, hi, HTS_POS_MAX);
        if (!reader.next(rec, BCF_UN_STR)) return hi;
        hi *= 2;
    }
    return hi;
}

}  // namespace

std::vector<vcf_window> plan_vcf_windows(const std::filesystem::path& vcf, int count, int ranks,
                                         const std::string& purpose) {
    vcf_reader reader(vcf);
    if (bcf_hdr_set_samples(reader.header(), nullptr, 0) != 0) throw runtime_failure(vcf.string() + ": bcf_hdr_set_samples");
    if (!reader.load_index()) {
        if (ranks <= 1) return {vcf_window{}};
        throw input_error(vcf.string() + ": no index (.tbi or .csi): " + purpose + " with " + std::to_string(ranks) +
                          " MPI ranks needs one; run `bcftools index " + vcf.string() + "` (or use one rank)");
    }
    auto counts = reader.indexed_record_counts();
    auto contigs = reader.contigs();
    double total = 0;
    for (auto c : counts) total += static_cast<double>(c);
    auto rec = make_bcf_record();
    std::vector<vcf_window> out;
    for (std::size_t tid = 0; tid < counts.size(); ++tid) {
        std::int64_t k = 1;
        std::int64_t span = 0;
        if (counts[tid] > 0 && total > 0) {
            k = std::max<std::int64_t>(1, std::llround(count * static_cast<double>(counts[tid]) / total));
            span = contigs[tid].length > 0 ? contigs[tid].length : probe_span(reader, static_cast<int>(tid), rec.get());
            k = std::min(k, span);
        }
        for (std::int64_t j = 0; j < k; ++j)
            out.push_back({static_cast<int>(tid), j * span / k, j + 1 == k ? HTS_POS_MAX : (j + 1) * span / k,
                           static_cast<double>(counts[tid]) / static_cast<double>(k)});
    }
    return out;
}

}  // namespace precis::io
