"""The merchant catalog: items with aliases, categories, certificates; CSV import/export."""
