"""Public views of campaigns, honor rolls and rankings, one module per page family."""
