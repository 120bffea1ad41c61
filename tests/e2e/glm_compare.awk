# Compares two plink2-layout --glm tables (precis first, plink2 second) on the variants both report with
# a P value. Joins on CHROM (without a "chr" prefix), POS, REF, ALT. beta is BETA, or Z_STAT * LOG(OR)_SE
# for logistic tables (both printed with 6 significant digits, so beta keeps ~1e-6 relative precision).
# Prints: shared max_dlog10p max_rel_dbeta max_dbeta_over_se n_rel_dbeta_over_1e-4 firth_mismatch
#         only_precis only_plink2 worst_p=KEY worst_beta=KEY
BEGIN { FS = "\t" }
FNR == 1 {
  delete col
  for (i = 1; i <= NF; i++) col[$i] = i
  file++
  next
}
{
  chrom = $col["#CHROM"]; sub(/^chr/, "", chrom)
  key = chrom SUBSEP $col["POS"] SUBSEP $col["REF"] SUBSEP $col["ALT"]
  p = $col["P"]
  se = ("SE" in col) ? $col["SE"] : $col["LOG(OR)_SE"]
  if ("BETA" in col) b = $col["BETA"]; else if (p != "NA") b = $col["Z_STAT"] * se; else b = "NA"
  f = ("FIRTH?" in col) ? $col["FIRTH?"] : "."
  if (file == 1) { p1[key] = p; b1[key] = b; f1[key] = f }
  else { p2[key] = p; b2[key] = b; f2[key] = f; s2[key] = se }
}
END {
  shared = 0; dl = 0; db = 0; ds = 0; nb = 0; fm = 0; o1 = 0; o2 = 0
  for (k in p1) {
    if (!(k in p2)) { o1++; continue }
    if (p1[k] == "NA" || p2[k] == "NA") { if (p1[k] != p2[k]) (p1[k] == "NA" ? o2++ : o1++); continue }
    shared++
    a = (p1[k] > 0 ? log(p1[k]) : -708) / log(10); c = (p2[k] > 0 ? log(p2[k]) : -708) / log(10)
    d = a - c; if (d < 0) d = -d; if (d > dl) { dl = d; wl = k }
    den = b2[k] < 0 ? -b2[k] : b2[k]; if (den < 1e-300) den = 1e-300
    r = (b1[k] - b2[k]) / den; if (r < 0) r = -r; if (r > db) { db = r; wb = k }
    if (r >= 1e-4) nb++
    z = (b1[k] - b2[k]) / s2[k]; if (z < 0) z = -z; if (z > ds) ds = z
    if (f1[k] != f2[k]) fm++
  }
  for (k in p2) if (!(k in p1)) o2++
  gsub(SUBSEP, ":", wl); gsub(SUBSEP, ":", wb)
  printf "%d %.3g %.3g %.3g %d %d %d %d worst_p=%s worst_beta=%s\n", shared, dl, db, ds, nb, fm, o1, o2, wl, wb
}
