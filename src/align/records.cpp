// BAM records for mapping results (samtools fixmate's mate conventions, calmd's NM/MD).
#include "precis/align/detail/records.hpp"

#include <algorithm>
#include <cstring>

#include "precis/core/error.hpp"
#include "precis/align/detail/sequence.hpp"

namespace precis::align::detail {

namespace {

std::string cigar_string(const std::vector<std::uint32_t>& cigar) {
    std::string s;
    for (auto c : cigar) {
        s += std::to_string(bam_cigar_oplen(c));
        s.push_back(bam_cigar_opchr(c));
    }
    return s;
}

std::int64_t five_prime(const alignment& a) { return a.reverse ? a.ref_end : a.pos; }

void append_z(bam1_t* b, const char* tag, const std::string& v) {
    if (bam_aux_append(b, tag, 'Z', static_cast<int>(v.size() + 1), reinterpret_cast<const std::uint8_t*>(v.c_str())) < 0)
        throw std::bad_alloc();
}

void append_i(bam1_t* b, const char* tag, std::int64_t v) {
    if (bam_aux_update_int(b, tag, v) < 0) throw std::bad_alloc();
}

std::string sa_entry(const alignment& a, const genome_index& index) {
    return index.contigs()[static_cast<std::size_t>(a.contig)].name + "," + std::to_string(a.pos + 1) + "," +
           (a.reverse ? "-" : "+") + "," + cigar_string(a.cigar) + "," + std::to_string(a.mapq) + "," +
           std::to_string(a.nm) + ";";
}

}  // namespace

void make_records(const pair_result& pair, bool paired, const read_record& r1, const read_record* r2,
                  const genome_index& index, const std::string& rg, std::vector<record>& out) {
    const read_record* reads[2] = {&r1, r2};
    const int n = paired ? 2 : 1;
    for (int r = 0; r < n; ++r) {
        const read_result& self = pair.read[r];
        const alignment* mate = paired ? &pair.read[1 - r].primary : nullptr;
        const bool mapped = self.primary.contig >= 0;
        const bool mate_mapped = mate && mate->contig >= 0;
        // parts: primary, supplementaries (chimeric pieces, SA tags) ; then secondaries (flag 256, no SA).
        std::vector<const alignment*> parts;
        if (mapped) {
            parts.push_back(&self.primary);
            for (const auto& s : self.supplementary) parts.push_back(&s);
        } else {
            parts.push_back(nullptr);
        }
        const std::size_t n_parts = parts.size();
        if (mapped)
            for (const auto& s : self.secondary) parts.push_back(&s);
        for (std::size_t p = 0; p < parts.size(); ++p) {
            const alignment* a = parts[p];
            const bool secondary = p >= n_parts;
            std::uint16_t flag = 0;
            if (paired) {
                flag |= BAM_FPAIRED | (r == 0 ? BAM_FREAD1 : BAM_FREAD2);
                if (pair.proper && mapped && mate_mapped) flag |= BAM_FPROPER_PAIR;
                if (!mate_mapped) flag |= BAM_FMUNMAP;
                if (mate_mapped && mate->reverse) flag |= BAM_FMREVERSE;
            }
            if (!a) flag |= BAM_FUNMAP;
            if (a && a->reverse) flag |= BAM_FREVERSE;
            if (p > 0) flag |= secondary ? BAM_FSECONDARY : BAM_FSUPPLEMENTARY;
            std::int32_t tid = -1, mtid = -1;
            std::int64_t pos = -1, mpos = -1, tlen = 0;
            if (a) {
                tid = a->contig;
                pos = a->pos;
            } else if (mate_mapped) {
                tid = mate->contig;
                pos = mate->pos;
            }
            if (mate_mapped) {
                mtid = mate->contig;
                mpos = mate->pos;
            } else if (paired && mapped) {
                mtid = self.primary.contig;
                mpos = self.primary.pos;
            }
            if (p == 0 && mapped && mate_mapped && mate->contig == self.primary.contig)
                tlen = five_prime(*mate) - five_prime(self.primary);
            const read_record& rd = *reads[r];
            std::string seq = rd.seq, qual = rd.qual;
            if (a && a->reverse) {
                seq = reverse_complement(seq);
                std::reverse(qual.begin(), qual.end());
            }
            std::string name = base_name(rd.name);
            record b(bam_init1());
            if (!b) throw std::bad_alloc();
            if (bam_set1(b.get(), name.size(), name.c_str(), flag, tid, pos, a ? static_cast<std::uint8_t>(a->mapq) : 0,
                         a ? a->cigar.size() : 0, a ? a->cigar.data() : nullptr, mtid, mpos, tlen, seq.size(), seq.c_str(),
                         qual.c_str(), 64) < 0)
                throw runtime_failure("cannot build a BAM record for read " + name);
            if (a) {
                append_i(b.get(), "NM", a->nm);
                append_z(b.get(), "MD", a->md);
            }
            if (mate_mapped) append_z(b.get(), "MC", cigar_string(mate->cigar));
            if (a) {
                append_i(b.get(), "AS", a->score);
                append_i(b.get(), "XS", a->sub_score);
            }
            if (!rg.empty()) append_z(b.get(), "RG", rg);
            if (mate_mapped) append_i(b.get(), "MQ", mate->mapq);
            if (a && !secondary && n_parts > 1) {
                std::string sa;
                for (std::size_t q = 0; q < n_parts; ++q)
                    if (q != p) sa += sa_entry(*parts[q], index);
                append_z(b.get(), "SA", sa);
            }
            out.push_back(std::move(b));
        }
    }
}

bool record_less(const bam1_t* a, const bam1_t* b) {
    auto ta = static_cast<std::uint32_t>(a->core.tid), tb = static_cast<std::uint32_t>(b->core.tid);
    if (ta != tb) return ta < tb;
    if (a->core.pos != b->core.pos) return a->core.pos < b->core.pos;
    bool ra = bam_is_rev(a), rb = bam_is_rev(b);
    if (ra != rb) return ra < rb;
    int c = std::strcmp(bam_get_qname(a), bam_get_qname(b));
    if (c != 0) return c < 0;
    return a->core.flag < b->core.flag;
}

sam_hdr_t* make_header(const genome_index& index, const std::string& read_group, const std::string& command_line,
                       std::string& read_group_id) {
    sam_hdr_t* h = sam_hdr_init();
    if (!h) throw std::bad_alloc();
    std::string text = "@HD\tVN:1.6\tSO:coordinate\n";
    for (const auto& c : index.contigs()) text += "@SQ\tSN:" + c.name + "\tLN:" + std::to_string(c.length) + "\n";
    read_group_id.clear();
    if (!read_group.empty()) {
        std::string line;
        for (std::size_t i = 0; i < read_group.size(); ++i) {
            if (read_group[i] == '\\' && i + 1 < read_group.size() && read_group[i + 1] == 't') {
                line.push_back('\t');
                ++i;
            } else {
                line.push_back(read_group[i]);
            }
        }
        if (line.rfind("@RG\t", 0) != 0 || line.find('\n') != std::string::npos)
            throw input_error("--read-group must be one header line starting with @RG\\t, e.g. '@RG\\tID:s1\\tSM:s1'");
        auto id = line.find("\tID:");
        if (id == std::string::npos) throw input_error("--read-group needs an ID: field, e.g. '@RG\\tID:s1\\tSM:s1'");
        auto end = line.find('\t', id + 4);
        read_group_id = line.substr(id + 4, end == std::string::npos ? std::string::npos : end - id - 4);
        if (read_group_id.empty()) throw input_error("--read-group has an empty ID");
        text += line + "\n";
    }
    std::string cl;
    for (char ch : command_line) cl.push_back(ch == '\t' || ch == '\n' ? ' ' : ch);
    text += "@PG\tID:precis\tPN:precis\tCL:" + cl + "\n";
    if (sam_hdr_add_lines(h, text.c_str(), text.size()) != 0) {
        sam_hdr_destroy(h);
        throw input_error("cannot build the BAM header (check --read-group)");
    }
    return h;
}

}  // namespace precis::align::detail
