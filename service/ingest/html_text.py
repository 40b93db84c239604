"""HTML to plain text: `html_to_text` for feed summaries, `main_text` (trafilatura) for article pages."""

from __future__ import annotations

import html
import re

import trafilatura  # imported once, at module load (the first import costs ~0.5 s)

_BLOCK = re.compile(r"</?(p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed summary): tags out, blocks as lines, entities decoded."""
    if "<" not in markup:
        return html.unescape(markup).strip()
    text = _SCRIPT.sub(" ", markup)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def main_text(markup: str, url: str | None = None) -> str | None:
    """The main text of an article page (navigation, ads, scripts and comments left out); None if none found."""
    try:
        text = trafilatura.extract(
            markup,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except Exception:  # trafilatura/lxml on hostile markup: fall back to the feed's text
        return None
    if not text:
        return None
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return text or None
