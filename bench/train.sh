#!/usr/bin/env bash
# precis train vs R glmnet (cv.glmnet, family = "binomial") on the same problem: the same simulated cohort,
# the same train/test split and CV folds (precis's --folds-out, passed to cv.glmnet as foldid), the same lambda
# path (precis's /path/lambda converted to glmnet's scale), the same features (kept variants with missing
# dosages imputed to the training mean, constant ones dropped; age, sex unpenalised), the same
# standardisation (1/n sd, per fold) and the same selection (minimum CV binomial deviance); one thread each.
# Also: cv.glmnet with its own defaults (random folds, its own path) for reference; precis at 2 ranks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# bench/train.sh scale: the issue's scale check, 20,000 samples x 100,000 variants (2 billion genotypes),
# trained at 2 ranks with a short path (few lambdas, 2 folds) to fit a shared 2-core machine; records wall
# time and peak RSS per rank (/usr/bin/time around each rank) and the communication counters of the log.
if [ "${1:-}" = scale ]; then
  work=bench/work/train_scale
  mkdir -p "$work"
  if [ ! -s "$work/cohort.h5" ]; then
    /usr/bin/time -f "simulate %e s %M KB" -a -o "$work/times.txt" "$PRECIS" simulate --out-dir "$work/world" --seed 5 \
      --samples 20000 --variants 100000 --contigs 2 --contig-length 20000000 --genes 4 --patients 0 --causal 200 \
      --heritability 0.6 --threads 1 --quiet
    /usr/bin/time -f "convert %e s %M KB" -a -o "$work/times.txt" "$PRECIS" convert --vcf "$work/world/cohort.vcf.gz" \
      --phenotypes "$work/world/phenotypes.tsv" --covariates "$work/world/covariates.tsv" --out "$work/cohort.h5" --quiet
  fi
  ranks=${BENCH_TRAIN_RANKS:-2}
  /usr/bin/time -f "train_${ranks}ranks_wall %e s" -a -o "$work/times.txt" mpiexec --oversubscribe -n "$ranks" \
    /usr/bin/time -f "train rank peak RSS %M KB, %e s" -a -o "$work/times.txt" "$PRECIS" train --cohort "$work/cohort.h5" \
    --phenotype disease --covariates age,sex --alpha 0.5 --nlambda "${BENCH_TRAIN_NLAMBDA:-10}" --folds 2 \
    --lambda-min-ratio "${BENCH_TRAIN_LMR:-0.05}" --threads 1 --out "$work/model.h5" --pgs-out "$work/pgs.txt" 2>"$work/train.log"
  cat "$work/times.txt"
  grep -E "training data|path:|elastic-net fits|chosen|test AUC" "$work/train.log"
  exit 0
fi
work=bench/work/train
mkdir -p "$work"
timings=$work/timings.txt
: >"$timings"
samples=${BENCH_TRAIN_SAMPLES:-4000}
variants=${BENCH_TRAIN_VARIANTS:-6000}
alpha=0.5

if [ ! -s "$work/cohort.h5" ]; then
  "$PRECIS" simulate --out-dir "$work/world" --seed 3 --samples "$samples" --variants "$variants" --contigs 2 \
    --contig-length 4000000 --genes 4 --patients 0 --causal 50 --heritability 0.6 --quiet >&2
  "$PRECIS" convert --vcf "$work/world/cohort.vcf.gz" --phenotypes "$work/world/phenotypes.tsv" \
    --covariates "$work/world/covariates.tsv" --out "$work/cohort.h5" --quiet >&2
fi
train_args=(--cohort "$work/cohort.h5" --phenotype disease --covariates age,sex --alpha $alpha --nlambda 50 --lambda-min-ratio 0.05
  --folds 5 --threads 1 --quiet)
measure precis_train_1rank -- "$PRECIS" train "${train_args[@]}" --out "$work/model.h5" --pgs-out "$work/pgs.txt" \
  --folds-out "$work/folds.tsv"
measure precis_train_2ranks -- mpiexec --oversubscribe -n 2 "$PRECIS" train "${train_args[@]}" --out "$work/model2.h5" \
  --pgs-out "$work/pgs2.txt"
# The PGS files' headers carry the creation time: compare the weight rows.
same_2=$(cmp -s <(grep -v '^#' "$work/pgs.txt") <(grep -v '^#' "$work/pgs2.txt") && echo "identical weights" ||
  echo "DIFFERENT weights")

# The same data for R: dosage matrix of the cohort's biallelic rows (bcftools norm -m- splits as convert does).
if [ ! -s "$work/dosage.tsv" ]; then
  bcftools norm -m- "$work/world/cohort.vcf.gz" 2>/dev/null |
    bcftools query -f '%CHROM:%POS:%REF:%ALT[\t%GT]\n' |
    awk -F'\t' '{printf "%s", $1; for (i = 2; i <= NF; i++) {g = $i; d = (g ~ /\./) ? "NA" : (substr(g, 1, 1) != "0") + (substr(g, 3, 1) != "0"); printf "\t%s", d} printf "\n"}' >"$work/dosage.tsv"
  bcftools query -l "$work/world/cohort.vcf.gz" >"$work/samples.txt"
fi
h5vector() { h5dump -y -w 0 -o "$3" -d "$2" "$1" >/dev/null && tr ',' '\n' <"$3" | tr -d ' ' | grep -v '^$' >"$3.tmp" && mv "$3.tmp" "$3"; }
h5vector "$work/model.h5" /path/lambda "$work/precis_lambda.txt"
h5vector "$work/model.h5" /path/cv_deviance "$work/precis_cvdev.txt"
h5vector "$work/model.h5" /path/n_nonzero "$work/precis_nz.txt"
h5attr() { h5dump -y -a "$2" "$1" | awk '/DATA \{/ {getline; gsub(/[^0-9eE.+-]/, ""); print; exit}'; }
chosen=$(h5attr "$work/model.h5" /path/chosen_index)
auc_p=$(h5attr "$work/model.h5" /metrics/auc)
cat >"$work/glmnet.R" <<'REOF'
suppressMessages(library(glmnet))
args <- commandArgs(TRUE); dir <- args[1]; alpha <- as.numeric(args[2]); chosen <- as.integer(args[3]) + 1
samples <- readLines(file.path(dir, "samples.txt"))
g <- scan(file.path(dir, "dosage.tsv"), what = c(list(""), rep(list(0), length(samples))),
          sep = "\t", na.strings = "NA", quiet = TRUE)
ids <- g[[1]]; G <- t(do.call(cbind, g[-1])); colnames(G) <- ids; rm(g)
folds <- read.delim(file.path(dir, "folds.tsv"), colClasses = "character")
role <- folds$role[match(samples, folds$sample_id)]
test <- role == "test"; train <- grepl("^fold", role)
foldid <- as.integer(sub("fold", "", role[train]))
# precis's rules: a missing dosage is the training mean of the observed ones; a column constant over the
# training samples (after that imputation) carries no weight -- dropped here (glmnet would ignore it too); in a
# fold's fit, a column whose observed (not imputed) dosages are constant over the fold's fitting samples carries
# no weight either (the exclude function below, which cv.glmnet applies to each fold's training rows).
missing <- is.na(G)
for (j in seq_len(ncol(G))) {
  m <- mean(G[train, j], na.rm = TRUE); if (is.nan(m)) m <- 0
  G[is.na(G[, j]), j] <- m
}
varies <- apply(G[train, ], 2, function(v) max(v) > min(v))
G <- G[, varies]; missing <- missing[, varies]
rownames(G) <- samples
ph <- read.delim(file.path(dir, "world/phenotypes.tsv")); cv <- read.delim(file.path(dir, "world/covariates.tsv"))
y <- ph$disease[match(samples, ph$sample_id)]
X <- cbind(age = cv$age[match(samples, cv$sample_id)], sex = cv$sex[match(samples, cv$sample_id)], G)
pf <- c(0, 0, rep(1, ncol(G)))
observed_constant <- function(x, ...) {
  obs <- x[, -(1:2), drop = FALSE]
  obs[missing[match(rownames(x), samples), , drop = FALSE]] <- NA
  lo <- suppressWarnings(apply(obs, 2, min, na.rm = TRUE)); hi <- suppressWarnings(apply(obs, 2, max, na.rm = TRUE))
  which(!(hi > lo)) + 2
}
# glmnet rescales the penalty factors to sum to the number of columns: its lambda x (p + 2) / p is precis's.
lam_p <- as.numeric(readLines(file.path(dir, "precis_lambda.txt")))
lam <- lam_p * ncol(G) / (ncol(G) + 2)
aucf <- function(eta, yt) { r <- rank(eta); np <- sum(yt == 1); nn <- sum(yt == 0)
  (sum(r[yt == 1]) - np * (np + 1) / 2) / (np * nn) }
t0 <- proc.time()[["elapsed"]]
fit <- cv.glmnet(X[train, ], y[train], family = "binomial", alpha = alpha, foldid = foldid, lambda = lam,
                 penalty.factor = pf, type.measure = "deviance", exclude = observed_constant)
t1 <- proc.time()[["elapsed"]]
imin <- which(fit$lambda == fit$lambda.min)
yt <- y[test]
auc_g <- aucf(as.numeric(predict(fit$glmnet.fit, X[test, ], s = fit$lambda.min, type = "link")), yt)
b_min <- as.matrix(coef(fit$glmnet.fit, s = fit$lambda.min))[-(1:3), 1]
# At precis's chosen lambda (a lambda of the path, so no interpolation).
b_same <- as.matrix(coef(fit$glmnet.fit, s = lam[chosen]))[-(1:3), 1]
auc_same <- aucf(as.numeric(predict(fit$glmnet.fit, X[test, ], s = lam[chosen], type = "link")), yt)
pg <- read.delim(pipe(paste("grep -v '^#'", file.path(dir, "pgs.txt"))),
                 colClasses = c(chr_name = "character", effect_allele = "character", other_allele = "character"))
key <- paste(pg$chr_name, pg$chr_position, pg$other_allele, pg$effect_allele, sep = ":")
wp <- setNames(rep(0, length(b_same)), names(b_same)); wp[key[key %in% names(b_same)]] <- pg$effect_weight[key %in% names(b_same)]
sdv <- apply(G[train, ], 2, function(v) sqrt(mean((v - mean(v))^2)))
cvp <- as.numeric(readLines(file.path(dir, "precis_cvdev.txt")))
worst <- names(which.max(abs(b_same - wp)))
# cv.glmnet with its own defaults (random folds, its own path), for reference.
set.seed(1)
t2 <- proc.time()[["elapsed"]]
fd <- cv.glmnet(X[train, ], y[train], family = "binomial", alpha = alpha, nfolds = 5, nlambda = 50, penalty.factor = pf)
t3 <- proc.time()[["elapsed"]]
auc_d <- aucf(as.numeric(predict(fd, X[test, ], s = "lambda.min", type = "link")), yt)
writeLines(c(sprintf("fit_s %.2f", t1 - t0), sprintf("imin %d", imin - 1), sprintf("auc %.4f", auc_g),
             sprintf("nz %d", sum(b_min != 0)), sprintf("auc_same %.4f", auc_same), sprintf("nz_same %d", sum(b_same != 0)),
             sprintf("corr_orig %.5f", cor(b_same, wp)), sprintf("corr_std %.5f", cor(b_same * sdv, wp * sdv)),
             sprintf("max_abs_diff_std %.3g", max(abs(b_same - wp) * sdv)), sprintf("worst %s", worst),
             sprintf("cv_max_abs_diff %.3g", max(abs(fit$cvm - cvp[seq_along(fit$cvm)]))),
             sprintf("cv_at_chosen %.5f", fit$cvm[chosen]), sprintf("cv_min_glmnet %.5f", min(fit$cvm)),
             sprintf("n_columns %d", ncol(G)), sprintf("default_s %.2f", t3 - t2), sprintf("default_auc %.4f", auc_d),
             sprintf("default_nz %d", sum(as.matrix(coef(fd, s = "lambda.min"))[-(1:3), 1] != 0))),
           file.path(dir, "glmnet_summary.txt"))
write.table(data.frame(lambda_precis = lam_p, cvm_glmnet = fit$cvm, cvm_precis = cvp[seq_along(fit$cvm)],
                       nz_glmnet = fit$nzero), file.path(dir, "cv_curves.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
REOF
measure r_glmnet -- Rscript "$work/glmnet.R" "$work" $alpha "$chosen"
val() { awk -v k="$1" '$1 == k {print $2}' "$work/glmnet_summary.txt"; }
nz_p=$(grep -vc '^#' "$work/pgs.txt" | awk '{print $1 - 1}')
t_r=$(median r_glmnet 2)
t_p1=$(median precis_train_1rank 2)
t_p2=$(median precis_train_2ranks 2)
cat <<EOT
## train: precis train vs R glmnet cv.glmnet (elastic net, binomial, alpha $alpha)

Input: simulated cohort, $samples samples x $variants variants, 50 causal, h2 0.6, prevalence ~0.1; features:
every variant constant-free in the training samples ($(val n_columns) columns; missing dosage = training mean)
+ age, sex unpenalised; precis's stratified 80/20 split and 5 CV folds (--folds-out, cv.glmnet foldid), precis's
50-lambda path (glmnet scale: x p/(p+2)), lambda by minimum mean CV binomial deviance in both; 1 thread each.
One run each (wall seconds; the machine's 2 cores were shared with other work, so times are noisy). R's wall
time includes reading the dosage text and a second cv.glmnet with its defaults; its first cv.glmnet alone took
$(val fit_s) s.

| tool | wall s | peak RSS MB | chosen lambda index | test AUC | nonzero weights |
|---|---|---|---|---|---|
| R cv.glmnet (same folds, same path) | $(val fit_s) (fit only) | $(( $(median r_glmnet 5) / 1024 )) | $(val imin) | $(val auc) | $(val nz) |
| precis train, 1 rank | $t_p1 | $(( $(median precis_train_1rank 5) / 1024 )) | $chosen | $auc_p | $nz_p |
| precis train, 2 ranks | $t_p2 | $(( $(median precis_train_2ranks 5) / 1024 )) (per rank) | | $same_2 | |
| R glmnet at precis's chosen lambda | | | $chosen | $(val auc_same) | $(val nz_same) |
| R cv.glmnet, its defaults (own folds, own path) | $(val default_s) | | | $(val default_auc) | $(val default_nz) |

Test AUC difference precis - glmnet (each at its own lambda.min): $(awk -v a="$auc_p" -v b="$(val auc)" 'BEGIN {printf "%.4f", a - b}') (goal |d| <= 0.005).
Variant weights at precis's chosen lambda vs glmnet's at the same lambda (all columns, zeros included):
correlation $(val corr_orig) on the original scale, $(val corr_std) on the standardised scale (goal >= 0.99);
largest standardised difference $(val max_abs_diff_std) ($(val worst)).
CV curves: largest |precis - glmnet| mean CV deviance over the path $(val cv_max_abs_diff); glmnet's CV deviance
at precis's lambda $(val cv_at_chosen), its minimum $(val cv_min_glmnet). Per-lambda curves: $work/cv_curves.tsv.
Parallel efficiency 1 -> 2 ranks: $(awk -v a="$t_p1" -v b="$t_p2" 'BEGIN {printf "%.2f", a / (2 * b)}').
EOT
