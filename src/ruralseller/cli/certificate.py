"""``ruralseller certificate``: print a lot's commitment certificate (承诺达标合格证)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from ruralseller.catalog import load_catalog
from ruralseller.cli._output import emit_json, format_option
from ruralseller.cli._output import out as _out
from ruralseller.packaging import DEFAULT_DIGITAL_LINK_BASE
from ruralseller.packaging.certificate import lot_certificate, save_certificate

__all__ = ["certificate"]


@click.command()
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option("--lot", "lot_id", required=True, help="The lot the certificate goes with.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Where to write the certificate: a .png or .pdf file (A6).",
)
@click.option("--dpi", type=click.IntRange(150, 600), default=300, show_default=True)
@click.option(
    "--link-base",
    default=DEFAULT_DIGITAL_LINK_BASE,
    show_default=True,
    help="Digital Link resolver for the QR code to the lot's story.",
)
@click.option("--story-url", help="Where the QR code leads instead of the lot's Digital Link.")
@format_option()
def certificate(
    catalog_path: Path,
    lot_id: str,
    output: Path,
    dpi: int,
    link_base: str,
    story_url: str | None,
    fmt: str,
) -> None:
    """Print the commitment certificate (承诺达标合格证) of a lot, as PNG or PDF.

    The certificate is the lot's record in CATALOG (lots[].certificate): the three
    commitments, what they rest on, the product, quantity, origin, producer, contact and
    day of issue, and a QR code to the lot's story.
    """
    catalog = load_catalog(catalog_path)
    content = lot_certificate(catalog, lot_id, digital_link_base=link_base, story_url=story_url)
    written = save_certificate(content, output, dpi=dpi)
    if fmt == "json":
        emit_json(
            "certificate",
            {
                "lot": lot_id,
                "file": str(written),
                "dpi": dpi,
                "basis": [b.value for b in content.basis],
                "story_url": content.story_url,
            },
        )
        return
    _out.print(
        f"Wrote the commitment certificate of lot {escape(lot_id)} to "
        f"[bold]{escape(str(written))}[/] ({dpi} dpi)."
    )
    _out.print(f"  rests on: {', '.join(b.value for b in content.basis)}")
    _out.print(f"  QR:       {escape(content.story_url)}")
