# write_workflow_config NAME: a small world for the workflow tests (fewer samples and variants than
# configs/demo.ini), every output under NAME/, annotate per patient (two patients).
write_workflow_config() {
  cat >"$1.ini" <<EOC
[workflow]
patient = P0001, P0002
[simulate]
out-dir = $1/world
seed = 11
contigs = 1
contig-length = 200000
genes = 4
samples = 300
variants = 600
causal = 5
heritability = 0.8
patients = 2
coverage = 2
[convert]
vcf = $1/world/cohort.vcf.gz
phenotypes = $1/world/phenotypes.tsv
covariates = $1/world/covariates.tsv
out = $1/cohort.h5
[export]
cohort = $1/cohort.h5
out = $1/roundtrip.vcf.gz
[annotate]
ref = $1/world/reference.fa
genes = $1/world/genes.gff3
vcf = $1/world/patients/{patient}.truth.vcf.gz
known = $1/world/clinvar.vcf.gz
out = $1/{patient}.annotated.vcf.gz
findings = $1/{patient}.findings.tsv
[qc]
cohort = $1/cohort.h5
tsv = $1/qc
[pca]
cohort = $1/cohort.h5
k = 4
[gwas]
cohort = $1/cohort.h5
phenotype = disease
covariates = age,sex
pcs = 2
out = $1/gwas
[train]
cohort = $1/cohort.h5
phenotype = disease
covariates = age,sex
pcs = 2
nlambda = 8
folds = 3
out = $1/model.h5
pgs-out = $1/model.pgs.txt
[score]
model = $1/model.h5
cohort = $1/cohort.h5
out = $1/scores.tsv
EOC
}
