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
