"""The EU annex layer of the knowledge store: what Regulation (EC) No 1223/2009 says about a substance.

A second, separately labelled layer next to the curated profiles ("EU rules say..."), never mixed into
their verdicts. Source: the European Commission's CosIng export of Annexes II-VI ("CosIng, © European
Union", CC BY 4.0 under Commission Decision 2011/833/EU), read from a hash-pinned wheel (``package.txt``).

- ``facts``    the read-only types (an annex entry, its annex and role, where it was read from)
- ``names``    how a substance name is split, cleaned and normalised for lookups and recognition
- ``reader``   the wheel's hash check and the CSV reader (every bad row reported with file and line)
- ``models``   the SQL tables (own metadata), names indexed by their normalised form
- ``loader``   ``python -m knowledge.annexes.loader``: validate all, then write in one transaction
- ``queries``  SQL lookups by name, CAS or EC number, and the labelled fragrance allergens
"""
