// GFF3 / GTF reading into transcripts, and the overlap index.
#include "precis/annotate/gene_model.hpp"

#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "precis/core/error.hpp"
#include "precis/io/hts_handles.hpp"

namespace precis::annotate {

gene_model::gene_model(std::vector<transcript> transcripts) : m_transcripts(std::move(transcripts)) {
    for (std::size_t i = 0; i < m_transcripts.size(); ++i) m_index[m_transcripts[i].contig].order.push_back(i);
    for (auto& [contig, idx] : m_index) {
        std::stable_sort(idx.order.begin(), idx.order.end(),
                         [&](std::size_t a, std::size_t b) { return m_transcripts[a].begin() < m_transcripts[b].begin(); });
        std::int64_t running = -1;
        for (std::size_t i : idx.order) {
            running = std::max(running, m_transcripts[i].end());
            idx.max_end.push_back(running);
        }
    }
}

std::vector<const transcript*> gene_model::overlapping(const std::string& contig, std::int64_t begin, std::int64_t end,
                                                       std::int64_t flank) const {
    std::vector<const transcript*> out;
    auto it = m_index.find(contig);
    if (it == m_index.end()) return out;
    const contig_index& idx = it->second;
    // First transcript starting at or after end + flank: none of those can overlap.
    auto first_after = std::partition_point(idx.order.begin(), idx.order.end(), [&](std::size_t i) {
        return m_transcripts[i].begin() - flank < end;
    });
    std::vector<std::size_t> hits;
    for (auto k = static_cast<std::size_t>(first_after - idx.order.begin()); k-- > 0;) {
        if (idx.max_end[k] + flank <= begin) break;
        const transcript& t = m_transcripts[idx.order[k]];
        if (t.end() + flank > begin) hits.push_back(idx.order[k]);
    }
    std::sort(hits.begin(), hits.end());
    for (std::size_t i : hits) out.push_back(&m_transcripts[i]);
    return out;
}

namespace {

// Text the reader keeps until the end of the file (ids, names, attribute values), copied into large blocks
// freed at once: as separate strings they were millions of small allocations, and allocating and freeing
// them was a third of the load time of a GENCODE-sized file.
class text_store {
public:
    std::string_view keep(std::string_view s) {
        if (s.empty()) return {};
        if (m_left < s.size()) {
            std::size_t size = std::max<std::size_t>(s.size(), 1 << 20);
            m_blocks.emplace_back(new char[size]);
            m_next = m_blocks.back().get();
            m_left = size;
        }
        char* out = m_next;
        std::memcpy(out, s.data(), s.size());
        m_next += s.size();
        m_left -= s.size();
        return {out, s.size()};
    }

private:
    std::vector<std::unique_ptr<char[]>> m_blocks;
    char* m_next = nullptr;
    std::size_t m_left = 0;
};

// `s` with GFF3's %XX escapes decoded: `s` itself when it has none, else a string kept in `scratch`.
std::string_view url_decode(std::string_view s, std::deque<std::string>& scratch) {
    if (s.find('%') == std::string_view::npos) return s;
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return scratch.emplace_back(std::move(out));
}

// A handful of key/value pairs per feature: a flat vector (a hash map per feature cost ~1 kB each).
using attributes = std::vector<std::pair<std::string_view, std::string_view>>;

// True for GTF's `key "value";` attributes, false for GFF3's `key=value;`.
bool gtf_attributes(std::string_view text) {
    return text.find('=') == std::string_view::npos || text.find(" \"") < text.find('=');
}

// The `;`-separated item of an attribute column at `pos`, leading spaces dropped; `pos` moves past it.
std::string_view next_item(std::string_view text, std::size_t& pos) {
    std::size_t semi = text.find(';', pos);
    std::string_view item = text.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
    pos = semi == std::string_view::npos ? text.size() : semi + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    return item;
}

// The raw (undecoded) value of GFF3 attribute `key` (empty when absent), without building the whole list:
// exon and CDS lines, most of a file, need only Parent and protein_id.
std::string_view gff3_attribute(std::string_view text, std::string_view key) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::string_view item = next_item(text, pos);
        if (item.size() > key.size() && item[key.size()] == '=' && item.substr(0, key.size()) == key)
            return item.substr(key.size() + 1);
    }
    return {};
}

// GFF3 `key=value;...` or GTF `key "value"; ...` (gtf_attributes tells which) into `out`; repeated GTF keys
// (tag) are joined with commas. The pairs view the line or `scratch`: valid for this line only.
void parse_attributes(std::string_view text, bool gtf, attributes& out, std::deque<std::string>& scratch) {
    out.clear();
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::string_view item = next_item(text, pos);
        if (item.empty()) continue;
        std::size_t sep = gtf ? item.find(' ') : item.find('=');
        if (sep == std::string_view::npos) continue;
        std::string_view key = item.substr(0, sep);
        std::string_view value = item.substr(sep + 1);
        if (gtf) {
            while (!value.empty() && (value.front() == '"' || value.front() == ' ')) value.remove_prefix(1);
            while (!value.empty() && (value.back() == '"' || value.back() == ' ')) value.remove_suffix(1);
        } else {
            value = url_decode(value, scratch);
        }
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == key; });
        if (it == out.end()) out.emplace_back(key, value);
        else it->second = scratch.emplace_back(std::string(it->second) + "," + std::string(value));
    }
}

// The attributes something below reads, copied into `store` (descriptions, versions, ... are dropped:
// genes and transcripts are held until the end of the file, and their full attribute lists made most of
// the reader's peak memory, ~3 kB a transcript, ~0.8 GB for a GENCODE-sized file).
attributes keep_used(const attributes& line, text_store& store) {
    static constexpr std::array<std::string_view, 12> used = {"ID", "Parent", "transcript_id", "gene_id",
                                                              "gene_name", "gene", "Name", "biotype",
                                                              "transcript_biotype", "transcript_type", "tag",
                                                              "protein_id"};
    attributes out;
    for (const auto& [key, value] : line) {
        auto u = std::find(used.begin(), used.end(), key);
        if (u != used.end()) out.emplace_back(*u, store.keep(value));
    }
    return out;
}

std::string_view get(const attributes& a, std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys)
        for (const auto& [key, value] : a)
            if (key == k) return value;
    return {};
}

std::string_view strip_prefix(std::string_view id) {
    for (std::string_view p : {"transcript:", "gene:", "rna-", "gene-"})
        if (id.substr(0, p.size()) == p) return id.substr(p.size());
    return id;
}

// A GFF3/GTF feature line; its text is in the reader's text_store once the feature is kept.
struct raw_feature {
    std::string_view contig, type;
    std::int64_t begin = 0, end = 0;
    char strand = '+';
    int phase = 0;
    attributes attrs;
};

struct raw_transcript {
    raw_feature self;          // type empty when only known as a parent
    std::string_view parent;   // GFF3 Parent of the transcript line
    std::vector<span> exons, cds;
    std::vector<int> cds_phase;
    std::string_view protein_id;
    std::int64_t line = 0;
    bool has_self = false;
};

bool is_child_type(std::string_view t) {
    return t == "exon" || t == "CDS" || t == "stop_codon" || t == "start_codon" || t == "five_prime_UTR" ||
           t == "three_prime_UTR" || t == "UTR" || t == "five_prime_utr" || t == "three_prime_utr";
}

bool is_gene_type(std::string_view t) {
    return t == "gene" || t == "ncRNA_gene" || t == "pseudogene" || t == "transposable_element_gene";
}

// The file's transcripts, by id, in the order the file first names them; ids and text in `store`.
class transcript_table {
public:
    explicit transcript_table(text_store& store) : m_store(store) {}
    // The transcript `id` (a view valid for this line), created on first mention at line `line`.
    raw_transcript& operator()(std::string_view id, std::int64_t line) {
        auto it = m_by_id.find(id);
        if (it == m_by_id.end()) {
            it = m_by_id.emplace(m_store.keep(id), raw_transcript{}).first;
            it->second.line = line;
            m_order.emplace_back(it->first, &it->second);
        }
        return it->second;
    }
    const std::vector<std::pair<std::string_view, raw_transcript*>>& in_order() const { return m_order; }

private:
    text_store& m_store;
    std::unordered_map<std::string_view, raw_transcript> m_by_id;  // nodes: the pointers below stay valid
    std::vector<std::pair<std::string_view, raw_transcript*>> m_order;
};

// The transcripts of the file (and the counts in `summary`); the reader's temporaries are gone on return.
std::vector<transcript> parse_transcripts(const std::filesystem::path& path, const std::vector<std::string>& known_contigs,
                                          const std::vector<std::int64_t>& contig_lengths, bool strict,
                                          gene_model_summary& summary) {
    io::bgzf_ptr file(bgzf_open(path.c_str(), "r"));
    if (!file) throw input_error(path.string() + ": cannot open the gene annotation");
    auto skip = [&](const std::string& reason, const std::string& example) {
        if (strict && (reason == "missing parent" || reason == "past the contig's end"))
            throw input_error(path.string() + ": " + example + ": " + reason);
        ++summary.skipped[reason];
        if (summary.examples.size() < 5) summary.examples.push_back(reason + ": " + example);
    };
    text_store store;
    std::unordered_map<std::string_view, attributes> genes;  // GFF3 gene ID -> attributes
    transcript_table txs(store);                               // GFF3 ID or GTF transcript_id
    // Consecutive exon and CDS lines mostly share their Parent: its transcripts are looked up once.
    std::string last_parent;
    std::vector<raw_transcript*> last_targets;
    attributes line_attrs;
    std::deque<std::string> scratch;  // decoded values of this line
    auto keep = [&](raw_feature f) {  // `f` with its text copied into the store
        f.contig = store.keep(f.contig);
        f.type = store.keep(f.type);
        f.attrs = keep_used(f.attrs, store);
        return f;
    };
    kstring_t line{0, 0, nullptr};
    std::int64_t number = 0;
    int rc;
    while ((rc = bgzf_getline(file.get(), '\n', &line)) >= 0) {
        ++number;
        std::string_view text(line.s, line.l);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (text.empty() || text.front() == '#') {
            if (text.rfind("##FASTA", 0) == 0) break;
            continue;
        }
        ++summary.lines;
        scratch.clear();
        std::array<std::string_view, 9> col;
        std::size_t n_col = 0, p = 0;
        while (n_col < col.size()) {
            std::size_t tab = text.find('\t', p);
            col[n_col++] = text.substr(p, tab == std::string_view::npos ? std::string_view::npos : tab - p);
            if (tab == std::string_view::npos) break;
            p = tab + 1;
        }
        raw_feature f;
        auto integer = [](std::string_view s, std::int64_t& out) {
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
            return ec == std::errc() && end == s.data() + s.size() && !s.empty();
        };
        bool ok = n_col == 9 && integer(col[3], f.begin) && integer(col[4], f.end) && --f.begin >= 0 && f.end > f.begin &&
                  col[6].size() == 1 && (col[6][0] == '+' || col[6][0] == '-' || col[6][0] == '.' || col[6][0] == '?') &&
                  (col[7] == "." || col[7] == "0" || col[7] == "1" || col[7] == "2");
        if (!ok) {
            std::string msg = "line " + std::to_string(number) + ": '" + std::string(text.substr(0, 60)) + "'";
            if (strict) throw input_error::at(path.string(), "line " + std::to_string(number), "malformed GFF3/GTF line");
            skip("malformed line", msg);
            continue;
        }
        f.contig = col[0];
        f.type = col[2];
        f.strand = col[6][0];
        f.phase = col[7] == "1" ? 1 : col[7] == "2" ? 2 : 0;
        const bool gtf = gtf_attributes(col[8]);
        const bool gff3_part = !gtf && (f.type == "exon" || f.type == "CDS");
        if (!gff3_part) {
            parse_attributes(col[8], gtf, line_attrs, scratch);
            f.attrs = line_attrs;
        }
        if (gtf) {
            std::string_view tid = get(f.attrs, {"transcript_id"});
            if (f.type == "gene" || tid.empty()) continue;
            raw_transcript& t = txs(tid, number);
            // GTF has no parent links: a transcript line is optional and its exons carry its attributes.
            if (f.type == "transcript" || !t.has_self) t.self = keep(f);
            t.has_self = true;
            if (f.type == "exon") t.exons.push_back({f.begin, f.end});
            if (f.type == "CDS" || f.type == "stop_codon") {
                if (t.protein_id.empty()) t.protein_id = store.keep(get(f.attrs, {"protein_id"}));
                t.cds.push_back({f.begin, f.end});
                t.cds_phase.push_back(f.phase);
            }
            continue;
        }
        if (!gff3_part) {
            std::string_view id = get(f.attrs, {"ID"});
            if (is_gene_type(f.type) && !id.empty()) {
                genes[store.keep(id)] = keep_used(f.attrs, store);
                continue;
            }
            if (!is_child_type(f.type) && !id.empty()) {
                raw_transcript& t = txs(id, number);
                t.parent = store.keep(get(f.attrs, {"Parent"}));
                t.self = keep(f);
                t.has_self = true;
            }
            continue;
        }
        std::string_view parent_text = gff3_attribute(col[8], "Parent");
        if (parent_text.empty()) {
            skip("missing parent", "line " + std::to_string(number));
            continue;
        }
        if (parent_text != last_parent || last_targets.empty()) {
            last_parent = parent_text;
            last_targets.clear();
            std::string_view parent = url_decode(parent_text, scratch);
            std::size_t q = 0;
            while (q <= parent.size()) {  // an exon may have several parents
                std::size_t comma = parent.find(',', q);
                std::string_view par = parent.substr(q, comma == std::string_view::npos ? std::string_view::npos : comma - q);
                q = comma == std::string_view::npos ? parent.size() + 1 : comma + 1;
                if (par.empty()) continue;  // "Parent=A," (seen in real RefSeq-derived files)
                raw_transcript* t = &txs(par, number);
                if (std::find(last_targets.begin(), last_targets.end(), t) == last_targets.end()) last_targets.push_back(t);
            }
        }
        for (raw_transcript* t : last_targets) {
            if (!t->has_self && t->self.contig.empty()) t->self = keep(f);
            if (f.type == "exon") {
                t->exons.push_back({f.begin, f.end});
            } else {
                if (t->protein_id.empty())
                    t->protein_id = store.keep(url_decode(gff3_attribute(col[8], "protein_id"), scratch));
                t->cds.push_back({f.begin, f.end});
                t->cds_phase.push_back(f.phase);
            }
        }
    }
    ks_free(&line);
    if (rc < -1) throw input_error(path.string() + ": read error after line " + std::to_string(number));

    std::unordered_map<std::string_view, std::int64_t> contigs;  // name -> length (-1: unknown)
    for (std::size_t i = 0; i < known_contigs.size(); ++i)
        contigs.emplace(known_contigs[i], i < contig_lengths.size() ? contig_lengths[i] : -1);
    std::unordered_set<std::string_view> gene_ids;
    std::vector<transcript> out;
    for (const auto& [key, raw] : txs.in_order()) {
        raw_transcript r = std::move(*raw);  // released once converted: raw and final are not both held
        *raw = raw_transcript{};
        const std::string where = "line " + std::to_string(r.line) + " (" + std::string(key) + ")";
        if (!r.has_self && r.cds.empty() && r.exons.empty()) continue;
        if (!r.has_self && !genes.count(key)) {
            skip("missing parent", where + ": exons/CDS whose parent is not in the file");
            continue;
        }
        if (!r.has_self) continue;
        const attributes& a = r.self.attrs;
        const attributes* gene_attrs = nullptr;
        if (!r.parent.empty()) {
            auto g = genes.find(r.parent);
            if (g == genes.end()) {
                skip("missing parent", where + ": gene " + std::string(r.parent) + " not in the file");
                continue;
            }
            gene_attrs = &g->second;
        }
        auto from_gene = [&](std::initializer_list<std::string_view> keys) {
            return gene_attrs ? get(*gene_attrs, keys) : std::string_view();
        };
        std::string_view tid = get(a, {"transcript_id"});
        std::string_view gene_id = get(a, {"gene_id"});
        if (gene_id.empty()) gene_id = from_gene({"gene_id"});
        if (gene_id.empty()) gene_id = strip_prefix(r.parent);
        std::string_view gene_name = get(a, {"gene_name", "gene"});
        if (gene_name.empty()) gene_name = from_gene({"Name", "gene_name", "gene"});
        if (gene_name.empty()) gene_name = gene_id;
        std::string_view biotype = get(a, {"biotype", "transcript_biotype", "transcript_type"});
        std::string_view tags = get(a, {"tag"});
        transcript t;
        t.id = tid.empty() ? strip_prefix(key) : tid;
        t.protein_id = r.protein_id.empty() ? t.id : std::string(r.protein_id);
        t.contig = r.self.contig;
        t.strand = r.self.strand;
        t.gene_id = gene_id;
        t.gene_name = gene_name;
        if (!biotype.empty()) t.biotype = biotype;
        else t.biotype = r.cds.empty() ? (r.self.type == "lnc_RNA" ? "lncRNA" : std::string(r.self.type)) : "protein_coding";
        auto tagged = [&](std::string_view tag) { return tags.find(tag) != std::string_view::npos; };
        t.canonical = tagged("Ensembl_canonical") || tagged("RefSeq Select") || tagged("MANE");
        t.mane = tagged("MANE_Select") || tagged("MANE Select");
        const auto contig = contigs.find(t.contig);
        if (contig == contigs.end()) {
            skip("contig absent from the FASTA", where + " on " + t.contig);
            continue;
        }
        if (t.strand != '+' && t.strand != '-') {  // '.' or '?': codons, UTRs and splice sides are undefined
            skip("no strand", where + ": strand '" + std::string(1, t.strand) + "'");
            continue;
        }
        t.exons = r.exons.empty() ? r.cds : std::move(r.exons);
        if (t.exons.empty()) {
            skip("no exons", where);
            continue;
        }
        std::sort(t.exons.begin(), t.exons.end(), [](const span& x, const span& y) { return x.begin < y.begin; });
        if (contig->second >= 0 && t.exons.back().end > contig->second) {
            skip("past the contig's end", where + ": ends at " + std::to_string(t.exons.back().end) + ", " + t.contig + " has " +
                                              std::to_string(contig->second) + " bases");
            continue;
        }
        if (!r.cds.empty()) {
            std::int64_t len = 0;
            t.cds_begin = r.cds.front().begin;
            t.cds_end = r.cds.front().end;
            std::size_t first = 0;
            for (std::size_t i = 0; i < r.cds.size(); ++i) {
                len += r.cds[i].length();
                t.cds_begin = std::min(t.cds_begin, r.cds[i].begin);
                t.cds_end = std::max(t.cds_end, r.cds[i].end);
                bool earlier = t.strand == '-' ? r.cds[i].end > r.cds[first].end : r.cds[i].begin < r.cds[first].begin;
                if (earlier) first = i;
            }
            t.cds_start_phase = r.cds_phase[first];
            if (len % 3 != 0 && !tagged("_NF")) {
                skip("CDS length not a multiple of 3", where + ": " + std::to_string(len) + " bases");
                continue;
            }
        }
        gene_ids.insert(gene_id);
        ++summary.transcripts;
        if (t.coding()) ++summary.coding_transcripts;
        out.push_back(std::move(t));
    }
    summary.genes = static_cast<std::int64_t>(gene_ids.size());
    return out;
}

}  // namespace

gene_model read_gene_model(const std::filesystem::path& path, const std::vector<std::string>& known_contigs,
                           bool strict, const std::vector<std::int64_t>& contig_lengths) {
    gene_model_summary summary;
    // Parsed on a thread of its own, so that the reader's temporaries (several times the model's size) and
    // the parsed copy live in that thread's malloc arena; the model is then copied into this thread's arena,
    // packed, and the other arena, wholly free, goes back to the system (malloc_trim). Parsing on this
    // thread left the model scattered among the temporaries' holes: a GENCODE-sized file (250k
    // transcripts) pinned ~0.5 GB for a ~0.1 GB model.
    std::vector<transcript> parsed;
    std::exception_ptr failure;
    std::thread([&] {
        try {
            parsed = parse_transcripts(path, known_contigs, contig_lengths, strict, summary);
        } catch (...) {
            failure = std::current_exception();
        }
    }).join();
    if (failure) std::rethrow_exception(failure);
    malloc_trim(0);  // the temporaries' pages, before the copy adds its own
    std::vector<transcript> packed(parsed.begin(), parsed.end());
    parsed = std::vector<transcript>();
    gene_model model(std::move(packed));
    model.summary() = summary;
    return model;
}

}  // namespace precis::annotate
