"""Numbered schema migrations (peewee-migrate files `NNN_<what>.py`), run by `herald migrate`."""
