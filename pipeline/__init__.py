"""Iconoplasm offline pipeline: gene table, traits, text and portraits."""
