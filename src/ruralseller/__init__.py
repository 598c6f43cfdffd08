"""ruralseller: from the farm gate to a published listing.

The stages live in subpackages (see ``ARCHITECTURE.md``): :mod:`ruralseller.catalog` for
the farm-product model and catalogue files, and the later stages that build on it.
"""

from ruralseller._version import __version__
from ruralseller.errors import RuralSellerError

__all__ = ["RuralSellerError", "__version__"]
