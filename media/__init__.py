"""Media: uploads, probing, ffmpeg, transcription, mentions, suggestions and clip rendering."""
