"""Stories: near-duplicates (dedupe) and incremental story clustering (cluster)."""
