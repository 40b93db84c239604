"""Alerts: `rules` turns stored facts and source-health changes into alert events and outbox rows;
`webhooks` sends those rows (claim, sign, POST, record, retry)."""
