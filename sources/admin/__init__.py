"""The editors' desk for publishers, sources and their versions. Every write goes through
sources.services; the admin never saves a source or a snapshot itself."""

from sources.admin import source

__all__ = ["source"]
