"""Domain operations on what users configure — sources, webhook endpoints, alert rules — shared by the
API and the CLI. They validate, write through the session they are given, and raise `errors.DomainError`
subclasses (never HTTP errors): the API answers them as problem+json, the CLI prints them."""
