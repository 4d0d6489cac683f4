"""Tests of the knowledge store: profiles, schema, loader and queries."""
