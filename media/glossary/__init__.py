"""The jade-trade glossary: terms transcripts are corrected to and recognition is hinted with."""
