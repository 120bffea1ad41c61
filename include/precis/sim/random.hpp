#pragma once
/// Deterministic random numbers for the simulator: a xoshiro256** generator seeded through splitmix64,
/// with our own uniform, normal, gamma, beta, Poisson and geometric samplers, so that the same seed
/// gives the same numbers on every platform and standard library (std:: distributions do not).
#include <cstdint>
#include <string_view>

namespace precis::sim {

/// One splitmix64 step: advances `state` and returns the mixed value.
std::uint64_t splitmix64(std::uint64_t& state);

/// A seed for an independent stream: mixes the user seed, a stream name (e.g. "genome") and an index
/// (e.g. a block or contig number). Streams with different names or indices are unrelated.
std::uint64_t stream_seed(std::uint64_t seed, std::string_view stream, std::uint64_t index = 0);

/// xoshiro256** with distribution helpers. Cheap to construct, so each block of work gets its own
/// generator from stream_seed(); not thread-safe (one per task).
class rng {
public:
    explicit rng(std::uint64_t seed);
    rng(std::uint64_t seed, std::string_view stream, std::uint64_t index = 0)
        : rng(stream_seed(seed, stream, index)) {}

    std::uint64_t next();
    /// Uniform in [0, 1) with 53 random bits.
    double uniform();
    /// Uniform in (0, 1): never 0, for logarithms.
    double uniform_open();
    /// Uniform integer in [0, n); n > 0. Unbiased (rejection of the 2^64 mod n lowest values).
    std::uint64_t below(std::uint64_t n);
    /// Uniform integer in [lo, hi] (inclusive).
    std::int64_t range(std::int64_t lo, std::int64_t hi);
    bool bernoulli(double p) { return uniform() < p; }
    /// Standard normal (Marsaglia polar method).
    double normal();
    double normal(double mean, double sd) { return mean + sd * normal(); }
    /// Exponential with the given mean.
    double exponential(double mean);
    /// Gamma(shape, scale 1) by Marsaglia-Tsang; shape > 0 (boosted for shape < 1).
    double gamma(double shape);
    /// Beta(a, b) from two gammas; a, b > 0.
    double beta(double a, double b);
    /// Poisson(mean): inversion for small means, rounded normal approximation above 60.
    std::int64_t poisson(double mean);
    /// Number of failures before the first success, success probability p in (0, 1].
    std::int64_t geometric(double p);

private:
    std::uint64_t m_s[4];
    double m_spare = 0.0;
    bool m_has_spare = false;
};

/// Standard normal quantile (Acklam's rational approximation refined by one Halley step), p in (0, 1).
double normal_quantile(double p);
/// Standard normal cumulative distribution function.
double normal_cdf(double x);

}  // namespace precis::sim
