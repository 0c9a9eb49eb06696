"""The public product-knowledge library: publishing, public pages and feeds."""
