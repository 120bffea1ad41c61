// precis index: minimizer hash index over a reference, written as one file that align memory-maps.
#include "precis/align/index.hpp"

#include <fcntl.h>
#include <htslib/bgzf.h>
#include <htslib/kseq.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <tbb/parallel_for.h>
#include <tbb/blocked_range.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <set>

#include "precis/align/detail/sequence.hpp"
#include "precis/core/atomic_output.hpp"
#include "precis/core/digest.hpp"
#include "precis/core/error.hpp"

namespace {
int bgzf_read_wrapper(BGZF* fp, void* buf, int len) { return static_cast<int>(bgzf_read(fp, buf, len)); }
}  // namespace
KSEQ_INIT(BGZF*, bgzf_read_wrapper)

namespace precis::align {

namespace {

// Format 2: 33-bit positions (format 1 had 31). Older files are "not a precis index": rebuild.
constexpr char magic[8] = {'P', 'R', 'C', 'S', 'I', 'D', 'X', '2'};

std::uint64_t hash64(std::uint64_t key, std::uint64_t mask) {
    // Thomas Wang's invertible integer hash restricted to `mask` bits.
    key = (~key + (key << 21)) & mask;
    key = key ^ key >> 24;
    key = ((key + (key << 3)) + (key << 8)) & mask;
    key = key ^ key >> 14;
    key = ((key + (key << 2)) + (key << 4)) & mask;
    key = key ^ key >> 28;
    key = (key + (key << 31)) & mask;
    return key;
}

std::int64_t peak_rss() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<std::int64_t>(u.ru_maxrss) * 1024;
}

template <class T>
void put(std::string& out, const T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void pad8(std::string& out) {
    while (out.size() % 8) out.push_back('\0');
}

}  // namespace

void compute_minimizers(std::string_view seq, int k, int w, std::vector<minimizer>& out) {
    const std::uint64_t mask = (1ULL << (2 * k)) - 1;
    const int shift = 2 * (k - 1);
    std::uint64_t fwd = 0, rev = 0;
    int valid = 0;
    struct item {
        std::uint64_t hash;
        std::uint32_t pos;
        bool reverse;
    };
    // Monotone queue (hashes increasing from front; front = leftmost minimum) in a ring: it never holds
    // more than w <= 64 k-mers, and a ring needs no allocation per read.
    constexpr std::size_t ring = 128;
    item buf[ring];
    std::size_t head = 0, tail = 0;  // [head, tail), indices mod ring
    struct ring_view {
        item* b;
        std::size_t& h;
        std::size_t& t;
        bool empty() const { return h == t; }
        item& front() { return b[h % ring]; }
        item& back() { return b[(t - 1) % ring]; }
        void pop_front() { ++h; }
        void pop_back() { --t; }
        void push_back(const item& x) { b[t++ % ring] = x; }
        void clear() { h = t = 0; }
    } window{buf, head, tail};
    std::uint32_t last_pos = UINT32_MAX;
    int kmers_in_run = 0;
    auto emit_front = [&] {
        if (!window.empty() && window.front().pos != last_pos) {
            out.push_back({window.front().hash, window.front().pos, window.front().reverse});
            last_pos = window.front().pos;
        }
    };
    for (std::size_t i = 0; i < seq.size(); ++i) {
        int c = detail::base_code(seq[i]);
        if (c > 3) {
            if (kmers_in_run > 0 && kmers_in_run < w) emit_front();
            valid = 0;
            kmers_in_run = 0;
            window.clear();
            continue;
        }
        fwd = ((fwd << 2) | static_cast<std::uint64_t>(c)) & mask;
        rev = (rev >> 2) | (static_cast<std::uint64_t>(3 - c) << shift);
        if (++valid < k) continue;
        if (fwd == rev) continue;  // cannot happen for odd k
        bool is_rev = rev < fwd;
        std::uint64_t h = hash64(is_rev ? rev : fwd, mask);
        auto pos = static_cast<std::uint32_t>(i + 1 - static_cast<std::size_t>(k));
        while (!window.empty() && window.back().hash > h) window.pop_back();
        window.push_back({h, pos, is_rev});
        ++kmers_in_run;
        // Drop k-mers that left the window [pos - w + 1, pos].
        while (window.front().pos + static_cast<std::uint32_t>(w) <= pos) window.pop_front();
        if (kmers_in_run >= w) emit_front();
    }
    if (kmers_in_run > 0 && kmers_in_run < w) emit_front();
}

std::filesystem::path default_index_path(const std::filesystem::path& reference) {
    return reference.string() + ".pidx";
}

index_build_stats build_index(const index_options& options) {
    auto start = std::chrono::steady_clock::now();
    if (options.k < 11 || options.k > 28 || options.k % 2 == 0)
        throw input_error("--k must be odd and between 11 and 27");
    if (options.w < 1 || options.w > 64) throw input_error("--w must be between 1 and 64");
    require_readable_file(options.reference, "--ref");
    const std::string sha = sha256_file(options.reference);

    // Read every contig (upper-cased) with HTSlib's kseq over BGZF (plain, gzip or bgzip).
    std::vector<contig> contigs;
    std::string bases;
    {
        BGZF* fp = bgzf_open(options.reference.c_str(), "r");
        if (!fp) throw input_error(options.reference.string() + ": cannot open");
        kseq_t* ks = kseq_init(fp);
        std::set<std::string> names;
        int rc;
        while ((rc = kseq_read(ks)) >= 0) {
            std::string name(ks->name.s, ks->name.l);
            if (!names.insert(name).second) {
                kseq_destroy(ks);
                bgzf_close(fp);
                throw input_error::at(options.reference.string(), "contig " + name, "duplicate contig name");
            }
            contigs.push_back({name, static_cast<std::int64_t>(ks->seq.l), static_cast<std::int64_t>(bases.size())});
            std::size_t at = bases.size();
            bases.append(ks->seq.s, ks->seq.l);
            for (std::size_t i = at; i < bases.size(); ++i) {
                char ch = static_cast<char>(std::toupper(static_cast<unsigned char>(bases[i])));
                if (!std::isalpha(static_cast<unsigned char>(ch)) && ch != '*' && ch != '-') {
                    kseq_destroy(ks);
                    bgzf_close(fp);
                    throw input_error::at(options.reference.string(), "contig " + name,
                                          std::string("invalid base character '") + bases[i] + "'");
                }
                bases[i] = ch;
            }
        }
        kseq_destroy(ks);
        bgzf_close(fp);
        if (rc < -1) throw input_error(options.reference.string() + ": truncated or malformed FASTA");
        if (contigs.empty()) throw input_error(options.reference.string() + ": no sequences (is it FASTA?)");
        if (bases.empty()) throw input_error(options.reference.string() + ": its sequences hold no bases");
    }
    if (static_cast<ref_pos>(bases.size()) >= max_reference_length)
        throw input_error(options.reference.string() + ": more than 2^" + std::to_string(position_bits) +
                          " bases; the index format holds up to 8.6 Gb");
    for (const auto& c : contigs)
        if (c.length >= (std::int64_t{1} << 32))
            throw input_error(options.reference.string() + ": contig " + c.name + " is longer than 2^32 bases");

    // Minimizers per contig, in parallel.
    std::vector<std::vector<minimizer>> per_contig(contigs.size());
    tbb::parallel_for(std::size_t(0), contigs.size(), [&](std::size_t c) {
        // Split long contigs into overlapping chunks so that big chromosomes use every thread.
        compute_minimizers(std::string_view(bases).substr(contigs[c].offset, contigs[c].length), options.k,
                           options.w, per_contig[c]);
    });
    std::size_t n = 0;
    for (const auto& v : per_contig) n += v.size();
    const int hash_bits = 2 * options.k;
    int bucket_bits = 10;
    while (bucket_bits < hash_bits - 1 && (1ULL << bucket_bits) < n / 2) ++bucket_bits;
    bucket_bits = std::max(bucket_bits, hash_bits - entry_hash_bits);  // low bits must fit the entry
    const int low_bits = hash_bits - bucket_bits;
    // Counting sort by bucket (top hash bits), then sort each bucket by (low hash bits, position).
    std::vector<std::uint64_t> buckets((1ULL << bucket_bits) + 1, 0);
    for (const auto& v : per_contig)
        for (const auto& m : v) ++buckets[(m.hash >> low_bits) + 1];
    for (std::size_t i = 1; i < buckets.size(); ++i) buckets[i] += buckets[i - 1];
    std::vector<std::uint64_t> entries(n);
    {
        std::vector<std::uint64_t> fill(buckets.begin(), buckets.end() - 1);
        const std::uint64_t low_mask = (1ULL << low_bits) - 1;
        for (std::size_t c = 0; c < contigs.size(); ++c) {
            for (const auto& m : per_contig[c]) {
                ref_pos pos = contigs[c].offset + m.position;
                entries[fill[m.hash >> low_bits]++] = pack_entry(m.hash & low_mask, pos, m.reverse);
            }
            std::vector<minimizer>().swap(per_contig[c]);
        }
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets.size() - 1, 4096), [&](const auto& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b)
            std::sort(entries.begin() + static_cast<std::ptrdiff_t>(buckets[b]),
                      entries.begin() + static_cast<std::ptrdiff_t>(buckets[b + 1]));
    });

    // Layout: magic, k, w, bucket_bits, sha, contigs, bases, buckets, entries (8-byte aligned sections).
    std::string head;
    head.append(magic, 8);
    put(head, static_cast<std::int32_t>(options.k));
    put(head, static_cast<std::int32_t>(options.w));
    put(head, static_cast<std::int32_t>(bucket_bits));
    put(head, static_cast<std::int32_t>(contigs.size()));
    head.append(sha);
    for (const auto& c : contigs) {
        put(head, static_cast<std::int32_t>(c.name.size()));
        head.append(c.name);
        put(head, c.length);
        put(head, c.offset);
    }
    put(head, static_cast<std::int64_t>(bases.size()));
    put(head, static_cast<std::int64_t>(entries.size()));
    pad8(head);
    std::filesystem::path out = options.out.empty() ? default_index_path(options.reference) : options.out;
    require_output_dir(out, "--out");
    atomic_output file(out);
    {
        std::ofstream os(file.temp_path(), std::ios::binary);
        os.write(head.data(), static_cast<std::streamsize>(head.size()));
        std::string padded_bases = bases;
        while (padded_bases.size() % 8) padded_bases.push_back('N');
        os.write(padded_bases.data(), static_cast<std::streamsize>(padded_bases.size()));
        os.write(reinterpret_cast<const char*>(buckets.data()), static_cast<std::streamsize>(buckets.size() * 8));
        os.write(reinterpret_cast<const char*>(entries.data()), static_cast<std::streamsize>(entries.size() * 8));
        os.close();
        if (!os) throw runtime_failure(out.string() + ": write failed (disk full?)");
    }
    file.commit();
    index_build_stats stats;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats.bases = static_cast<std::int64_t>(bases.size());
    stats.minimizers = static_cast<std::int64_t>(entries.size());
    stats.peak_rss_bytes = peak_rss();
    return stats;
}

genome_index::genome_index(const std::filesystem::path& path, const std::filesystem::path& reference) {
    const std::string where = path.string();
    if (!std::filesystem::exists(path))
        throw input_error(where + ": index not found (build it with: precis index --ref " +
                          (reference.empty() ? std::string("REF.fa") : reference.string()) + ")");
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw input_error(where + ": cannot open the index");
    struct stat st{};
    fstat(fd, &st);
    m_map_size = static_cast<std::size_t>(st.st_size);
    if (m_map_size < 64) {
        ::close(fd);
        throw input_error(where + ": not a precis index (too short)");
    }
    m_map = mmap(nullptr, m_map_size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (m_map == MAP_FAILED) {
        m_map = nullptr;
        throw input_error(where + ": cannot map the index");
    }
    const char* p = static_cast<const char*>(m_map);
    const char* end = p + m_map_size;
    auto need = [&](std::size_t bytes) {
        if (static_cast<std::size_t>(end - p) < bytes) throw input_error(where + ": truncated precis index");
    };
    auto get32 = [&] {
        need(4);
        std::int32_t v;
        std::memcpy(&v, p, 4);
        p += 4;
        return v;
    };
    auto get64 = [&] {
        need(8);
        std::int64_t v;
        std::memcpy(&v, p, 8);
        p += 8;
        return v;
    };
    try {
        if (std::memcmp(p, magic, 8) != 0) throw input_error(where + ": not a precis index of this version (bad magic); rebuild it with precis index");
        p += 8;
        m_k = get32();
        m_w = get32();
        m_bucket_bits = get32();
        if (m_k < 11 || m_k > 28 || m_w < 1 || m_w > 64) throw input_error(where + ": corrupt index header (k or w out of range)");
        int n = get32();
        need(64);
        m_sha.assign(p, 64);
        p += 64;
        for (int i = 0; i < n; ++i) {
            int len = get32();
            need(static_cast<std::size_t>(len));
            contig c;
            c.name.assign(p, static_cast<std::size_t>(len));
            p += len;
            c.length = get64();
            c.offset = get64();
            m_contigs.push_back(std::move(c));
        }
        m_total = get64();
        std::int64_t n_entries = get64();
        p = static_cast<const char*>(m_map) + ((p - static_cast<const char*>(m_map) + 7) / 8 * 8);
        std::size_t padded = static_cast<std::size_t>((m_total + 7) / 8 * 8);
        need(padded);
        m_bases = p;
        p += padded;
        std::size_t nb = (1ULL << m_bucket_bits) + 1;
        need(nb * 8);
        m_buckets = reinterpret_cast<const std::uint64_t*>(p);
        p += nb * 8;
        need(static_cast<std::size_t>(n_entries) * 8);
        m_entries = reinterpret_cast<const std::uint64_t*>(p);
        if (m_buckets[nb - 1] != static_cast<std::uint64_t>(n_entries)) throw input_error(where + ": corrupt precis index");
        if (!reference.empty()) {
            require_readable_file(reference, "--ref");
            if (sha256_file(reference) != m_sha)
                throw input_error(where + ": stale index: " + reference.string() +
                                  " changed since the index was built (SHA-256 differs); rebuild with precis index");
        }
    } catch (...) {
        munmap(m_map, m_map_size);
        m_map = nullptr;
        throw;
    }
}

genome_index::~genome_index() {
    if (m_map) munmap(m_map, m_map_size);
}

int genome_index::contig_of(std::int64_t pos) const {
    auto it = std::upper_bound(m_contigs.begin(), m_contigs.end(), pos,
                               [](std::int64_t v, const contig& c) { return v < c.offset; });
    return static_cast<int>(it - m_contigs.begin()) - 1;
}

std::span<const std::uint64_t> genome_index::lookup(std::uint64_t hash) const {
    const int low_bits = 2 * m_k - m_bucket_bits;
    std::uint64_t b = hash >> low_bits;
    std::uint64_t low = hash & ((1ULL << low_bits) - 1);
    const std::uint64_t* first = m_entries + m_buckets[b];
    const std::uint64_t* last = m_entries + m_buckets[b + 1];
    const std::uint64_t* lo = std::lower_bound(first, last, pack_entry(low, 0, false));
    const std::uint64_t* hi = std::partition_point(lo, last, [low](std::uint64_t e) { return entry_low_hash(e) == low; });
    return {lo, static_cast<std::size_t>(hi - lo)};
}

void genome_index::lookup_many(const minimizer* mins, std::size_t n, std::span<const std::uint64_t>* out) const {
    const int low_bits = 2 * m_k - m_bucket_bits;
    for (std::size_t i = 0; i < n; ++i) __builtin_prefetch(m_buckets + (mins[i].hash >> low_bits));
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t b = mins[i].hash >> low_bits;
        const std::uint64_t* first = m_entries + m_buckets[b];
        const std::uint64_t* last = m_entries + m_buckets[b + 1];
        __builtin_prefetch(first);
        __builtin_prefetch(first + (last - first) / 2);
        out[i] = {first, static_cast<std::size_t>(last - first)};
    }
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t low = mins[i].hash & ((1ULL << low_bits) - 1);
        const std::uint64_t* first = out[i].data();
        const std::uint64_t* last = first + out[i].size();
        const std::uint64_t* lo = std::lower_bound(first, last, pack_entry(low, 0, false));
        const std::uint64_t* hi = std::partition_point(lo, last, [low](std::uint64_t e) { return entry_low_hash(e) == low; });
        out[i] = {lo, static_cast<std::size_t>(hi - lo)};
    }
}

}  // namespace precis::align
