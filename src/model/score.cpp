// precis score: raw sums over a cohort (sample shards) or a VCF, then percentile, Z, ancestry-adjusted Z and
// absolute risk from the model's reference and calibration.
#include "precis/model/score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "precis/core/atomic_output.hpp"
#include "precis/core/error.hpp"
#include "precis/h5/cohort.hpp"
#include "precis/model/detail/scoring.hpp"
#include "precis/model/detail/shard_gather.hpp"
#include "precis/model/detail/training_data.hpp"
#include "precis/model/genotype_source.hpp"

namespace precis::model {

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();

// Raw sums of the kept samples of a cohort; rows of this rank's shard gathered on every rank.
detail::raw_scores score_cohort(const h5::cohort_reader& cohort, const genotype_source& source,
                                const score_weights& w, const mpi::communicator& comm) {
    detail::raw_scores out;
    const auto& kept = source.kept_variants();
    std::map<std::pair<std::string, std::int64_t>, std::vector<std::size_t>> by_site;
    for (std::size_t k = 0; k < w.variants.size(); ++k)
        by_site[{normalise_contig(w.variants[k].chrom), w.variants[k].pos}].push_back(k);
    // For each kept variant: the weighted variant it matches and whether the effect allele is REF (flipped).
    std::vector<std::int64_t> match(kept.size(), -1);
    std::vector<std::uint8_t> flipped(kept.size(), 0), used(w.variants.size(), 0);
    auto rows = cohort.read_variants({0, cohort.n_variants()});
    for (std::size_t j = 0; j < kept.size(); ++j) {
        auto r = static_cast<std::size_t>(kept[j]);
        auto it = by_site.find({normalise_contig(rows.chrom[r]), rows.pos[r]});
        if (it == by_site.end()) continue;
        for (auto k : it->second) {
            const auto& v = w.variants[k];
            bool direct = detail::same_bases(v.effect_allele, rows.alt[r]) && (v.other_allele.empty() || detail::same_bases(v.other_allele, rows.ref[r]));
            bool swapped = detail::same_bases(v.effect_allele, rows.ref[r]) && (v.other_allele.empty() || detail::same_bases(v.other_allele, rows.alt[r]));
            if (used[k] || !(direct || swapped)) continue;
            used[k] = 1, match[j] = static_cast<std::int64_t>(k), flipped[j] = !direct;
            ++out.matched;
            break;
        }
    }
    const auto shard = source.shard();
    std::vector<double> local(static_cast<std::size_t>(shard.size()), 0.0);
    constexpr std::int64_t block = 2048;
    std::vector<std::int8_t> buf;
    for (std::int64_t first = 0; first < source.n_variants(); first += block) {
        const std::int64_t n = std::min(block, source.n_variants() - first);
        bool any = false;
        for (std::int64_t j = first; j < first + n; ++j) any = any || match[static_cast<std::size_t>(j)] >= 0;
        if (!any) continue;  // the same decision on every rank: the read stays collective
        source.read(first, n, buf);
        // Per matched row: its genotypes and weight x dosage for stored values 0, 1, 2 and missing (any other).
        struct row_terms {
            const std::int8_t* g;
            double term[4];
        };
        std::vector<row_terms> terms;
        for (std::int64_t j = first; j < first + n; ++j) {
            if (match[static_cast<std::size_t>(j)] < 0) continue;
            const auto& v = w.variants[static_cast<std::size_t>(match[static_cast<std::size_t>(j)])];
            const bool flip = flipped[static_cast<std::size_t>(j)];
            terms.push_back({buf.data() + (j - first) * shard.size(),
                             {v.weight * (flip ? 2 : 0), v.weight * 1, v.weight * (flip ? 0 : 2),
                              v.weight * detail::missing_dosage(v)}});
        }
        auto term = [](const row_terms& r, std::size_t i) {
            const auto stored = static_cast<std::uint8_t>(r.g[i]);
            return r.term[stored > 2 ? 3 : stored];
        };
        // Four rows per pass over the samples, added in row order as one at a time would.
        std::size_t t = 0;
        for (; t + 4 <= terms.size(); t += 4)
            for (std::size_t i = 0; i < local.size(); ++i)
                local[i] = local[i] + term(terms[t], i) + term(terms[t + 1], i) + term(terms[t + 2], i) + term(terms[t + 3], i);
        for (; t < terms.size(); ++t)
            for (std::size_t i = 0; i < local.size(); ++i) local[i] += term(terms[t], i);
    }
    out.raw = detail::gather_shards(local, comm);
    for (auto s : source.kept_samples()) out.samples.push_back(cohort.samples()[static_cast<std::size_t>(s)]);
    return out;
}

// sample_id PC1..PCk table for VCF samples.
std::map<std::string, std::vector<double>> read_pc_table(const std::filesystem::path& path) {
    require_readable_file(path, "--pcs");
    std::ifstream in(path);
    std::map<std::string, std::vector<double>> out;
    std::string line;
    std::int64_t line_no = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (++line_no == 1) {
            if (line.rfind("sample_id\tPC1", 0) != 0)
                throw input_error::at(path.string(), "line 1", "want the header sample_id PC1 .. PCk (precis pca --project)");
            continue;
        }
        if (line.empty()) continue;
        std::stringstream ss(line);
        std::string id, t;
        std::getline(ss, id, '\t');
        std::vector<double> pcs;
        while (std::getline(ss, t, '\t')) {
            char* end = nullptr;
            pcs.push_back(std::strtod(t.c_str(), &end));
            if (t.empty() || end != t.c_str() + t.size())
                throw input_error::at(path.string(), "line " + std::to_string(line_no), "'" + t + "' is not a number");
        }
        out[id] = pcs;
    }
    if (line_no == 0) throw input_error(path.string() + ": empty file (want sample_id PC1 .. PCk)");
    return out;
}

}  // namespace

std::vector<score_row> score(const score_options& o, const mpi::communicator& comm, const logger& log) {
    score_weights w;
    risk_model model, reference;
    bool have_model = !o.model.empty(), have_reference = have_model || !o.reference.empty();
    if (have_model) {
        model = read_model(o.model);
        w.variants = model.variants;
        w.reference_allele_known = true;
    } else {
        w.variants = read_pgs_file(o.pgs).variants;
    }
    reference = !o.reference.empty() ? read_model(o.reference) : model;
    const std::string weights_file = (have_model ? o.model : o.pgs).string();
    if (w.variants.empty()) throw input_error(weights_file + ": no weighted variants");

    detail::raw_scores raw;
    std::vector<std::vector<double>> pcs, covariates;  // per sample
    if (!o.cohort.empty()) {
        require_readable_file(o.cohort, "--cohort");
        auto cohort = h5::cohort_reader::open(o.cohort, comm.size() > 1 ? comm.get() : MPI_COMM_NULL);
        auto masks = read_masks(cohort);
        genotype_source source(cohort, masks, comm);
        raw = score_cohort(cohort, source, w, comm);
        std::int64_t k = static_cast<std::int64_t>(reference.pc_weights.size()) - 1;
        if (const std::int64_t have = k > 0 ? detail::pca_components(cohort) : 0; have >= k && k > 0) {
            std::int64_t n = k;
            auto flat = detail::read_pcs(cohort, source.kept_samples(), n);
            for (std::size_t i = 0; i < raw.raw.size(); ++i)
                pcs.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(i * static_cast<std::size_t>(k)),
                                 flat.begin() + static_cast<std::ptrdiff_t>((i + 1) * static_cast<std::size_t>(k)));
        } else if (have > 0) {
            log.warn(o.cohort.string(), ": /pca/scores has fewer than ", k, " components; ancestry_z is NA");
        }
        if (have_model) {
            auto known = cohort.covariate_names();
            std::int64_t n_pc = 0;
            for (const auto& name : model.covariate_names) n_pc += name.rfind("PC", 0) == 0;
            std::vector<double> flat;
            if (n_pc > 0) flat = detail::read_pcs(cohort, source.kept_samples(), n_pc);
            covariates.assign(raw.raw.size(), {});
            for (std::size_t c = 0; c < model.covariate_names.size(); ++c) {
                const auto& name = model.covariate_names[c];
                std::vector<double> all;
                if (std::find(known.begin(), known.end(), name) != known.end()) all = cohort.covariate(name);
                else if (name.rfind("PC", 0) != 0 || flat.empty())
                    log.warn(o.cohort.string(), " has no covariate ", name, " of the model: every sample gets its training mean ",
                             model.covariate_mean[c], " (absolute risks assume it)");
                for (std::size_t i = 0; i < raw.raw.size(); ++i) {
                    double v = nan;
                    if (!all.empty()) v = all[static_cast<std::size_t>(source.kept_samples()[i])];
                    else if (name.rfind("PC", 0) == 0 && !flat.empty())
                        v = flat[i * static_cast<std::size_t>(n_pc) + std::stoul(name.substr(2)) - 1];
                    covariates[i].push_back(std::isfinite(v) ? v : model.covariate_mean[c]);
                }
            }
        }
    } else {
        if (comm.is_root()) raw = detail::score_vcf(o.vcf, w, o.absent_is_reference, o.contributions, log);
        if (!o.pcs.empty()) {
            auto table = read_pc_table(o.pcs);
            for (const auto& s : raw.samples) pcs.push_back(table.count(s) ? table[s] : std::vector<double>{});
        }
        covariates.assign(raw.raw.size(), model.covariate_mean);  // unknown for a VCF: the training means
    }
    const std::int64_t matched = comm.size() > 1 ? comm.max(raw.matched) : raw.matched;
    if (matched == 0)
        throw input_error(weights_file + ": none of its " + std::to_string(w.variants.size()) + " variants matched " +
                          (o.cohort.empty() ? o.vcf : o.cohort).string() + " (contig, position and alleles)");
    log.info("matched ", matched, " of ", w.variants.size(), " weighted variants (",
             100.0 * static_cast<double>(matched) / static_cast<double>(w.variants.size()), "%)");
    if (!comm.is_root()) return {};

    std::vector<score_row> rows;
    const std::size_t k = reference.pc_weights.empty() ? 0 : reference.pc_weights.size() - 1;
    for (std::size_t i = 0; i < raw.raw.size(); ++i) {
        score_row r;
        r.sample = raw.samples[i];
        r.raw = raw.raw[i];
        r.matched = matched, r.total = static_cast<std::int64_t>(w.variants.size());
        r.percentile = have_reference ? percentile(reference.reference_scores, r.raw) : nan;
        r.z = have_reference && reference.reference_sd > 0 ? (r.raw - reference.reference_mean) / reference.reference_sd : nan;
        r.ancestry_z = nan;
        if (k > 0 && i < pcs.size() && pcs[i].size() >= k && reference.pc_residual_sd > 0) {
            double expected = reference.pc_weights[0];
            for (std::size_t c = 0; c < k; ++c) expected += reference.pc_weights[c + 1] * pcs[i][c];
            r.ancestry_z = (r.raw - expected) / reference.pc_residual_sd;
        }
        r.absolute_risk = nan;
        if (have_model && model.model_type == "mlp") {
            // The fusion network: inputs "PGS" (the raw score) and the covariates, in the model's order.
            std::vector<double> x;
            if (!model.network.inputs.empty() && model.network.inputs[0] == "PGS") x.push_back(r.raw);
            for (double c : covariates[i]) x.push_back(c);
            if (x.size() != model.network.inputs.size())
                throw input_error(o.model.string() + ": /mlp has " + std::to_string(model.network.inputs.size()) +
                                  " inputs, the model's score and covariates give " + std::to_string(x.size()));
            const double out = model.network.predict(x);
            r.absolute_risk = model.family == "binomial" ? logistic(out) : nan;
        } else if (have_model && model.family == "binomial") {
            double lp = model.intercept + r.raw;
            for (std::size_t c = 0; c < model.covariate_weights.size(); ++c) lp += model.covariate_weights[c] * covariates[i][c];
            r.absolute_risk = logistic(model.calibration.intercept + model.calibration.slope * lp);
        }
        if (i < raw.contributions.size()) {
            r.contributions = std::move(raw.contributions[i]);
            std::stable_sort(r.contributions.begin(), r.contributions.end(), [](const auto& a, const auto& b) {
                return std::abs(a.contribution) > std::abs(b.contribution);
            });
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

void write_contributions(const std::vector<score_row>& rows, const std::filesystem::path& path) {
    atomic_output out(path);
    {
        std::FILE* f = std::fopen(out.temp_path().c_str(), "w");
        if (!f) throw runtime_failure(out.final_path().string() + ": cannot create");
        std::fputs("sample_id\tchrom\tpos\teffect_allele\tweight\tdosage\tcontribution\n", f);
        for (const auto& r : rows)
            for (const auto& c : r.contributions)
                std::fprintf(f, "%s\t%s\t%lld\t%s\t%.12g\t%.12g\t%.12g\n", r.sample.c_str(), c.chrom.c_str(),
                             static_cast<long long>(c.pos), c.effect_allele.c_str(), c.weight, c.dosage, c.contribution);
        bool failed = std::ferror(f) != 0;
        if (std::fclose(f) != 0 || failed) throw runtime_failure(out.final_path().string() + ": write failed");
    }
    out.commit();
}

void write_scores(const std::vector<score_row>& rows, const std::filesystem::path& path) {
    atomic_output out(path);
    {
        std::FILE* f = std::fopen(out.temp_path().c_str(), "w");
        if (!f) throw runtime_failure(out.final_path().string() + ": cannot create");
        auto num = [&](double v) {
            if (std::isfinite(v)) std::fprintf(f, "\t%.12g", v);
            else std::fputs("\tNA", f);
        };
        std::fputs("sample_id\traw_score\tpercentile\tz\tancestry_z\tabsolute_risk\tmatched_variants\ttotal_variants\n", f);
        for (const auto& r : rows) {
            std::fputs(r.sample.c_str(), f);
            num(r.raw), num(r.percentile), num(r.z), num(r.ancestry_z), num(r.absolute_risk);
            std::fprintf(f, "\t%lld\t%lld\n", static_cast<long long>(r.matched), static_cast<long long>(r.total));
        }
        bool failed = std::ferror(f) != 0;
        if (std::fclose(f) != 0 || failed) throw runtime_failure(out.final_path().string() + ": write failed");
    }
    out.commit();
}

}  // namespace precis::model
