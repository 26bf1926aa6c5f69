#!/usr/bin/env bash
# Dependencies point down: every module of src/ is listed in the module list
# of docs/ARCHITECTURE.md, top down, and no file of a module includes a
# header of a module listed above it (nor does docs/HACKING.md list them in
# another order).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# module names in the order a document lists them ("    src/NAME/  ...")
listed() { sed -n 's|^    src/\([a-z_]*\)/.*|\1|p' "$1"; }
mapfile -t order < <(listed docs/ARCHITECTURE.md)
check "docs/ARCHITECTURE.md lists the modules" [ "${#order[@]}" -ge 10 ]
check "docs/HACKING.md lists them in the same order" \
    [ "$(listed docs/HACKING.md | tr '\n' ' ')" = "${order[*]} " ]

rank() { local i; for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
for dir in src/*/; do
    m=$(basename "$dir")
    r=$(rank "$m")
    check "src/$m/ is in docs/ARCHITECTURE.md's module list" [ "$r" -ge 0 ]
    bad=""
    while IFS=: read -r file dep; do
        d=$(rank "$dep")
        if [ "$d" -ge 0 ] && [ "$d" -lt "$r" ]; then bad+=" $file -> $dep/"; fi
    done < <(grep -roE '#include "[a-z_]+/' "$dir" | sed 's|#include "||; s|/$||' | sort -u)
    check "src/$m/ includes no module above it:$bad" [ -z "$bad" ]
done

finish
