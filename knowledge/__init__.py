"""The knowledge store: what the assistant knows about ingredients, and where each fact comes from.

- ``profiles/*.yml``  one human-edited profile per ingredient: the source of truth
- ``facts``           the read-only fact types handed to actions and the answer composer (the contract)
- ``schema``          validates a profile into those types (``ProfileError`` says file, field, fix)
- ``models``          the SQL tables (own declarative ``Base``), one per kind of fact
- ``database``        engine per process, SQLite pragmas, short sessions (``SKINCARE_DB_URL``)
- ``loader``          ``python -m knowledge.loader``: validate all, then write in one transaction
- ``queries``         ``find_ingredient`` & co. for the action server (async variants included)

Importing this package imports nothing heavy: import the module you need.
"""
