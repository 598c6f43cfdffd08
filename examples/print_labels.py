"""Package labels for two lots: chickens for China (in Chinese), eggs for the US (in English).

What it shows: ``lot_label`` gathers what a 100 × 150 mm package label carries (the
mandatory particulars of a jurisdiction in its language, from
``ruralseller.compliance.label_particulars``, and the GS1 data of the lot), and
``save_label`` draws it as PNG or PDF, chosen by the file's suffix.

Key steps:
    1. chicken lot WJ261120A under CN rules, in zh-CN: a whole bird is sold by weight, so each
       package is weighed and its own net weight (here 1.3 kg) goes on the label and into
       the barcode (GS1 AI 3101);
    2. egg lot WE261118 under US rules, in en: a box of 30 eggs has a fixed weight, taken
       from the lot, and the US particulars add the egg safe-handling statement;
    3. each label saved as PNG (203 dpi, for a thermal printer) and PDF (300 dpi).

Assumptions: Chinese text needs a CJK font; the ``labels`` extra installs Noto Sans CJK, so
this runs on a bare server. The GTINs use GS1's 952 prefix for examples; the QR code links
to GS1's resolver (id.gs1.org) until the producer registers its own page.

Run it:  python examples/print_labels.py [OUTPUT_FOLDER]
(without a folder, the labels go to a new temporary folder).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from ruralseller.catalog import Mass, load_catalog
from ruralseller.packaging import lot_label, save_label

CATALOGUE = Path(__file__).resolve().parent / "black-chickens"
TODAY = dt.date(2026, 11, 21)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="ruralseller-"))
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(CATALOGUE)

    labels = {
        # (lot, jurisdiction, language): what the label carries
        "WJ261120A-CN-zh": lot_label(
            catalog,
            "WJ261120A",
            jurisdiction="CN",
            locale="zh-CN",
            net_weight=Mass.parse("1.3 kg"),
            on=TODAY,
        ),
        "WE261118-US-en": lot_label(catalog, "WE261118", jurisdiction="US", locale="en", on=TODAY),
    }

    for name, content in labels.items():
        print(f"{name}: {content.title}")
        print(f"  particulars: {', '.join(p.heading for p in content.particulars)}")
        print(f"  barcode:     {content.gs1.element_string()}")
        print(f"  QR:          {content.digital_link}")
        # PNG at 203 dpi suits the common thermal label printers; the PDF at 300 dpi is for
        # an office printer or a print shop. The suffix chooses the format.
        png = save_label(content, out / f"label-{name}.png", dpi=203)
        pdf = save_label(content, out / f"label-{name}.pdf", dpi=300)
        print(f"  wrote:       {png.name}, {pdf.name}")
    print(f"Labels are in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
