# Shared by the benchmark scripts (sourced): medians, and kb timed against a reference alternately.
# The caller sets $dir (a scratch folder) and $runs.

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

once() { # command... -> "seconds max_rss_KB" of one run
  /usr/bin/time -f "%e %M" -o "$dir/t" "${@}" >"$dir/out" 2>&1 || true   # not /dev/null: GNU grep stops at the first match when it writes there
  cat "$dir/t"
}

# Runs kb and the reference alternately, so that both see the same machine load (these machines are
# shared and noisy), then prints "kb_median kb_max_rss_MB ref_median ref_max_rss_MB".
pair() { # kb command... -- reference command...
  local a=() b=() ta=() tb=() ra=0 rb=0 s m
  while [ "$1" != "--" ]; do a+=("$1"); shift; done; shift; b=("$@")
  for _ in $(seq "$runs"); do
    read -r s m <<<"$(once "${a[@]}")"; ta+=("$s"); [ "$m" -gt "$ra" ] && ra=$m
    read -r s m <<<"$(once "${b[@]}")"; tb+=("$s"); [ "$m" -gt "$rb" ] && rb=$m
  done
  echo "$(printf '%s\n' "${ta[@]}" | median) $((ra / 1024)) $(printf '%s\n' "${tb[@]}" | median) $((rb / 1024))"
}
