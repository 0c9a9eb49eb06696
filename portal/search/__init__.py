"""Search: one index over items, spoken sentences, clips and lessons, Chinese-aware."""
