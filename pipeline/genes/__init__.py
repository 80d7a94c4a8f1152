"""The gene table: one row per human protein-coding gene with its molecular facts."""
