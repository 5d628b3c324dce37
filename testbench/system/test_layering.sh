#!/usr/bin/env bash
# Folder dependencies point one way: a models/ folder includes only folders below it in this order (the
# order docs/architecture.md lists them in). A new include that points up fails here with its line.
# usage: test_layering.sh SV39SIM FIRMWARE_DIR SOURCE_DIR
set -uo pipefail
src=$3
order=(arch sim mem mmu devices core trace config platform)
passes=0 failures=0
rank() { local i; for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo 99; }
for dir in "$src"/models/*/; do
  folder=$(basename "$dir")
  mine=$(rank "$folder")
  [ "$mine" = 99 ] && { echo "FAIL models/$folder is not in the layering order"; failures=$((failures + 1)); continue; }
  while IFS=: read -r file line text; do
    dep=$(sed -n 's#.*"models/\([a-z]*\)/.*#\1#p' <<<"$text")
    if [ "$dep" != "$folder" ] && [ "$(rank "$dep")" -ge "$mine" ]; then
      echo "FAIL ${file#"$src"/}:$line includes models/$dep (above or beside models/$folder)"
      failures=$((failures + 1))
    else
      passes=$((passes + 1))
    fi
  done < <(grep -Hn '#include "models/' "$dir"*)
done
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
