"""Review: the clip state machine, submitting for review, trainers' decisions and comments."""
