// PGS Catalog scoring file: '#' header lines (###PGS CATALOG SCORING FILE, #key=value), then a
// tab-separated table with a header row. Read plain or gzip/bgzip-compressed (the Catalog's .txt.gz).
#include "precis/model/pgs_file.hpp"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"

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

struct bgzf_closer {
    void operator()(BGZF* f) const { if (f) bgzf_close(f); }
};

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
    std::unique_ptr<BGZF, bgzf_closer> m_bgzf;
    kstring_t m_line{0, 0, nullptr};
    std::int64_t m_lines = 0;
};

std::string format_double(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

void write_pgs_file(const risk_model& m, const std::filesystem::path& path, const std::string& pgs_id,
                    const std::string& genome_build) {
    atomic_output out(path);
    {
        std::ofstream f(out.temp_path());
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
        f.flush();
        if (!f) throw runtime_failure(out.temp_path().string() + ": write failed");
    }
    out.commit();
}

pgs_score read_pgs_file(const std::filesystem::path& path) {
    require_readable_file(path, "--pgs");
    const std::string file = path.string();
    text_lines in(file);
    pgs_score s;
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
        v.pos = static_cast<std::int64_t>(number(c_pos, "chr_position"));
        if (v.pos < 1) throw input_error::at(file, "line " + std::to_string(line_no), "chr_position must be >= 1");
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
    }
    if (columns.empty()) throw input_error::at(file, "line " + std::to_string(line_no), "no column header line");
    return s;
}

}  // namespace precis::model
