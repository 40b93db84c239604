"""Alerts, in the order a reader meets them: `rules` turns stored facts and source-health changes into
alert events and outbox rows (in the transaction that stores the facts); `dispatch` decides when rows are
sent (the sender loop, and right after a commit); `outbox` claims, attempts and records them (retries,
leases); `webhooks` is the wire format and one signed POST."""
