"""Notices (政策宣传): written by staff, targeted at areas and buildings, read by residents and
staff; read receipts and "told in person" give each target's read rate."""
