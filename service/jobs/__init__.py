"""Background work: `scheduler` (periodic polling, webhook sending, retention), `worker` (the `worker`
process), `retention` (pruning) and `reextract` (re-run the extractor over stored articles)."""
