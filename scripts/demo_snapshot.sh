#!/usr/bin/env bash
# Writes what readers get of every demo audit (the whole-audit export and the learning brief as
# Markdown, HTML, and the text of its PDF and DOCX) into a folder, from a fresh demo database.
# Run it before and after a restructuring and compare:
#
#   bash scripts/demo_snapshot.sh /tmp/before   # on the old commit
#   bash scripts/demo_snapshot.sh /tmp/after    # on the new one
#   diff -r /tmp/before /tmp/after
#
# Times that differ on every load (when the export was made, when the demo rows were created)
# are replaced by a placeholder so that only real differences show.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: demo_snapshot.sh OUTPUT_DIR}"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

export DATABASE_URL="sqlite:///$WORK/demo.sqlite3" MACA_DEBUG=true MACA_DEMO=true
export MACA_TASKS_IMMEDIATE=true
maca="$ROOT/.venv/bin/maca"
"$maca" demo --no-serve --verbosity 0 >/dev/null

slugs="$("$maca" shell --verbosity 0 -c "from maca.audits.models import Audit
print(' '.join(Audit.objects.order_by('slug').values_list('slug', flat=True)))")"
# ISO timestamps of today (the load's own clock) are the only expected difference.
today="$(date -u +%Y-%m-%d)"
mask() { sed -E "s/${today}T[0-9:.]+(Z|[+-][0-9:]+)?/<now>/g" "$1" > "$1.masked" && mv "$1.masked" "$1"; }
for slug in $slugs; do
    if "$maca" export-audit "$slug" -o "$OUT/$slug.export.json" 2>"$OUT/$slug.export.err"; then
        rm "$OUT/$slug.export.err"
        mask "$OUT/$slug.export.json"
    fi
    for format in md html; do
        "$maca" brief "$slug" --format "$format" -o "$OUT/$slug.brief.$format" >/dev/null
        mask "$OUT/$slug.brief.$format"
    done
    "$maca" brief "$slug" --format pdf -o "$WORK/brief.pdf" >/dev/null
    pdftotext -layout "$WORK/brief.pdf" "$OUT/$slug.brief.pdf.txt"
    "$maca" brief "$slug" --format docx -o "$WORK/brief.docx" >/dev/null
    "$ROOT/.venv/bin/python" -c "import sys, docx
d = docx.Document(sys.argv[1])
print('\n'.join(p.text for p in d.paragraphs))
for t in d.tables:
    for r in t.rows:
        print(' | '.join(c.text for c in r.cells))" "$WORK/brief.docx" > "$OUT/$slug.brief.docx.txt"
done
echo "demo_snapshot: $(ls "$OUT" | wc -l) files for $(wc -w <<<"$slugs") audits in $OUT"
