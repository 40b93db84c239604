"""The `tollwatch` command line: `main` (sub-commands) and `extract` (the extractor over files/JSONL)."""
