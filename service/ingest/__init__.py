"""The data's way in: fetch a feed (`fetch`), parse it (`feeds`), take each page's main text (`html_text`),
dedupe and store articles with their facts (`store`); `polling` drives one poll from claim to commit."""
