"""Fetching pages safely and politely: the address guard, the HTTP client, robots.txt, per-host
politeness, the Internet Archive, and reading a page's text and metadata.

Callers use `sources.fetch.fetching.fetch`; docs/rechecking.md says what each outcome means.
"""
