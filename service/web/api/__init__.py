"""The REST API under /api/v1 (docs/api.md): one router module per resource group (`sources`, `facts`,
`series`, `alerting`), their pydantic shapes (`schemas`, `alerting_schemas`), errors as problem+json
(`problems`), the key checks (`auth`), the session dependency (`deps`) and paging helpers (`common`)."""
