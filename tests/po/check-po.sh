#!/usr/bin/env bash
# Translation checks for CI (suite "po"):
#   potfiles  every source file with translatable strings is listed in po/POTFILES.in, sorted
#   msgfmt    every po file compiles with msgfmt --check
#   complete  every po file, merged with a template made now from the sources, has no
#             untranslated and no fuzzy entry: a new string without its German fails
#   clients   the mail programs' own labels (data/clients/*.ini, kept out of po files) have
#             a text and a source in English and every language of po/LINGUAS
set -euo pipefail

mode=$1
srcdir=$(cd "$2" && pwd)
cd "$srcdir"

case "$mode" in
potfiles)
  listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
  if [ "$listed" != "$(printf '%s\n' "$listed" | LC_ALL=C sort)" ]; then
    echo "po/POTFILES.in is not sorted"
    exit 1
  fi
  missing=0
  while IFS= read -r file; do
    case "$file" in
      tests/*|*/core/mc-test-*) continue ;;
    esac
    if ! grep -qxF "$file" <<<"$listed"; then
      echo "not in po/POTFILES.in: $file"
      missing=1
    fi
  done < <(
    { grep -lE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|ngettext) ?\(' --include='*.c' -r app || true
      grep -lE 'translatable="(yes|true|1)"' --include='*.ui' -r ui || true
      ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
    } | LC_ALL=C sort -u)
  for file in $listed; do
    if [ ! -f "$file" ]; then
      echo "listed in po/POTFILES.in but missing: $file"
      missing=1
    fi
  done
  exit $missing
  ;;

msgfmt)
  for po in po/*.po; do
    msgfmt --check --check-format --output-file=/dev/null "$po"
  done
  ;;

complete)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The same extraction as meson's "glib" preset.
  xgettext --files-from=po/POTFILES.in --directory="$srcdir" --output="$tmp/template.pot" \
    --from-code=UTF-8 --add-comments --package-name=netzprisma-mailcheck \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
    --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
  status=0
  for po in po/*.po; do
    msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" "$po" "$tmp/template.pot"
    untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
    fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
    # Both counts include the header entry when anything is listed.
    [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
    [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
    echo "$po: $untranslated untranslated, $fuzzy fuzzy"
    if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
      msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -A1 '^msgid ' | head -n 40
      status=1
    fi
  done
  exit $status
  ;;

clients)
  exec python3 "$srcdir/tests/po/check-clients.py" "$srcdir"
  ;;

*)
  echo "usage: $0 potfiles|msgfmt|complete|clients SRCDIR" >&2
  exit 2
  ;;
esac
