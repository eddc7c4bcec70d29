#!/usr/bin/env bash
# Checks that every file with translatable strings is in po/POTFILES.in and
# that the German catalogue translates every string of the current sources,
# with no fuzzy entries.
set -euo pipefail

source_root=$1
cd "$source_root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

for file in $(grep -l -E '\b(N?_|C_)\(' src/*/*.c) ui/*.ui; do
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "not ok - $file has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done

xgettext --files-from=po/POTFILES.in --from-code=UTF-8 --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --add-comments --output="$work/basin.pot"
msgmerge --quiet --no-fuzzy-matching "po/de.po" "$work/basin.pot" --output-file="$work/de.po"
stats=$(msgfmt --check --statistics --output-file=/dev/null "$work/de.po" 2>&1)
echo "German: $stats"
if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
  echo "not ok - po/de.po is incomplete; update it with msgmerge and translate the new strings"
  msgattrib --untranslated "$work/de.po" | grep '^msgid' | head -n 20
  status=1
fi
exit $status
