"""The knowledge store: what the assistant knows about ingredients, and where each fact comes from.

- ``profiles/*.yml``  one human-edited profile per ingredient: the source of truth
- ``facts``           the read-only fact types handed to actions and the answer composer (the contract),
                      and the one definition of a fact's shape (field types plus ``stored(...)`` notes)
- ``shape``           reads that definition once; everything below walks it instead of listing fields
- ``schema``          validates a profile into those types (``ProfileError`` says file, field, fix)
- ``models``          the SQL tables (own declarative ``Base``), generated: one per kind of fact
- ``rows``            facts to table rows and back
- ``database``        engine per process, SQLite pragmas, short sessions (``SKINCARE_DB_URL``)
- ``loader``          ``python -m knowledge.loader``: validate all, then write in one transaction
- ``queries``         ``find_ingredient`` & co. for the action server: indexed SQL (async variants included)
- ``synthetic``, ``bench``  made-up profiles, and ``python -m knowledge.bench`` (the store at 10,000 profiles)

Importing this package imports nothing heavy: import the module you need.
"""
