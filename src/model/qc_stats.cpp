// precis qc: the statistics and the filters (one pass over the genotype matrix, two when samples are removed
// for missingness; samples sharded).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "precis/core/error.hpp"
#include "precis/core/progress.hpp"
#include "precis/model/genotype_source.hpp"
#include "precis/model/qc.hpp"

namespace precis::model {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

template <class T> void allreduce_sum(std::vector<T>& v, const mpi::communicator& comm) {
    if (comm.size() == 1 || v.empty()) return;
    MPI_Datatype type = std::is_same_v<T, double> ? MPI_DOUBLE : MPI_INT64_T;
    mpi::check(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), type, MPI_SUM, comm.get()),
               "MPI_Allreduce (qc counts)");
}

// Counts of genotypes 0, 1 and 2 in `row` among the samples whose `keep` byte is 1, and of missing calls
// (negative) among all: 16 samples per SSE2 operation, in 8-bit lanes emptied every 255 steps.
std::array<std::int32_t, 4> count_row(const std::int8_t* row, const std::uint8_t* keep, std::int64_t w) {
    using i8x16 = std::int8_t __attribute__((vector_size(16)));
    std::array<std::int32_t, 4> out{};
    std::int64_t j = 0;
    while (j + 16 <= w) {
        i8x16 a0{}, a1{}, a2{}, am{};
        for (int step = 0; step < 255 && j + 16 <= w; ++step, j += 16) {
            i8x16 g, k;
            std::memcpy(&g, row + j, 16);
            std::memcpy(&k, keep + j, 16);
            const i8x16 kept = -k;  // 0 or all ones
            a0 -= (g == 0) & kept;   // a comparison gives 0 or -1 per lane
            a1 -= (g == 1) & kept;
            a2 -= (g == 2) & kept;
            am -= g < 0;
        }
        for (int l = 0; l < 16; ++l) {
            out[0] += static_cast<std::uint8_t>(a0[l]), out[1] += static_cast<std::uint8_t>(a1[l]);
            out[2] += static_cast<std::uint8_t>(a2[l]), out[3] += static_cast<std::uint8_t>(am[l]);
        }
    }
    for (; j < w; ++j) {
        out[0] += (row[j] == 0) & keep[j], out[1] += (row[j] == 1) & keep[j], out[2] += (row[j] == 2) & keep[j];
        out[3] += row[j] < 0;
    }
    return out;
}

void check_fraction(double value, const char* option) {
    if (!(value >= 0 && value <= 1))
        throw input_error(std::string(option) + " must be a fraction in [0, 1], got " + std::to_string(value));
}

}  // namespace

void validate(const qc_options& o) {
    check_fraction(o.min_call_rate, "--min-call-rate");
    check_fraction(o.max_sample_missing, "--max-sample-missing");
    check_fraction(o.min_hwe_p, "--min-hwe-p");
    if (!(o.min_maf >= 0 && o.min_maf <= 0.5))
        throw input_error("--min-maf must be in [0, 0.5], got " + std::to_string(o.min_maf));
    if (!(o.het_sd >= 0) || !std::isfinite(o.het_sd))
        throw input_error("--het-sd must be a finite number >= 0 (0 disables), got " + std::to_string(o.het_sd));
    if (o.block_rows < 1) throw input_error("qc block rows must be positive");
}

std::int64_t qc_result::removed(qc_filter f, bool samples) const {
    const auto& v = samples ? sample_filter : variant_filter;
    return std::count(v.begin(), v.end(), static_cast<std::uint8_t>(f));
}

double hwe_exact_p(std::int64_t het, std::int64_t hom_ref, std::int64_t hom_alt) {
    if (het < 0 || hom_ref < 0 || hom_alt < 0) throw runtime_failure("hwe_exact_p: negative genotype count");
    const std::int64_t n = het + hom_ref + hom_alt;
    if (n == 0) return 1.0;
    const std::int64_t hom_rare = std::min(hom_ref, hom_alt);
    const std::int64_t rare = 2 * hom_rare + het;  // copies of the rarer allele
    // Probabilities of the het counts of `rare`'s parity, relative to the most likely one (1.0). Both walks
    // stop where the terms underflow to 0: every term further out is 0 too and adds nothing, so only
    // [lo, hi] is computed (most of the range for a common variant in a large cohort).
    thread_local std::vector<double> prob;
    prob.resize(static_cast<std::size_t>(rare + 1));
    std::int64_t mid = rare * (2 * n - rare) / (2 * n);
    if ((mid & 1) != (rare & 1)) ++mid;
    prob[static_cast<std::size_t>(mid)] = 1.0;
    double total = 1.0;
    std::int64_t h = mid, r = (rare - mid) / 2, c = n - mid - r;
    for (; h > 1; h -= 2, ++r, ++c) {
        double p = prob[static_cast<std::size_t>(h)] * static_cast<double>(h) * static_cast<double>(h - 1) /
                   (4.0 * static_cast<double>(r + 1) * static_cast<double>(c + 1));
        if (p == 0) break;
        prob[static_cast<std::size_t>(h - 2)] = p;
        total += p;
    }
    const std::int64_t lo = h;
    h = mid, r = (rare - mid) / 2, c = n - mid - r;
    for (; h <= rare - 2; h += 2, --r, --c) {
        double p = prob[static_cast<std::size_t>(h)] * 4.0 * static_cast<double>(r) * static_cast<double>(c) /
                   (static_cast<double>(h + 2) * static_cast<double>(h + 1));
        if (p == 0) break;
        prob[static_cast<std::size_t>(h + 2)] = p;
        total += p;
    }
    const std::int64_t hi = h;
    const bool computed = het >= lo && het <= hi && (het & 1) == (rare & 1);
    const double observed = computed ? prob[static_cast<std::size_t>(het)] * (1 + 1e-8) : 0.0;  // ties count as "as likely"
    double tail = 0;
    for (std::int64_t k = lo; k <= hi; k += 2)
        if (prob[static_cast<std::size_t>(k)] <= observed) tail += prob[static_cast<std::size_t>(k)];
    return std::min(1.0, tail / total);
}

qc_result run_qc(const h5::cohort_reader& cohort, const qc_options& options, const mpi::communicator& comm,
                 const logger& log) {
    validate(options);
    const std::int64_t nv = cohort.n_variants(), ns = cohort.n_samples();
    qc_result res;
    const std::int64_t step = options.block_rows;
    std::vector<std::int8_t> block;

    // Samples are sharded over the ranks; every rank reads every variant row of its shard. Sample
    // missingness (over every variant) decides the kept samples, the variant statistics are counted on the
    // kept samples (allreduced per block) and decide the kept variants, and heterozygosity is summed over
    // the kept variants. Pass 1 counts missingness and, assuming every sample is kept, everything else;
    // only when --max-sample-missing removes a sample does pass 2 read the file again for the rest.
    cohort_masks all{std::vector<std::uint8_t>(static_cast<std::size_t>(nv), 1),
                     std::vector<std::uint8_t>(static_cast<std::size_t>(ns), 1)};
    genotype_source source(cohort, all, comm);
    const std::int64_t w = source.shard().size();
    const auto W = static_cast<std::size_t>(w);
    std::vector<std::uint8_t> keep(W, 1);  // the shard's kept samples
    std::int32_t kept_here = static_cast<std::int32_t>(w);
    std::int64_t kept_samples = ns;
    // Per-sample sums over the shard: genotypes 1 among the kept variants, and the missing genotypes among
    // them with the sum of their expected homozygosity 1 - 2pq (missing calls are few: per row only when
    // the row has any). called = kept variants - missing; expected_hom = sum(1 - 2pq) - its missing part.
    std::vector<std::int64_t> l_missing(W, 0), l_hets(W, 0), l_kept_missing(W, 0);
    std::vector<double> l_missing_e(W, 0.0);
    double kept_e = 0;  // sum of 1 - 2pq over the kept variants (the same on every rank)
    // Adds the rows' `op(row[j])` to 64-bit `sums` in 8-bit lanes flushed every 255 rows: 16 samples per SSE2
    // operation instead of 2. Columns go 4096 at a time (the partitioner may hand out wider ranges): long
    // contiguous runs of each row, which the prefetcher follows (256 columns ran at memory latency).
    auto count_columns = [&](const std::vector<const std::int8_t*>& rows, std::vector<std::int64_t>& sums, auto op) {
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, w, 4096), [&](const auto& cols) {
            std::array<std::uint8_t, 4096> lane;
            for (std::int64_t c0 = cols.begin(); c0 < cols.end(); c0 += static_cast<std::int64_t>(lane.size())) {
                const std::int64_t nc = std::min<std::int64_t>(static_cast<std::int64_t>(lane.size()), cols.end() - c0);
                for (std::size_t r0 = 0; r0 < rows.size(); r0 += 255) {
                    lane.fill(0);
                    const std::size_t r1 = std::min(rows.size(), r0 + 255);
                    for (std::size_t r = r0; r < r1; ++r) {
                        const std::int8_t* row = rows[r] + c0;
                        for (std::int64_t j = 0; j < nc; ++j) lane[static_cast<std::size_t>(j)] += op(row[j]);
                    }
                    for (std::int64_t j = 0; j < nc; ++j) sums[static_cast<std::size_t>(c0 + j)] += lane[static_cast<std::size_t>(j)];
                }
            }
        });
    };
    res.variant_counts.assign(static_cast<std::size_t>(nv * 4), 0);
    res.call_rate.assign(static_cast<std::size_t>(nv), nan);
    res.alt_freq.assign(static_cast<std::size_t>(nv), nan);
    res.hwe_p.assign(static_cast<std::size_t>(nv), nan);
    res.variant_filter.assign(static_cast<std::size_t>(nv), static_cast<std::uint8_t>(qc_filter::kept));
    // One block of variant rows: counts on the kept samples, filters, heterozygosity sums.
    auto variant_block = [&](std::int64_t first, std::int64_t n) {
        const std::int8_t* b = block.data();
        std::vector<std::int64_t> counts(static_cast<std::size_t>(n * 4), 0);
        std::vector<std::uint8_t> row_missing(static_cast<std::size_t>(n));  // any missing call in the shard's row
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 16), [&](const auto& rows) {
            for (std::int64_t i = rows.begin(); i < rows.end(); ++i) {
                const auto c = count_row(b + i * w, keep.data(), w);
                std::int64_t* out = counts.data() + i * 4;
                out[0] = c[0], out[1] = c[1], out[2] = c[2], out[3] = kept_here - c[0] - c[1] - c[2];
                row_missing[static_cast<std::size_t>(i)] = c[3] > 0;
            }
        });
        allreduce_sum(counts, comm);
        std::vector<double> pq2(static_cast<std::size_t>(n), -1.0);  // 2p(1-p) of kept variants, -1 otherwise
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 16), [&](const auto& rows) {
            for (std::int64_t i = rows.begin(); i < rows.end(); ++i) {
                const auto v = static_cast<std::size_t>(first + i);
                const std::int64_t* c = counts.data() + i * 4;
                std::copy(c, c + 4, res.variant_counts.begin() + static_cast<std::ptrdiff_t>(v * 4));
                const std::int64_t n_called = c[0] + c[1] + c[2];
                res.call_rate[v] = static_cast<double>(n_called) / static_cast<double>(kept_samples);
                if (n_called > 0) {
                    res.alt_freq[v] = static_cast<double>(c[1] + 2 * c[2]) / static_cast<double>(2 * n_called);
                    res.hwe_p[v] = hwe_exact_p(c[1], c[0], c[2]);
                }
                qc_filter f = qc_filter::kept;
                const double p = res.alt_freq[v];
                if (!(res.call_rate[v] >= options.min_call_rate)) f = qc_filter::call_rate;
                else if (!(std::min(p, 1 - p) >= options.min_maf)) f = qc_filter::maf;
                else if (!(res.hwe_p[v] >= options.min_hwe_p)) f = qc_filter::hwe;
                res.variant_filter[v] = static_cast<std::uint8_t>(f);
                if (f == qc_filter::kept) pq2[static_cast<std::size_t>(i)] = 2 * p * (1 - p);
            }
        });
        std::vector<const std::int8_t*> kept_rows;
        std::vector<std::pair<const std::int8_t*, double>> missing_rows;  // kept rows with a missing call, 1 - 2pq
        for (std::int64_t i = 0; i < n; ++i) {
            const double h = pq2[static_cast<std::size_t>(i)];
            if (h < 0) continue;
            kept_e += 1 - h;
            kept_rows.push_back(b + i * w);
            if (row_missing[static_cast<std::size_t>(i)]) missing_rows.emplace_back(b + i * w, 1 - h);
        }
        count_columns(kept_rows, l_hets, [](std::int8_t g) { return static_cast<std::uint8_t>(g == 1); });
        // The missing calls of those rows, found 8 bytes at a time (a sign bit set).
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, w, 4096), [&](const auto& cols) {
            for (const auto& [row, e] : missing_rows)
                for (std::int64_t j = cols.begin(); j < cols.end(); j += 8) {
                    const std::int64_t end = std::min(cols.end(), j + 8);
                    std::uint64_t word = 0;
                    std::memcpy(&word, row + j, static_cast<std::size_t>(end - j));
                    if (!(word & 0x8080808080808080ULL)) continue;
                    for (std::int64_t k = j; k < end; ++k)
                        if (row[k] < 0) ++l_kept_missing[static_cast<std::size_t>(k)], l_missing_e[static_cast<std::size_t>(k)] += e;
                }
        });
    };
    auto read_block = [&](std::int64_t first, std::int64_t n) {
        source.read(first, n, block);
        std::vector<const std::int8_t*> rows(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) rows[static_cast<std::size_t>(i)] = block.data() + i * w;
        return rows;
    };
    {
        progress bar("qc pass 1", static_cast<std::uint64_t>(nv), "variants", options.show_progress);
        for (std::int64_t first = 0; first < nv; first += step) {
            const std::int64_t n = std::min(step, nv - first);
            count_columns(read_block(first, n), l_missing, [](std::int8_t g) { return static_cast<std::uint8_t>(g < 0); });
            variant_block(first, n);
            bar.add(static_cast<std::uint64_t>(n));
        }
        bar.finish();
        res.sample_missing.assign(static_cast<std::size_t>(ns), 0);
        std::copy(l_missing.begin(), l_missing.end(), res.sample_missing.begin() + source.shard().begin);
        allreduce_sum(res.sample_missing, comm);
    }
    res.missing_rate.resize(static_cast<std::size_t>(ns));
    res.sample_filter.assign(static_cast<std::size_t>(ns), static_cast<std::uint8_t>(qc_filter::kept));
    cohort_masks masks = all;
    for (std::int64_t s = 0; s < ns; ++s) {
        auto i = static_cast<std::size_t>(s);
        res.missing_rate[i] = static_cast<double>(res.sample_missing[i]) / static_cast<double>(nv);
        if (res.missing_rate[i] > options.max_sample_missing) {
            res.sample_filter[i] = static_cast<std::uint8_t>(qc_filter::missingness);
            masks.samples[i] = 0;
        }
    }
    kept_samples = std::count(masks.samples.begin(), masks.samples.end(), 1);
    if (kept_samples == 0)
        throw input_error("--max-sample-missing " + std::to_string(options.max_sample_missing) + " removes every sample of " +
                          cohort.h5().file_name());
    if (kept_samples < ns) {  // pass 2: the variant statistics again, on the kept samples
        for (std::int64_t j = 0; j < w; ++j)
            keep[static_cast<std::size_t>(j)] = masks.samples[static_cast<std::size_t>(source.shard().begin + j)];
        kept_here = static_cast<std::int32_t>(std::count(keep.begin(), keep.end(), 1));
        std::fill(l_hets.begin(), l_hets.end(), 0);
        std::fill(l_kept_missing.begin(), l_kept_missing.end(), 0);
        std::fill(l_missing_e.begin(), l_missing_e.end(), 0.0);
        kept_e = 0;
        progress bar("qc pass 2 (variant statistics on the kept samples)", static_cast<std::uint64_t>(nv), "variants",
                     options.show_progress);
        for (std::int64_t first = 0; first < nv; first += step) {
            const std::int64_t n = std::min(step, nv - first);
            read_block(first, n);
            variant_block(first, n);
            bar.add(static_cast<std::uint64_t>(n));
        }
        bar.finish();
    }
    const std::int64_t kept_variants = res.removed(qc_filter::kept, false);
    std::vector<std::int64_t> called(static_cast<std::size_t>(ns), 0), hets(static_cast<std::size_t>(ns), 0);
    std::vector<double> expected_hom(static_cast<std::size_t>(ns), 0.0);
    for (std::int64_t j = 0; j < w; ++j) {
        const auto l = static_cast<std::size_t>(j);
        if (!keep[l]) continue;
        const auto s = static_cast<std::size_t>(source.shard().begin + j);
        called[s] = kept_variants - l_kept_missing[l];
        hets[s] = l_hets[l];
        expected_hom[s] = kept_e - l_missing_e[l];
    }
    allreduce_sum(called, comm);
    allreduce_sum(hets, comm);
    allreduce_sum(expected_hom, comm);
    if (kept_variants == 0)
        throw input_error("the variant thresholds (--min-call-rate, --min-maf, --min-hwe-p) remove every variant of " +
                          cohort.h5().file_name());

    // Heterozygosity: rate and inbreeding F on the kept variants; outliers among the kept samples.
    res.het_rate.assign(static_cast<std::size_t>(ns), nan);
    res.inbreeding_f.assign(static_cast<std::size_t>(ns), nan);
    double sum = 0, sum2 = 0;
    std::int64_t m = 0;
    for (std::int64_t s = 0; s < ns; ++s) {
        auto i = static_cast<std::size_t>(s);
        if (!masks.samples[i] || called[i] == 0) continue;
        const double rate = static_cast<double>(hets[i]) / static_cast<double>(called[i]);
        const double observed_hom = static_cast<double>(called[i] - hets[i]);
        res.het_rate[i] = rate;
        res.inbreeding_f[i] = (observed_hom - expected_hom[i]) / (static_cast<double>(called[i]) - expected_hom[i]);
        sum += rate;
        sum2 += rate * rate;
        ++m;
    }
    if (options.het_sd > 0 && m > 1) {
        const double mean = sum / static_cast<double>(m);
        const double sd = std::sqrt(std::max(0.0, (sum2 - static_cast<double>(m) * mean * mean) / static_cast<double>(m - 1)));
        for (std::int64_t s = 0; s < ns; ++s) {
            auto i = static_cast<std::size_t>(s);
            if (masks.samples[i] && std::isfinite(res.het_rate[i]) && std::abs(res.het_rate[i] - mean) > options.het_sd * sd)
                res.sample_filter[i] = static_cast<std::uint8_t>(qc_filter::heterozygosity);
        }
    }
    if (res.removed(qc_filter::kept, true) == 0)
        throw input_error("--het-sd " + std::to_string(options.het_sd) + " removes every sample of " + cohort.h5().file_name());
    log.info("samples: ", ns, " in, ", res.removed(qc_filter::missingness, true), " removed by --max-sample-missing ",
             options.max_sample_missing, ", ", res.removed(qc_filter::heterozygosity, true), " by --het-sd ", options.het_sd,
             ", ", res.removed(qc_filter::kept, true), " kept");
    log.info("variants: ", nv, " in, ", res.removed(qc_filter::call_rate, false), " removed by --min-call-rate ",
             options.min_call_rate, ", ", res.removed(qc_filter::maf, false), " by --min-maf ", options.min_maf, ", ",
             res.removed(qc_filter::hwe, false), " by --min-hwe-p ", options.min_hwe_p, ", ", kept_variants, " kept");
    return res;
}

}  // namespace precis::model
