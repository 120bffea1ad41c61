#include "precis/core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace precis {

progress::progress(std::string label, std::uint64_t total, std::string unit, bool enabled)
    : m_label(std::move(label)),
      m_total(total),
      m_unit(std::move(unit)),
      m_active(enabled && ::isatty(STDERR_FILENO) == 1),
      m_start(std::chrono::steady_clock::now()) {}

progress::~progress() {
    if (m_active && !m_finished) std::fputs("\n", stderr);
}

void progress::add(std::uint64_t n) {
    std::uint64_t done = m_done.fetch_add(n, std::memory_order_relaxed) + n;
    (void)done;
    if (!m_active) return;
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_start)
                      .count();
    auto next = m_next_draw_ms.load(std::memory_order_relaxed);
    if (now_ms < next) return;
    if (!m_next_draw_ms.compare_exchange_strong(next, now_ms + 250)) return;
    draw(false);
}

void progress::finish() {
    if (m_finished) return;
    if (m_active) draw(true);
    m_finished = true;
}

void progress::draw(bool final) {
    std::lock_guard lock(m_draw);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    std::uint64_t done = m_done.load(std::memory_order_relaxed);
    double rate = seconds > 0 ? done / seconds : 0.0;
    if (m_total > 0)
        std::fprintf(stderr, "\r%s: %llu/%llu %s (%.0f%%) %.0f/s   ", m_label.c_str(),
                     static_cast<unsigned long long>(done), static_cast<unsigned long long>(m_total),
                     m_unit.c_str(), 100.0 * done / m_total, rate);
    else
        std::fprintf(stderr, "\r%s: %llu %s %.0f/s   ", m_label.c_str(), static_cast<unsigned long long>(done),
                     m_unit.c_str(), rate);
    if (final) std::fputs("\n", stderr);
    std::fflush(stderr);
}

}  // namespace precis
