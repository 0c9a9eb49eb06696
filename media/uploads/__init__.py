"""Uploads: the tus 1.0 resumable upload server and the browser upload widget."""
