#!/usr/bin/env bash
# precis train vs R glmnet cv.glmnet(family = "binomial") on the same simulated cohort, the same train/test
# split (precis's, read from model.h5) and the same features (kept variants + age, sex unpenalised), one thread
# each. Reports time ratio, test AUC of both, correlation of the variant weights, peak RSS, 1 -> 2 ranks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
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
train_args=(--cohort "$work/cohort.h5" --phenotype disease --covariates age,sex --alpha $alpha --nlambda 50
  --folds 5 --threads 1 --quiet)
measure precis_train_1rank -- "$PRECIS" train "${train_args[@]}" --out "$work/model.h5" --pgs-out "$work/pgs.txt"
measure precis_train_2ranks -- mpiexec --oversubscribe -n 2 "$PRECIS" train "${train_args[@]}" --out "$work/model2.h5"

# The same data for R: dosage matrix of the cohort's biallelic rows (bcftools norm -m- splits as convert does).
if [ ! -s "$work/dosage.tsv" ]; then
  bcftools norm -m- "$work/world/cohort.vcf.gz" 2>/dev/null |
    bcftools query -f '%CHROM:%POS:%REF:%ALT[\t%GT]\n' |
    awk -F'\t' '{printf "%s", $1; for (i = 2; i <= NF; i++) {g = $i; d = (g ~ /\./) ? "NA" :
      (substr(g, 1, 1) != "0") + (substr(g, 3, 1) != "0"); printf "\t%s", d} printf "\n"}' >"$work/dosage.tsv"
  bcftools query -l "$work/world/cohort.vcf.gz" >"$work/samples.txt"
fi
h5dump -y -w 0 -d /metrics/test_samples "$work/model.h5" | grep -o '"[^"]*"' | tr -d '"' >"$work/test_samples.txt"
cat >"$work/glmnet.R" <<'REOF'
suppressMessages(library(glmnet))
args <- commandArgs(TRUE); dir <- args[1]; alpha <- as.numeric(args[2]); lam_p <- as.numeric(args[3])
samples <- readLines(file.path(dir, "samples.txt"))
g <- scan(file.path(dir, "dosage.tsv"), what = c(list(""), rep(list(0), length(samples))),
          sep = "\t", na.strings = "NA", quiet = TRUE)
ids <- g[[1]]; G <- do.call(cbind, g[-1]); G <- t(G); colnames(G) <- ids
for (j in seq_len(ncol(G))) { m <- mean(G[, j], na.rm = TRUE); G[is.na(G[, j]), j] <- m }
test <- samples %in% readLines(file.path(dir, "test_samples.txt"))
G <- G[, apply(G[!test, ], 2, var) > 0]
ph <- read.delim(file.path(dir, "world/phenotypes.tsv")); cv <- read.delim(file.path(dir, "world/covariates.tsv"))
y <- ph$disease[match(samples, ph$sample_id)]
X <- cbind(age = cv$age[match(samples, cv$sample_id)], sex = cv$sex[match(samples, cv$sample_id)], G)
set.seed(1)
t0 <- proc.time()[["elapsed"]]
fit <- cv.glmnet(X[!test, ], y[!test], family = "binomial", alpha = alpha, nfolds = 5, nlambda = 50,
                 penalty.factor = c(0, 0, rep(1, ncol(G))))
t1 <- proc.time()[["elapsed"]]
eta <- as.numeric(predict(fit, X[test, ], s = "lambda.min", type = "link"))
yt <- y[test]; r <- rank(eta); np <- sum(yt == 1); nn <- sum(yt == 0)
auc <- (sum(r[yt == 1]) - np * (np + 1) / 2) / (np * nn)
b <- as.matrix(coef(fit, s = "lambda.min"))[-(1:3), 1]
write.table(data.frame(id = names(b), w = b), file.path(dir, "glmnet_weights.tsv"), sep = "\t", quote = FALSE,
            row.names = FALSE)
# glmnet at precis's chosen lambda (glmnet rescales penalty factors to sum to the column count: p / (p + 2)).
lam <- lam_p * ncol(G) / (ncol(G) + 2)
f2 <- glmnet(X[!test, ], y[!test], family = "binomial", alpha = alpha, lambda.min.ratio = 1e-3, nlambda = 200,
             penalty.factor = c(0, 0, rep(1, ncol(G))), thresh = 1e-10)
eta2 <- predict(f2, X[test, ], s = lam, type = "link")[, 1]; r2 <- rank(eta2)
b2 <- as.matrix(coef(f2, s = lam))[-(1:3), 1]
pg <- read.delim(pipe(paste("grep -v '^#'", file.path(dir, "pgs.txt"))),
                 colClasses = c(chr_name = "character", effect_allele = "character", other_allele = "character"))
key <- paste(pg$chr_name, pg$chr_position, pg$other_allele, pg$effect_allele, sep = ":")
wp <- setNames(rep(0, length(b2)), names(b2)); wp[key[key %in% names(b2)]] <- pg$effect_weight[key %in% names(b2)]
sdv <- apply(G[!test, ], 2, function(v) sqrt(mean((v - mean(v))^2)))
writeLines(sprintf("%.3f %.4f %d %.4f %d %.4f %.4f", t1 - t0, auc, sum(b != 0), (sum(r2[yt == 1]) - np * (np + 1) / 2) / (np * nn),
                   sum(b2 != 0), cor(b2 * sdv, wp * sdv), cor(b2, wp)), file.path(dir, "glmnet_summary.txt"))
REOF
lambda_p=$(h5dump -y -a /path/chosen_lambda "$work/model.h5" | awk '/DATA \{/ {getline; gsub(/[^0-9eE.+-]/, ""); print}')
measure r_glmnet -- Rscript "$work/glmnet.R" "$work" $alpha "$lambda_p"
read -r t_fit auc_r nz_r auc_same nz_same corr_std corr_orig <"$work/glmnet_summary.txt"
auc_p=$(h5dump -y -a /metrics/auc "$work/model.h5" | awk '/DATA \{/ {getline; gsub(/[^0-9eE.+-]/, ""); print; exit}')
nz_p=$(grep -vc '^#' "$work/pgs.txt" | awk '{print $1 - 1}')
t_r=$(median r_glmnet 2)
t_p1=$(median precis_train_1rank 2)
t_p2=$(median precis_train_2ranks 2)
cat <<EOT
## train: precis train vs R glmnet cv.glmnet (elastic net, binomial, alpha $alpha)

Input: simulated cohort, $samples samples x $variants variants, 50 causal, h2 0.6, prevalence ~0.1; features:
every variant (missing -> mean) + age, sex unpenalised; precis's stratified 80/20 split (the test samples are
read from model.h5), 5-fold CV, 50 lambdas, lambda by minimum CV deviance; 1 thread each. One run each (wall
seconds; the machine's 2 cores were shared with other work, so times are noisy). R's time includes reading
the dosage text (its cv.glmnet alone: ${t_fit} s).

| tool | wall s | ratio vs glmnet | peak RSS MB | test AUC | nonzero weights |
|---|---|---|---|---|---|
| R glmnet cv.glmnet | $t_r | 1.00 | $(( $(median r_glmnet 5) / 1024 )) | $auc_r | $nz_r |
| precis train, 1 rank | $t_p1 | $(ratio "$t_p1" "$t_r") | $(( $(median precis_train_1rank 5) / 1024 )) | $auc_p | $nz_p |
| R glmnet at precis's lambda (no CV) | | | | $auc_same | $nz_same |
| precis train, 2 ranks | $t_p2 | $(ratio "$t_p2" "$t_r") | $(( $(median precis_train_2ranks 5) / 1024 )) (per rank) | same model | |

Test AUC difference: $(awk -v a="$auc_p" -v b="$auc_r" 'BEGIN {d = a - b; printf "%.4f", d}') (goal |d| <= 0.005).
Correlation of the variant weights with glmnet's at precis's lambda (all variants, zeros included):
standardised scale (w x sd) $corr_std, original scale $corr_orig (goal >= 0.99).
Parallel efficiency 1 -> 2 ranks: $(awk -v a="$t_p1" -v b="$t_p2" 'BEGIN {printf "%.2f", a / (2 * b)}').
EOT
