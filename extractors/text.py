"""Sentence splitting with offsets into the original text (spans must index the original)."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*)?")


def split_sentences(text: str) -> list[Sentence]:
    out = []
    for m in _SENTENCE.finditer(text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            start = m.start() + lead
            out.append(Sentence(start, start + len(body), body))
    return out
