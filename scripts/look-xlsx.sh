#!/usr/bin/env bash
# Look at exceptions.xlsx as a spreadsheet program shows and prints it:
# LibreOffice (Debian: apt-get install -y libreoffice-calc poppler-utils)
# converts the workbook to PDF headless, and pdftoppm turns each printed
# page into a PNG to look at.
#
#   scripts/look-xlsx.sh [WORKBOOK.xlsx] [OUTDIR]
#
# Without a workbook it builds scrub837 and writes one for the sample files
# (testdata/samples.txt). OUTDIR (default: a new folder under /tmp) gets
# the PDF and page-N.png. It fails when the conversion fails or prints no
# page, and says how many pages each sheet printed on and their size
# (landscape: the width is the larger number).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in soffice pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null || { echo "look-xlsx: $tool is missing (apt-get install -y libreoffice-calc poppler-utils)" >&2; exit 2; }
done

book=${1:-}
out=${2:-$(mktemp -d /tmp/look-xlsx.XXXXXX)}
mkdir -p "$out"
if [ -z "$book" ]; then
	go build -o "$out/scrub837" ./cmd/scrub837
	# Exit 3 is expected: the samples hold broken files on purpose.
	"$out/scrub837" -o "$out/reports" --run-id look --fail-on never --format xlsx -q \
		$(grep -v '^#' testdata/samples.txt) 2>/dev/null || [ $? -eq 3 ]
	book=$out/reports/exceptions.xlsx
fi

# A private LibreOffice profile: no clash with a LibreOffice already open.
profile=$(mktemp -d /tmp/look-xlsx-profile.XXXXXX)
trap 'rm -rf "$profile"' EXIT
timeout 180 soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$book" >/dev/null 2>&1
pdf=$out/$(basename "${book%.*}").pdf
[ -s "$pdf" ] || { echo "look-xlsx: LibreOffice wrote no PDF for $book" >&2; exit 1; }
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
[ "${pages:-0}" -gt 0 ] || { echo "look-xlsx: $pdf has no page" >&2; exit 1; }
pdfinfo -f 1 -l "$pages" "$pdf" | awk '/^Page +[0-9]+ size:/ {print "  page " $2 ": " $4 " x " $6 " pt"}'
pdftoppm -png -r 80 "$pdf" "$out/page"
echo "look-xlsx: $book printed on $pages pages: $pdf; page images: $out/page-*.png"
