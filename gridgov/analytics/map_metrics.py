"""The rates of analytics' catalogue the map can shade its grids by (map_api.grid_rates)."""

RATE_METRICS = ("completion_rate", "on_time_rate", "satisfaction_rate")
