"""The year's work report (年度工作报告): the whole year's figures from the ledger (`figures.py`)."""
