// PGS Catalog scoring file: '#' header lines (###PGS CATALOG SCORING FILE, #key=value), then a
// tab-separated table with a header row. Read plain or gzip/bgzip-compressed (the Catalog's .txt.gz).
#include "precis/model/pgs_file.hpp"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>
#include <utility>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/io/hts_handles.hpp"
#include "precis/model/detail/scoring.hpp"

namespace precis::model {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        auto tab = line.find('\t', start);
        out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return out;
        start = tab + 1;
    }
}

// The name of a compression that BGZF cannot read; nullptr for none, gzip and bgzip.
const char* unreadable_compression(htsCompression c) {
    switch (c) {
    case no_compression: case gzip: case bgzf: return nullptr;
    case bzip2_compression: return "bzip2";
    case xz_compression: return "xz";
    case zstd_compression: return "zstd";
    default: return "an unsupported method";
    }
}

// The lines of a plain, gzip or bgzip text file (HTSlib's BGZF reads all three); another compression is
// an input error naming the file.
class text_lines {
public:
    explicit text_lines(const std::string& file) : m_file(file) {
        hFILE* h = hopen(file.c_str(), "r");
        if (!h) throw input_error(file + ": cannot open");
        htsFormat format{};
        if (hts_detect_format2(h, file.c_str(), &format) < 0) {
            hclose_abruptly(h);
            throw input_error(file + ": cannot read");
        }
        if (const char* method = unreadable_compression(format.compression)) {
            hclose_abruptly(h);
            throw input_error(file + ": compressed with " + method +
                              "; decompress it, or recompress it with gzip or bgzip");
        }
        m_bgzf.reset(bgzf_hopen(h, "r"));
        if (!m_bgzf) {
            hclose_abruptly(h);
            throw input_error(file + ": cannot read");
        }
    }
    text_lines(const text_lines&) = delete;
    text_lines& operator=(const text_lines&) = delete;
    ~text_lines() { std::free(m_line.s); }

    // The next line, without its '\n', into `line`; false at the end of the file. Throws input_error for
    // a read error (a truncated or corrupt compressed file).
    bool next(std::string& line) {
        const int rc = bgzf_getline(m_bgzf.get(), '\n', &m_line);
        if (rc < -1 || m_bgzf->errcode != 0)  // a failed read also returns the part of the line before it
            throw input_error::at(m_file, "line " + std::to_string(m_lines + 1),
                                  "read error (a truncated or corrupt compressed file?)");
        if (rc == -1) return false;
        ++m_lines;
        line.assign(m_line.s, m_line.l);
        return true;
    }

private:
    std::string m_file;
    io::bgzf_ptr m_bgzf;
    kstring_t m_line{0, 0, nullptr};
    std::int64_t m_lines = 0;
};

std::string format_double(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// Three-way comparison of allele strings, case-insensitive as same_bases.
int compare_bases(std::string_view a, std::string_view b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        const int x = std::toupper(static_cast<unsigned char>(a[i]));
        const int y = std::toupper(static_cast<unsigned char>(b[i]));
        if (x != y) return x < y ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// Refuses two rows that weight one variant: the same contig (normalise_contig), position and alleles, also
// with effect and other allele swapped, or the same effect allele where a row has no other allele. Scoring
// would count one of them against a cohort (a genotype row matches once) and both against a VCF. Other
// effect alleles at one position (a multi-allelic site) are separate variants. Where such rows exist, two of
// them are neighbours in one of two sorts of the rows; of those neighbour pairs, the one whose second row
// comes first in the file is named. `lines`: the line of each row.
void refuse_duplicate_rows(const std::string& file, const std::vector<weighted_variant>& rows,
                           const std::vector<std::int64_t>& lines) {
    std::vector<std::string> contig;
    contig.reserve(rows.size());
    for (const auto& v : rows) contig.push_back(normalise_contig(v.chrom));
    std::size_t first = rows.size(), second = rows.size();
    // Sorts `order` on contig, position and the allele pair `key` gives, then tests neighbours with `same`.
    auto scan = [&](std::vector<std::size_t> order, auto key, auto same) {
        std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
            if (const int c = contig[x].compare(contig[y])) return c < 0;
            if (rows[x].pos != rows[y].pos) return rows[x].pos < rows[y].pos;
            const auto [x1, x2] = key(rows[x]);
            const auto [y1, y2] = key(rows[y]);
            if (const int c = compare_bases(x1, y1)) return c < 0;
            if (const int c = compare_bases(x2, y2)) return c < 0;
            return x < y;
        });
        for (std::size_t i = 1; i < order.size(); ++i) {
            const auto x = std::min(order[i - 1], order[i]), y = std::max(order[i - 1], order[i]);
            if (contig[x] != contig[y] || rows[x].pos != rows[y].pos || !same(rows[x], rows[y])) continue;
            if (y < second || (y == second && x < first)) first = x, second = y;
        }
    };
    using pair = std::pair<std::string_view, std::string_view>;
    std::vector<std::size_t> all(rows.size()), with_other;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        all[i] = i;
        if (!rows[i].other_allele.empty()) with_other.push_back(i);
    }
    // Effect allele, then other allele (empty first): equal pairs, and an empty other allele next to the
    // rows of its effect allele.
    scan(all, [](const weighted_variant& v) { return pair(v.effect_allele, v.other_allele); },
         [](const weighted_variant& a, const weighted_variant& b) {
             return detail::same_bases(a.effect_allele, b.effect_allele) &&
                    (a.other_allele.empty() || b.other_allele.empty() ||
                     detail::same_bases(a.other_allele, b.other_allele));
         });
    // The two alleles in either order: swapped pairs.
    auto unordered = [](const weighted_variant& v) {
        return compare_bases(v.effect_allele, v.other_allele) < 0 ? pair(v.effect_allele, v.other_allele)
                                                                   : pair(v.other_allele, v.effect_allele);
    };
    scan(with_other, unordered, [&](const weighted_variant& a, const weighted_variant& b) {
        const auto [a1, a2] = unordered(a);
        const auto [b1, b2] = unordered(b);
        return compare_bases(a1, b1) == 0 && compare_bases(a2, b2) == 0;
    });
    if (second == rows.size()) return;
    const auto& a = rows[first];
    const auto& b = rows[second];
    throw input_error::at(file, "line " + std::to_string(lines[second]),
                          b.chrom + ":" + std::to_string(b.pos) + " effect allele " + b.effect_allele +
                              (b.other_allele.empty() ? "" : ", other allele " + b.other_allele) +
                              " repeats the variant of line " + std::to_string(lines[first]) +
                              (detail::same_bases(a.effect_allele, b.effect_allele) ? ""
                                                                                     : " with the alleles swapped") +
                              " (duplicate rows: which weight is right?)");
}

}  // namespace

void write_pgs_file(const risk_model& m, const std::filesystem::path& path, const std::string& pgs_id,
                    const std::string& genome_build) {
    std::ostringstream f;
    f << "###PGS CATALOG SCORING FILE - see https://www.pgscatalog.org/downloads/#dl_ftp_scoring for additional "
         "information\n"
      << "#format_version=2.0\n##POS INFORMATION\n#pgs_id=" << pgs_id << "\n#pgs_name=precis_" << m.phenotype
      << "\n#trait_reported=" << m.phenotype << "\n#trait_mapped=\n#trait_efo=\n#genome_build=" << genome_build
      << "\n#weight_type=beta\n#variants_number=" << m.variants.size()
      << "\n##SOURCE INFORMATION\n#pgp_id=\n#citation=precis train (" << m.model_type << ", alpha=" << m.alpha
      << ", created " << m.created << ")\n"
      << "chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\tallelefrequency_effect\n";
    for (const auto& v : m.variants)
        f << v.chrom << '\t' << v.pos << '\t' << v.effect_allele << '\t' << v.other_allele << '\t'
          << format_double(v.weight) << '\t' << format_double(v.effect_frequency) << '\n';
    const std::string text = f.str();
    atomic_output out(path);
    if (path.extension() == ".gz") {  // bgzip: gzip to any reader, as the Catalog's .txt.gz downloads
        io::bgzf_ptr z(bgzf_open(out.temp_path().c_str(), "w"));
        if (!z || bgzf_write(z.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
            bgzf_close(z.release()) != 0)
            throw runtime_failure(out.final_path().string() + ": write failed");
    } else {
        std::ofstream plain(out.temp_path());
        plain << text;
        plain.flush();
        if (!plain) throw runtime_failure(out.final_path().string() + ": write failed");
    }
    out.commit();
}

pgs_score read_pgs_file(const std::filesystem::path& path) {
    require_readable_file(path, "--pgs");
    const std::string file = path.string();
    text_lines in(file);
    pgs_score s;
    std::vector<std::int64_t> lines;  // per variant
    std::string line;
    std::int64_t line_no = 0;
    std::vector<std::string> columns;
    int c_chr = -1, c_pos = -1, c_effect = -1, c_other = -1, c_weight = -1, c_freq = -1;
    while (in.next(line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (line[0] == '#') {
            auto eq = line.find('=');
            if (line.size() > 1 && line[1] != '#' && eq != std::string::npos)
                s.header[line.substr(1, eq - 1)] = line.substr(eq + 1);
            continue;
        }
        auto fields = split_tabs(line);
        if (columns.empty()) {
            columns = fields;
            for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
                const auto& c = columns[static_cast<std::size_t>(i)];
                if (std::count(columns.begin(), columns.end(), c) > 1)
                    throw input_error::at(file, "line " + std::to_string(line_no), "column '" + c + "' appears twice");
                if (c == "chr_name") c_chr = i;
                if (c == "chr_position") c_pos = i;
                if (c == "effect_allele") c_effect = i;
                if (c == "other_allele") c_other = i;
                if (c == "effect_weight") c_weight = i;
                if (c == "allelefrequency_effect") c_freq = i;
            }
            std::string missing;
            if (c_chr < 0) missing += " chr_name";
            if (c_pos < 0) missing += " chr_position";
            if (c_effect < 0) missing += " effect_allele";
            if (c_weight < 0) missing += " effect_weight";
            if (!missing.empty())
                throw input_error::at(file, "line " + std::to_string(line_no),
                                      "column header lacks required column(s):" + missing +
                                          " (rsID-only scoring files are not supported)");
            continue;
        }
        if (fields.size() != columns.size())
            throw input_error::at(file, "line " + std::to_string(line_no),
                                  std::to_string(fields.size()) + " fields, the header has " +
                                      std::to_string(columns.size()));
        auto number = [&](int col, const char* what) {
            const auto& t = fields[static_cast<std::size_t>(col)];
            double v = 0;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec != std::errc() || p != t.data() + t.size())
                throw input_error::at(file, "line " + std::to_string(line_no),
                                      std::string(what) + " '" + t + "' is not a number");
            if (!std::isfinite(v))
                throw input_error::at(file, "line " + std::to_string(line_no), std::string(what) + " '" + t + "' is not finite");
            return v;
        };
        weighted_variant v;
        v.chrom = fields[static_cast<std::size_t>(c_chr)];
        {
            const auto& t = fields[static_cast<std::size_t>(c_pos)];
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v.pos);
            if (ec != std::errc() || p != t.data() + t.size() || v.pos < 1)
                throw input_error::at(file, "line " + std::to_string(line_no),
                                      "chr_position '" + t + "' is not a positive integer");
        }
        v.effect_allele = fields[static_cast<std::size_t>(c_effect)];
        if (c_other >= 0) v.other_allele = fields[static_cast<std::size_t>(c_other)];
        v.weight = number(c_weight, "effect_weight");
        if (std::abs(v.weight) > 1e9)  // sums of such weights overflow
            throw input_error::at(file, "line " + std::to_string(line_no),
                                  "effect_weight " + fields[static_cast<std::size_t>(c_weight)] + " exceeds 1e9 in magnitude");
        if (c_freq >= 0 && !fields[static_cast<std::size_t>(c_freq)].empty()) {
            // Imputes missing genotypes (2 x frequency): a value outside [0, 1] is no frequency.
            v.effect_frequency = number(c_freq, "allelefrequency_effect");
            if (v.effect_frequency < 0 || v.effect_frequency > 1)
                throw input_error::at(file, "line " + std::to_string(line_no),
                                      "allelefrequency_effect '" + fields[static_cast<std::size_t>(c_freq)] +
                                          "' must be in [0, 1]");
        }
        if (v.effect_allele.empty())
            throw input_error::at(file, "line " + std::to_string(line_no), "empty effect_allele");
        s.variants.push_back(std::move(v));
        lines.push_back(line_no);
    }
    if (columns.empty()) throw input_error::at(file, "line " + std::to_string(line_no), "no column header line");
    refuse_duplicate_rows(file, s.variants, lines);
    return s;
}

}  // namespace precis::model
