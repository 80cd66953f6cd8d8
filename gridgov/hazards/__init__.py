"""The hazard register (隐患台账): hazard sites, their inspections, hazards and their lifecycle."""
