# write_workflow_config NAME: a small world for the workflow tests (fewer samples and variants than
# configs/demo.ini), every output under NAME/, annotate per patient (two patients), reports without PDFs
# with a fixed date and one site key, so that runs can be compared byte for byte.
write_workflow_config() {
  (umask 077 && mkdir -p "$1.secure" && printf 'precis test site key 0123456789abcdef\n' >"$1.secure/site.key")
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
coverage = 10
[index]
ref = $1/world/reference.fa
out = $1/reference.pidx
[align]
ref = $1/world/reference.fa
index = $1/reference.pidx
reads1 = $1/world/patients/{patient}_R1.fq.gz
reads2 = $1/world/patients/{patient}_R2.fq.gz
out = $1/{patient}.bam
read-group = @RG\\tID:{patient}\\tSM:{patient}
[call]
ref = $1/world/reference.fa
bam = $1/{patient}.bam
out = $1/{patient}.calls.vcf.gz
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
vcf = $1/{patient}.calls.vcf.gz
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
[patients]
vcfs = $1/P*.calls.vcf.gz
out-dir = $1/patients
model = $1/model.h5
cohort = $1/cohort.h5
[report]
scores = $1/patients/scores.tsv
findings = $1/P0001.findings.tsv
findings = $1/P0002.findings.tsv
contributions = $1/patients/contributions.tsv
pcs = $1/patients/pcs.tsv
model = $1/model.h5
key = $1.secure/site.key
out-dir = $1/reports
date = 2026-11-22
no-pdf = true
EOC
}
