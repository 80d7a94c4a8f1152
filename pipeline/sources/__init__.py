"""One adapter module per upstream source.

Each adapter reads one kind of upstream file into a small, typed DataFrame
and holds the pure transformations specific to that source (e.g. tau from an
expression matrix, clan order from Pfam regions). Joining happens in
:mod:`pipeline.genes.build`.
"""
