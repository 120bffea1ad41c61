#pragma once
/// Progress display for long steps: one self-overwriting stderr line on rank 0.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace precis {

/// Shows "label: done/total (pct) rate/s" on stderr, redrawn at most 4 times a second.
/// Silent unless `enabled` (rank 0, not --quiet) and stderr is a terminal.
/// add() is thread-safe and cheap (one atomic add); drawing is throttled.
class progress {
public:
    progress(std::string label, std::uint64_t total, std::string unit, bool enabled);
    ~progress();
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;

    void add(std::uint64_t n);
    /// Draws the final line and moves to the next line.
    void finish();

private:
    void draw(bool final);

    std::string m_label;
    std::uint64_t m_total;
    std::string m_unit;
    bool m_active;
    bool m_finished = false;
    std::atomic<std::uint64_t> m_done{0};
    std::atomic<std::int64_t> m_next_draw_ms{0};
    std::mutex m_draw;
    std::chrono::steady_clock::time_point m_start;
};

}  // namespace precis
