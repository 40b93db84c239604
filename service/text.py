"""HTML to plain text for feed summaries (full pages go through trafilatura)."""
from __future__ import annotations

import html
import re

_BLOCK = re.compile(r"</?(p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def html_to_text(markup: str) -> str:
    if "<" not in markup:
        return html.unescape(markup).strip()
    text = _SCRIPT.sub(" ", markup)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
