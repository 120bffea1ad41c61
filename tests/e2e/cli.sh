#!/usr/bin/env bash
# The CLI contract: help, version, exit codes, config files.
source "$(dirname "$0")/lib.sh"

"$precis" --help | grep -q "convert" && pass "--help lists commands" || fail "--help"
"$precis" --version >v.txt
for lib in "precis 0.1" MPI HDF5 HTSlib oneTBB Eigen Boost; do
  grep -q "^$lib" v.txt && pass "--version names $lib" || fail "--version lacks $lib"
done
for cmd in simulate convert export; do
  "$precis" $cmd --help | grep -q -- "--threads" && pass "$cmd --help" || fail "$cmd --help"
done
rc=0; "$precis" >/dev/null 2>&1 || rc=$?; [ $rc -eq 2 ] && pass "no command: exit 2" || fail "no command: exit $rc"
expect_error 2 "unknown command 'frobnicate'" -- "$precis" frobnicate
expect_error 2 "precis align: --ref is required" -- "$precis" align --reads1 x.fq
expect_error 2 "unrecognised option '--no-such-option'" -- "$precis" convert --no-such-option
expect_error 2 "--vcf is required" -- "$precis" convert --out x.h5
expect_error 2 "--threads 0: must be" -- "$precis" convert --vcf x.vcf --out x.h5 --threads 0
expect_error 2 "'loud' is not one of" -- "$precis" convert --vcf x.vcf --out x.h5 --log-level loud

# Config files: sections mirror commands, the command line wins, unknown keys and bad files are errors.
printf '[convert]\nvcf = from_config.vcf\nout = x.h5\n' >good.ini
expect_error 2 "from_config.vcf: no such file" -- "$precis" convert --config good.ini
expect_error 2 "from_line.vcf: no such file" -- "$precis" convert --config good.ini --vcf from_line.vcf
printf '[convert]\nvcf = a.vcf\ncolour = blue\n' >unknown.ini
expect_error 2 "unknown.ini: [convert]: unknown option 'colour'" -- "$precis" convert --config unknown.ini
printf '[convert]\nthis line is not ini\n' >bad.ini
expect_error 2 "bad.ini: malformed INI" -- "$precis" convert --config bad.ini
printf '\xef\xbb\xbf[convert]\nvcf = after_bom.vcf\nout = x.h5\n' >bom.ini  # a UTF-8 byte-order mark is skipped
expect_error 2 "after_bom.vcf: no such file" -- "$precis" convert --config bom.ini
expect_error 2 "--config missing.ini: no such file" -- "$precis" convert --config missing.ini
printf '[simulate]\nsamples = 10\n[convert]\nvcf = only_convert_reads_this.vcf\nout = x.h5\n' >multi.ini
expect_error 2 "only_convert_reads_this.vcf" -- "$precis" convert --config multi.ini
finish
