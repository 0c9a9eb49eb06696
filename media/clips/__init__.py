"""The clip workshop: mentions and suggestions per recording, the clip editor, renders."""
