# Refits logistic regressions in R for chosen variants, as an arbiter where precis and plink2 differ.
# Usage: Rscript bench/glm_check.R GENOTYPES.tsv PHENOTYPES.tsv COVARIATES.tsv
#   GENOTYPES.tsv: variant, sample_id, GT (bcftools query -f '[%CHROM:%POS:%REF:%ALT\t%SAMPLE\t%GT\n]')
# Prints per variant: variant, R's z and two-sided p of the ALT dosage in disease ~ dosage + age + sex.
args <- commandArgs(trailingOnly = TRUE)
g <- read.table(args[1], sep = "\t", col.names = c("variant", "sample_id", "gt"), colClasses = "character")
p <- read.table(args[2], header = TRUE, sep = "\t")
cv <- read.table(args[3], header = TRUE, sep = "\t")
dosage <- function(gt) {
  a <- strsplit(gsub("|", "/", gt, fixed = TRUE), "/", fixed = TRUE)
  sapply(a, function(x) if (any(x == ".")) NA else sum(as.integer(x) > 0))
}
for (v in unique(g$variant)) {
  d <- g[g$variant == v, ]
  d$dose <- dosage(d$gt)
  m <- merge(merge(d, p, by = "sample_id"), cv, by = "sample_id")
  m <- m[!is.na(m$dose) & !is.na(m$disease), ]
  f <- glm(disease ~ dose + age + sex, family = binomial, data = m,
           control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(f)$coefficients["dose", ]
  cat(sprintf("%s\t%.9g\t%.9g\n", v, s[3], s[4]))
}
