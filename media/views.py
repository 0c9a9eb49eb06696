"""Media pages (recordings and the clip workshop grow here)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("media", __name__, url_prefix="/media", template_folder="templates")
