"""Form fields shared by every page that takes a file from the resumable upload widget."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from portal.storage import UPLOAD_ID_PATTERN


def upload_id_field() -> HiddenField:
    """The hidden field the widget fills with the finished upload's id (32 hex characters)."""
    return HiddenField(
        validators=[
            DataRequired(message=_l("Choose a video file and wait for the upload to finish.")),
            Regexp(
                rf"^{UPLOAD_ID_PATTERN.pattern}$",
                message=_l("The upload is not valid; choose the file again."),
            ),
        ]
    )
