"""Speech recognition: the packaged Whisper model and the recogniser engines."""
