"""The HTML dashboard: `routes` (pages and fragments), `queries` (what they show), Jinja2 `templates/`, `static/`."""
