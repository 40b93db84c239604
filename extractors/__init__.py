"""Pure extraction: text in, facts out. No database, no network, no global mutable state."""

from extractors.pipeline import EXTRACTOR_VERSION, extract
from extractors.schema import FactBase

__all__ = ["extract", "FactBase", "EXTRACTOR_VERSION"]
