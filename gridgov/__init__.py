"""GridGov: grid-based community governance (网格化管理)."""
