"""Public pages of relief: projects (where the money went), disclosures (公示) and the year's figures."""
