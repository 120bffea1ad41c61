// GFF3 / GTF reading into transcripts, and the overlap index.
#include "precis/annotate/gene_model.hpp"

#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <exception>
#include <memory>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "precis/core/error.hpp"

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

struct bgzf_closer {
    void operator()(BGZF* f) const { if (f) bgzf_close(f); }
};

std::string url_decode(std::string_view s) {
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
    return out;
}

// A handful of key/value pairs per feature: a flat vector (a hash map per feature cost ~1 kB each).
using attributes = std::vector<std::pair<std::string, std::string>>;

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

// The decoded value of GFF3 attribute `key` (empty when absent), without building the whole list: exon and
// CDS lines, most of a file, need only Parent and protein_id.
std::string gff3_attribute(std::string_view text, std::string_view key) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::string_view item = next_item(text, pos);
        if (item.size() > key.size() && item[key.size()] == '=' && item.substr(0, key.size()) == key)
            return url_decode(item.substr(key.size() + 1));
    }
    return {};
}

// GFF3 `key=value;...` or GTF `key "value"; ...` (gtf_attributes tells which); repeated GTF keys (tag) are
// joined with commas.
attributes parse_attributes(std::string_view text, bool gtf) {
    attributes out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::string_view item = next_item(text, pos);
        if (item.empty()) continue;
        std::size_t sep = gtf ? item.find(' ') : item.find('=');
        if (sep == std::string_view::npos) continue;
        std::string key(item.substr(0, sep));
        std::string_view value = item.substr(sep + 1);
        if (gtf) {
            while (!value.empty() && (value.front() == '"' || value.front() == ' ')) value.remove_prefix(1);
            while (!value.empty() && (value.back() == '"' || value.back() == ' ')) value.remove_suffix(1);
        }
        std::string v = gtf ? std::string(value) : url_decode(value);
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == key; });
        if (it == out.end()) out.emplace_back(std::move(key), std::move(v));
        else it->second += "," + v;
    }
    return out;
}

// Drops the attributes nothing below reads (descriptions, versions, ...): genes and transcripts are held
// until the end of the file, and their full attribute maps made most of the reader's peak memory
// (~3 kB a transcript, ~0.8 GB for a GENCODE-sized file).
void keep_used(attributes& a) {
    static const std::unordered_set<std::string> used = {"ID", "Parent", "transcript_id", "gene_id", "gene_name", "gene",
                                                         "Name", "biotype", "transcript_biotype", "transcript_type",
                                                         "tag", "protein_id"};
    a.erase(std::remove_if(a.begin(), a.end(), [](const auto& kv) { return !used.count(kv.first); }), a.end());
    a.shrink_to_fit();
}

std::string get(const attributes& a, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        for (const auto& [key, value] : a)
            if (key == k) return value;
    return {};
}

std::string strip_prefix(std::string id) {
    for (const char* p : {"transcript:", "gene:", "rna-", "gene-"})
        if (id.rfind(p, 0) == 0) return id.substr(std::string_view(p).size());
    return id;
}

struct raw_feature {
    std::string contig, type;
    std::int64_t begin = 0, end = 0;
    char strand = '+';
    int phase = 0;
    attributes attrs;
};

struct raw_transcript {
    raw_feature self;  // type empty when only known as a parent
    std::vector<span> exons, cds;
    std::vector<int> cds_phase;
    std::string protein_id;
    std::int64_t line = 0;
    bool has_self = false;
};

bool is_child_type(const std::string& t) {
    return t == "exon" || t == "CDS" || t == "stop_codon" || t == "start_codon" || t == "five_prime_UTR" ||
           t == "three_prime_UTR" || t == "UTR" || t == "five_prime_utr" || t == "three_prime_utr";
}

bool is_gene_type(const std::string& t) {
    return t == "gene" || t == "ncRNA_gene" || t == "pseudogene" || t == "transposable_element_gene";
}

}  // namespace

namespace {

// The transcripts of the file (and the counts in `summary`); the reader's temporaries are gone on return.
std::vector<transcript> parse_transcripts(const std::filesystem::path& path, const std::vector<std::string>& known_contigs,
                                          bool strict, gene_model_summary& summary) {
    std::unique_ptr<BGZF, bgzf_closer> file(bgzf_open(path.c_str(), "r"));
    if (!file) throw input_error(path.string() + ": cannot open the gene annotation");
    auto skip = [&](const std::string& reason, const std::string& example) {
        ++summary.skipped[reason];
        if (summary.examples.size() < 5) summary.examples.push_back(reason + ": " + example);
    };
    std::unordered_map<std::string, attributes> genes;        // GFF3 gene ID -> attributes
    std::unordered_map<std::string, std::string> parent_of;   // GFF3 ID -> Parent
    std::vector<std::string> tx_order;
    std::unordered_map<std::string, raw_transcript> txs;      // GFF3 ID or GTF transcript_id
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
                  col[6].size() == 1 && (col[6][0] == '+' || col[6][0] == '-' || col[6][0] == '.');
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
            f.attrs = parse_attributes(col[8], gtf);
            keep_used(f.attrs);
        }
        std::string id = gtf || gff3_part ? "" : get(f.attrs, {"ID"});
        std::string parent = gtf ? "" : gff3_part ? gff3_attribute(col[8], "Parent") : get(f.attrs, {"Parent"});
        if (gtf) {
            std::string tid = get(f.attrs, {"transcript_id"});
            if (f.type == "gene" || tid.empty()) continue;
            auto& t = txs[tid];
            if (t.line == 0) {
                tx_order.push_back(tid);
                t.line = number;
            }
            // GTF has no parent links: a transcript line is optional and its exons carry its attributes.
            if (f.type == "transcript" || !t.has_self) t.self = f;
            t.has_self = true;
            if (f.type == "exon") t.exons.push_back({f.begin, f.end});
            if (f.type == "CDS" || f.type == "stop_codon") {
                if (t.protein_id.empty()) t.protein_id = get(f.attrs, {"protein_id"});
                t.cds.push_back({f.begin, f.end});
                t.cds_phase.push_back(f.phase);
            }
            continue;
        }
        if (is_gene_type(f.type) && !id.empty()) {
            genes[id] = f.attrs;
            continue;
        }
        if (!is_child_type(f.type)) {
            if (!id.empty()) {
                parent_of[id] = parent;
                auto& t = txs[id];
                if (t.line == 0) {
                    tx_order.push_back(id);
                    t.line = number;
                }
                t.self = f;
                t.has_self = true;
            }
            continue;
        }
        if (f.type != "exon" && f.type != "CDS") continue;
        if (parent.empty()) {
            skip("missing parent", "line " + std::to_string(number));
            continue;
        }
        std::size_t q = 0;
        while (q <= parent.size()) {  // an exon may have several parents
            std::size_t comma = parent.find(',', q);
            std::string par = parent.substr(q, comma == std::string::npos ? std::string::npos : comma - q);
            q = comma == std::string::npos ? parent.size() + 1 : comma + 1;
            if (par.empty()) continue;  // "Parent=A," (seen in real RefSeq-derived files)
            auto& t = txs[par];
            if (t.line == 0) {
                tx_order.push_back(par);
                t.line = number;
            }
            if (!t.has_self && t.self.contig.empty()) t.self = f;
            if (f.type == "exon") t.exons.push_back({f.begin, f.end});
            else {
                if (t.protein_id.empty()) t.protein_id = gff3_attribute(col[8], "protein_id");
                t.cds.push_back({f.begin, f.end});
                t.cds_phase.push_back(f.phase);
            }
        }
    }
    ks_free(&line);
    if (rc < -1) throw input_error(path.string() + ": read error after line " + std::to_string(number));

    std::set<std::string> contigs(known_contigs.begin(), known_contigs.end());
    std::unordered_set<std::string> gene_ids;
    std::vector<transcript> out;
    for (const std::string& key : tx_order) {
        raw_transcript r = std::move(txs[key]);  // released once converted: raw and final are not both held
        txs[key] = raw_transcript{};
        const std::string where = "line " + std::to_string(r.line) + " (" + key + ")";
        if (!r.has_self && r.cds.empty() && r.exons.empty()) continue;
        if (!r.has_self && !genes.count(key)) {
            skip("missing parent", where + ": exons/CDS whose parent is not in the file");
            continue;
        }
        if (!r.has_self) continue;
        transcript t;
        const attributes& a = r.self.attrs;
        t.id = get(a, {"transcript_id"});
        if (t.id.empty()) t.id = strip_prefix(key);
        t.protein_id = r.protein_id.empty() ? t.id : r.protein_id;
        t.contig = r.self.contig;
        t.strand = r.self.strand;
        attributes gene_attrs;
        std::string parent = parent_of.count(key) ? parent_of[key] : "";
        if (!parent.empty()) {
            auto g = genes.find(parent);
            if (g == genes.end()) {
                skip("missing parent", where + ": gene " + parent + " not in the file");
                continue;
            }
            gene_attrs = g->second;
        }
        t.gene_id = get(a, {"gene_id"});
        if (t.gene_id.empty()) t.gene_id = get(gene_attrs, {"gene_id"});
        if (t.gene_id.empty()) t.gene_id = strip_prefix(parent);
        t.gene_name = get(a, {"gene_name", "gene"});
        if (t.gene_name.empty()) t.gene_name = get(gene_attrs, {"Name", "gene_name", "gene"});
        if (t.gene_name.empty()) t.gene_name = t.gene_id;
        t.biotype = get(a, {"biotype", "transcript_biotype", "transcript_type"});
        if (t.biotype.empty()) t.biotype = r.cds.empty() ? (r.self.type == "lnc_RNA" ? "lncRNA" : r.self.type) : "protein_coding";
        std::string tags = get(a, {"tag"});
        t.canonical = tags.find("Ensembl_canonical") != std::string::npos || tags.find("RefSeq Select") != std::string::npos ||
                      tags.find("MANE") != std::string::npos;
        t.mane = tags.find("MANE_Select") != std::string::npos || tags.find("MANE Select") != std::string::npos;
        if (!contigs.count(t.contig)) {
            skip("contig absent from the FASTA", where + " on " + t.contig);
            continue;
        }
        t.exons = r.exons.empty() ? r.cds : r.exons;
        if (t.exons.empty()) {
            skip("no exons", where);
            continue;
        }
        std::sort(t.exons.begin(), t.exons.end(), [](const span& x, const span& y) { return x.begin < y.begin; });
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
            bool incomplete = tags.find("_NF") != std::string::npos;
            if (len % 3 != 0 && !incomplete) {
                skip("CDS length not a multiple of 3", where + ": " + std::to_string(len) + " bases");
                continue;
            }
        }
        gene_ids.insert(t.gene_id);
        ++summary.transcripts;
        if (t.coding()) ++summary.coding_transcripts;
        out.push_back(std::move(t));
    }
    summary.genes = static_cast<std::int64_t>(gene_ids.size());
    return out;
}

}  // namespace

gene_model read_gene_model(const std::filesystem::path& path, const std::vector<std::string>& known_contigs,
                           bool strict) {
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
            parsed = parse_transcripts(path, known_contigs, strict, summary);
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
