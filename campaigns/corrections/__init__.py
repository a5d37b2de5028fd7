"""更正说明 prepared from drift: drafts staff complete and publish (docs/staff/honor-rolls.md)."""
