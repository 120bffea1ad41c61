#!/usr/bin/env bash
# precis report end to end: a small simulated world -> train -> score and annotate two patients -> reports
# rendered in headless Chromium (non-blank screenshot, no console errors, PDF), numbers in HTML equal to
# JSON, escaping of hostile input, key permission checks, bad records (exit 2), identical output at 1, 2 and
# 4 ranks and shards.
source "$(dirname "$0")/lib.sh"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium not installed (scripts/setup.sh installs it); precis report tests need headless Chromium"
  exit 0
fi
headless() { "$chromium" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --disable-background-networking --no-first-run --user-data-dir="$work/chrome-profile" "$@"; }

# A small world: 2 ancestries, 2 patients; model with PCs; patient PCs projected on the cohort's /pca.
"$precis" simulate --out-dir sim --samples 1500 --variants 1500 --contigs 2 --contig-length 1000000 --genes 20 \
  --patients 2 --causal 20 --heritability 0.6 --ancestries 2 --quiet
"$precis" convert --vcf sim/cohort.vcf.gz --phenotypes sim/phenotypes.tsv --covariates sim/covariates.tsv \
  --out cohort.h5 --quiet
"$precis" pca --cohort cohort.h5 --k 4 --tsv pca --quiet
"$precis" train --cohort cohort.h5 --phenotype disease --covariates age,sex --pcs 2 --out model.h5 \
  --nlambda 12 --folds 3 --quiet
bcftools merge -0 -Oz -o patients.vcf.gz sim/patients/P0001.truth.vcf.gz sim/patients/P0002.truth.vcf.gz
bcftools index -t patients.vcf.gz
"$precis" pca --cohort cohort.h5 --project patients.vcf.gz --out patients.pcs.tsv --quiet
"$precis" score --model model.h5 --vcf patients.vcf.gz --pcs patients.pcs.tsv --out patients.scores.tsv \
  --contributions patients.contrib.tsv --quiet
"$precis" annotate --ref sim/reference.fa --genes sim/genes.gff3 --vcf patients.vcf.gz --known sim/clinvar.vcf.gz \
  --out patients.annotated.vcf.gz --findings patients.findings.tsv --quiet
h5dump -a /calibration/var_slope model.h5 | grep -q 'DATA' && pass "model.h5 has the recalibration covariance" \
  || fail "model.h5 lacks /calibration var_slope"
[ "$(head -1 patients.contrib.tsv)" = "$(printf 'sample_id\tchrom\tpos\teffect_allele\tweight\tdosage\tcontribution')" ] \
  && pass "score --contributions header" || fail "contributions header: $(head -1 patients.contrib.tsv)"
# Contributions + 2 x freq x weight sum to the raw score (per patient).
python3 - <<'PY' && pass "contributions add up to the raw scores" || fail "contributions do not add up"
import csv, subprocess, sys
raw = {r["sample_id"]: float(r["raw_score"]) for r in csv.DictReader(open("patients.scores.tsv"), delimiter="\t")}
tot = {}
for r in csv.DictReader(open("patients.contrib.tsv"), delimiter="\t"):
    tot[r["sample_id"]] = tot.get(r["sample_id"], 0) + float(r["weight"]) * float(r["dosage"])
sys.exit(0 if set(tot) == set(raw) and all(abs(tot[s] - raw[s]) < 1e-6 * (1 + abs(raw[s])) for s in raw) else 1)
PY

umask 022
printf 'demo-site-key-0123456789abcdef\n' >site.key
chmod 600 site.key
mkdir -p secure && chmod 700 secure
inputs=(--scores patients.scores.tsv --model model.h5 --findings patients.findings.tsv
        --contributions patients.contrib.tsv --pcs patients.pcs.tsv --reference-pcs pca.eigenvec --date 2026-01-15)
common=("${inputs[@]}" --key site.key --secure-dir secure)
"$precis" report "${common[@]}" --out-dir r1 --quiet
ls r1/patients/*.html r1/patients/*.json r1/patients/*.pdf r1/cohort.html r1/cohort.json r1/cohort.pdf >/dev/null \
  && pass "HTML, JSON and PDF for both patients and the cohort" || fail "missing outputs: $(ls -R r1)"
[ "$(ls r1/patients/*.html | wc -l)" -eq 2 ] || fail "wanted 2 patient pages: $(ls r1/patients)"
for f in r1/patients/*.pdf r1/cohort.pdf; do
  [ "$(head -c 4 "$f")" = "%PDF" ] || fail "$f is not a PDF"
done
pass "PDFs start with %PDF"
bad_modes=$(find r1 secure -type f ! -perm 600 -o -type d ! -perm 700 | grep -v '^secure$' || true)
[ -z "$bad_modes" ] && pass "files 0600, directories 0700 (umask 022)" || fail "modes: $bad_modes"
grep -rqE 'P000[12]' r1 && fail "a real patient ID appears in the pseudonymised reports" \
  || pass "no real patient ID in the reports"
awk -F'\t' 'NR > 1 {print $2}' secure/pseudonyms.tsv | sort | tr '\n' ' ' | grep -q '^P0001 P0002 $' \
  && pass "pseudonym mapping in the secure directory" || fail "mapping: $(cat secure/pseudonyms.tsv)"
first=$(ls r1/patients/*.html | head -1)

# Headless Chromium: no console errors, a screenshot with real content.
headless --enable-logging=stderr --v=0 --screenshot="$work/shot.png" --window-size=1000,1600 "file://$work/$first" \
  >chrome.out 2>chrome.err || fail "chromium screenshot failed: $(tail -3 chrome.err)"
if grep -E 'CONSOLE|Uncaught|console\(' chrome.err | grep -v 'DevTools' >console.txt; then
  fail "console messages: $(head -3 console.txt)"
else
  pass "no console errors"
fi
python3 - "$work/shot.png" <<'PY' && pass "screenshot is not blank" || fail "screenshot blank or unreadable"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    if kind == b"IDAT": idat += body
raw = zlib.decompress(idat); bpp = {2: 3, 6: 4}[ctype]; stride = w * bpp
prev = bytearray(stride); colours = set(); nonwhite = 0
for y in range(h):
    f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, w, 2):
            px = bytes(line[x * bpp:x * bpp + 3]); colours.add(px); nonwhite += px != b"\xff\xff\xff"
print(f"screenshot {w}x{h}: {len(colours)} distinct colours, {nonwhite} sampled non-white pixels")
sys.exit(0 if len(colours) >= 20 and nonwhite >= 2000 else 1)
PY

# Every number shown (data-key) equals the JSON value at that path, to the digits shown.
cat >compare.py <<'PY'
import html.parser, json, sys
class P(html.parser.HTMLParser):
    def __init__(self): super().__init__(); self.stack = []; self.items = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs); self.stack.append([a.get("data-key"), a.get("data-scale"), ""] if "data-key" in a else None)
    def handle_endtag(self, tag):
        top = self.stack.pop() if self.stack else None
        if top: self.items.append(top)
    def handle_data(self, d):
        for s in self.stack:
            if s: s[2] += d
bad = checked = 0
for page, doc in zip(sys.argv[1::2], sys.argv[2::2]):
    p = P(); p.feed(open(page).read()); j = json.load(open(doc))
    for key, scale, text in p.items:
        v = j
        for part in key.split("."): v = v[int(part)] if isinstance(v, list) else v[part]
        checked += 1
        if text == "n/a":
            ok = v is None
        else:
            dec = len(text.split(".")[1]) if "." in text else 0
            shown = float(text) / (float(scale) if scale else 1)
            ok = v is not None and abs(shown - v) <= 0.5 * 10 ** -dec / (float(scale) if scale else 1) + 1e-12
        if not ok: bad += 1; print(f"{page}: {key} shows {text!r}, JSON has {v!r}")
print(f"{checked} shown numbers checked")
sys.exit(1 if bad or checked < 40 else 0)
PY
args=()
for h in r1/patients/*.html; do args+=("$h" "${h%.html}.json"); done
python3 compare.py "${args[@]}" r1/cohort.html r1/cohort.json && pass "numbers in HTML equal those in JSON" \
  || fail "HTML and JSON numbers differ"
python3 -c "
import json, sys
j = json.load(open('${first%.html}.json'))
r = j['risk']; s = j['score']
ok = r['lower'] < r['absolute'] < r['upper'] and 0 <= s['percentile'] <= 100 and len(j['top_variants']) == 10 \
     and j['ancestry'] is not None and j['patient_id'].startswith('PX-') and j['model']['auc'] > 0.5
sys.exit(0 if ok else 1)" && pass "patient JSON: interval around the risk, 10 top variants, PCs, pseudonym" \
  || fail "patient JSON content: $(head -c 600 "${first%.html}.json")"

# 1, 2 and 4 ranks and two shards give the same pages (HTML, JSON; PDFs carry Chromium's timestamp).
mpiexec -n 2 "$precis" report "${common[@]}" --out-dir r2 --no-pdf --quiet
mpiexec -n 4 "$precis" report "${common[@]}" --out-dir r4 --no-pdf --quiet
"$precis" report "${common[@]}" --out-dir rs --no-pdf --shard 0/2 --quiet
"$precis" report "${common[@]}" --out-dir rs --no-pdf --shard 1/2 --quiet
same=1
for d in r2 r4 rs; do
  diff -r -x '*.pdf' r1 "$d" >/dev/null || { same=0; fail "$d differs from r1: $(diff -rq -x '*.pdf' r1 "$d" | head -3)"; }
done
[ "$same" = 1 ] && pass "identical reports at 1, 2, 4 ranks and over 2 shards"

# Hostile input: a sample named <script>alert(1)</script> and findings with markup, no key (IDs shown).
{ head -1 patients.scores.tsv; tail -n +2 patients.scores.tsv | head -1 | awk -F'\t' -v OFS='\t' '{$1 = "<script>alert(1)</script>"; print}'
  printf 'P9\tNA\tNA\tNA\tNA\tNA\t0\t10\n'; } >evil.scores.tsv
{ head -1 patients.findings.tsv
  printf '<script>alert(1)</script>\t1\t100\tC\tT\t<img src=x onerror=alert(2)>\tT1\tstop_gained\tHIGH\tT1:c.1C>T\tP1:p.Gln1Ter\thet\tPathogenic\t2\t"Cond" & <b>x</b>\tclinvar\n'; } >evil.findings.tsv
"$precis" report --scores evil.scores.tsv --findings evil.findings.tsv --model model.h5 --out-dir evil \
  --date 2026-01-15 --quiet 2>evil.err
page=$(ls evil/patients/*.html)
if grep -q '<script' "$page" evil/cohort.html || grep -q '<img' "$page"; then fail "markup from input reached the HTML"
elif grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$page" && grep -qF '&lt;img src=x onerror=alert(2)&gt;' "$page"; then
  pass "hostile sample ID and gene are escaped text"
else fail "escaped hostile text not found in $page"; fi
headless --dump-dom "file://$work/$page" >dom.html 2>/dev/null
grep -qi '<script\|<img' dom.html && fail "Chromium's DOM has an injected element" \
  || { grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' dom.html && pass "Chromium shows <script>alert(1)</script> as text" \
       || fail "hostile ID not shown as text in Chromium's DOM"; }
python3 -c "import json; j = json.load(open('evil/cohort.json')); f = j['failed'];
import sys; sys.exit(0 if j['counts']['reports'] == 1 and len(f) == 1 and f[0]['patient_id'] == 'P9' else 1)" \
  && pass "cohort summary lists the failed patient with its reason" || fail "cohort failures: $(cat evil/cohort.json | head -50)"

# Key and option checks: exit 2, one message naming the file and mode.
printf 'demo-site-key-0123456789abcdef\n' >open.key && chmod 644 open.key
expect_error 2 "open.key: site key has mode 0644" -- "$precis" report "${inputs[@]}" --key open.key --out-dir bad --no-pdf
[ ! -e bad ] && pass "nothing written with a refused key" || fail "outputs written with a refused key"
expect_error 2 "--shard '2/2'" -- "$precis" report "${common[@]}" --shard 2/2 --out-dir bad --no-pdf
expect_error 2 "--chromium is not an executable" -- "$precis" report "${common[@]}" --chromium /nonexistent --out-dir bad
printf 'x\ty\n' >bad.tsv
expect_error 2 "bad.tsv" -- "$precis" report --scores bad.tsv --model model.h5 --out-dir bad --no-pdf
# Records that parse but cannot be right: a repeat would be listed twice or replace the first row silently;
# nan/inf/1e999 would pass for "no polygenic score" or reach the page.
bad=(--model model.h5 --out-dir bad --no-pdf)
{ cat patients.pcs.tsv; sed -n 2p patients.pcs.tsv; } >dup.pcs.tsv
expect_error 2 "dup.pcs.tsv: line 4: sample 'P0001' already listed at line 2" -- \
  "$precis" report --scores patients.scores.tsv --pcs dup.pcs.tsv "${bad[@]}"
{ head -1 patients.findings.tsv
  printf 'P0001\tchr1\t100\tC\tT\tG1\tT1\tstop_gained\tHIGH\t.\t.\thet\tPathogenic\t2\tX\tclinvar\n'; } >one.findings.tsv
expect_error 2 "one.findings.tsv: line 2: sample 'P0001': finding chr1:100 C>T (G1, T1) already listed at one.findings.tsv line 2 (the file is given twice)" -- \
  "$precis" report --scores patients.scores.tsv --findings one.findings.tsv --findings one.findings.tsv "${bad[@]}"
{ cat one.findings.tsv; sed 's/^P0001/P0002/' one.findings.tsv | tail -1; } >two.findings.tsv
expect_error 2 "one.findings.tsv: line 2: sample 'P0001': finding chr1:100 C>T (G1, T1) already listed at two.findings.tsv line 2" -- \
  "$precis" report --scores patients.scores.tsv --findings two.findings.tsv --findings one.findings.tsv "${bad[@]}"
sed '2s/\t100\t/\tabc\t/' one.findings.tsv >pos.findings.tsv
expect_error 2 "pos.findings.tsv: line 2: pos 'abc' is not a positive integer" -- \
  "$precis" report --scores patients.scores.tsv --findings pos.findings.tsv "${bad[@]}"
{ cat patients.contrib.tsv; sed -n 2p patients.contrib.tsv; } >dup.contrib.tsv
expect_error 2 "dup.contrib.tsv: line $(($(wc -l <patients.contrib.tsv) + 1)): sample 'P0001': variant" -- \
  "$precis" report --scores patients.scores.tsv --contributions dup.contrib.tsv "${bad[@]}"
awk -F'\t' -v OFS='\t' 'NR == 2 {$6 = 7} 1' patients.contrib.tsv >dosage.contrib.tsv
expect_error 2 "dosage.contrib.tsv: line 2: dosage 7 outside [0, 2]" -- \
  "$precis" report --scores patients.scores.tsv --contributions dosage.contrib.tsv "${bad[@]}"
awk -F'\t' -v OFS='\t' 'NR == 3 {$7 = "nan"} 1' patients.contrib.tsv >nan.contrib.tsv
expect_error 2 "nan.contrib.tsv: line 3: contribution 'nan' is not a finite number" -- \
  "$precis" report --scores patients.scores.tsv --contributions nan.contrib.tsv "${bad[@]}"
awk -F'\t' -v OFS='\t' 'NR == 2 {$7 = $8 + 1} 1' patients.scores.tsv >matched.scores.tsv
expect_error 2 "matched.scores.tsv: line 2: matched_variants" -- "$precis" report --scores matched.scores.tsv "${bad[@]}"
awk -F'\t' -v OFS='\t' 'NR == 3 {$2 = "1e999"} 1' patients.scores.tsv >inf.scores.tsv
expect_error 2 "inf.scores.tsv: line 3: raw_score '1e999' is not a finite number or NA" -- \
  "$precis" report --scores inf.scores.tsv "${bad[@]}"
# Without Chromium on PATH: a clear message, HTML and JSON still written.
# (PATH: every /usr/bin and /bin program but Chromium, which OpenMPI's singleton start needs.)
mkdir -p nochrome-bin
for f in /usr/bin/* /bin/*; do case "$(basename "$f")" in chromium*|google-chrome*) ;; *) ln -sf "$f" nochrome-bin/ 2>/dev/null || true ;; esac; done
env PATH="$work/nochrome-bin" "$precis" report "${common[@]}" --out-dir nochrome 2>nochrome.err || fail "no-chromium run failed"
grep -q 'chromium not found' nochrome.err && [ -s nochrome/cohort.html ] && [ ! -e nochrome/cohort.pdf ] \
  && pass "no Chromium: message, HTML and JSON written" || fail "no-chromium run: $(cat nochrome.err)"
finish
