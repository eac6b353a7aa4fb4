#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the channel fixtures (the corpora themselves are not committed).
# Usage: fuzz/seed.sh   (needs jq and gzip)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../functions"
corpus="$here/corpus"

seed() { # seed <target> <file> [transform]
  local target="$1" file="$2" name
  name="$(basename "$(dirname "$file")")_$(basename "$file" .json)"
  mkdir -p "$corpus/$target"
  case "${3:-raw}" in
    raw) cp "$file" "$corpus/$target/$name" ;;
    gzip) gzip -c "$file" > "$corpus/$target/$name.gz" ;;
    payload) { printf '\001'; cat "$file"; } > "$corpus/$target/$name" ;;
    form) jq -j 'to_entries | map("\(.key|@uri)=\(.value|tostring|@uri)") | join("&")' "$file" \
            > "$corpus/$target/$name.form" ;;
  esac
}

for channel in telegram viber facebook abc; do
  for file in "$fixtures/$channel"/tests/fixtures/*.json; do
    seed "receive_$channel" "$file"
    seed "verify_$channel" "$file"
  done
done
for file in "$fixtures"/slack/tests/fixtures/events/*.json; do
  seed receive_slack "$file"
  seed verify_slack "$file"
done
for file in "$fixtures"/slack/tests/fixtures/interactivity/*.json; do
  seed slack_form "$file" payload
  seed receive_slack "$file"
done
for file in "$fixtures"/slack/tests/fixtures/commands/*.json; do
  seed slack_form "$file" form
done
for file in "$fixtures"/abc/tests/fixtures/*.json; do
  seed abc_gzip "$file" gzip
done
# receive_any: the first byte picks the messenger, in the order of their names (functions/*).
index=0
for crate in "$fixtures"/*/; do
  while IFS= read -r -d '' file; do
    name="$(basename "$crate")_$(basename "$file" .json)"
    mkdir -p "$corpus/receive_any"
    { printf "\\$(printf '%03o' "$index")"; cat "$file"; } > "$corpus/receive_any/$name"
  done < <(find "$crate/tests/fixtures" -name '*.json' -print0 2>/dev/null)
  index=$((index + 1))
done
for dir in "$corpus"/*/; do
  echo "$(basename "$dir"): $(find "$dir" -type f | wc -l) seeds"
done
