"""The reports under /api/v1/reports (api/reports/views.py) and `slrs report` (api/reports/command.py).

Each is computed by projections/ from its followers' stores (api/reports/running.py).
"""
