# Helpers for benchmarks: timing with peak memory, medians.
# measure LABEL -- COMMAND...: runs COMMAND, appends "LABEL wall_s user_s sys_s max_rss_kb" to $timings.
measure() {
  local label=$1
  shift 2
  /usr/bin/time -f "$label %e %U %S %M" -a -o "$timings" "$@" >/dev/null 2>>"$timings.log"
}
# median LABEL FIELD: median of a field (2 wall, 3 user, 4 sys, 5 rss) over the runs of LABEL.
median() {
  awk -v l="$1" -v f="$2" '$1 == l {print $f}' "$timings" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
# efficiency LABEL_1RANK LABEL_2RANKS: 1 -> 2 rank parallel efficiency from the median wall times.
efficiency() { awk -v a="$(median "$1" 2)" -v b="$(median "$2" 2)" 'BEGIN {printf "%.2f", a / (2 * b)}'; }
# plink2_debian13: prints the path of Debian 13 (trixie)'s plink2, v2.0.0-a.6.9, which fits --glm's
# logistic and Firth regressions in double precision (Debian 12's v2.00a3.5, the plink2 of setup.sh, fits
# them in single precision). The .deb is fetched once from deb.debian.org into bench/work/tools and
# unpacked there, not installed; its binary runs on Debian 12. Prints nothing when the archive is out of reach.
plink2_debian13() {
  local dir=bench/work/tools/plink2-debian13 mirror=http://deb.debian.org/debian deb
  if [ ! -x "$dir/usr/bin/plink2" ]; then
    deb=$(curl -fsS -m 300 "$mirror/dists/trixie/main/binary-amd64/Packages.xz" | xz -dc |
      awk '$0 == "Package: plink2" {p = 1} p && /^Filename: / {print $2; p = 0}') || deb=
    [ -n "$deb" ] && mkdir -p "$dir" && curl -fsS -m 300 -o "$dir/plink2.deb" "$mirror/$deb" &&
      dpkg-deb -x "$dir/plink2.deb" "$dir" || return 0
  fi
  "$dir/usr/bin/plink2" --version >/dev/null 2>&1 && echo "$dir/usr/bin/plink2"
  return 0
}
