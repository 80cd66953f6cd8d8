"""Masking rules for personal data shown to users (domain.md §8: masked by default)."""


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits: 138****5678."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_name(name: str) -> str:
    """Keep the surname (first character): 张**."""
    return f"{name[:1]}**" if name else ""


def mask_id_number(id_number: str, *, wide: bool = False) -> str:
    """First 1 + last 1 for most users; first 6 + last 4 (`wide`) for the owning grid's
    authorised roles."""
    if not id_number:
        return ""
    head, tail = (6, 4) if wide else (1, 1)
    if len(id_number) <= head + tail:
        return "*" * len(id_number)
    return f"{id_number[:head]}{'*' * (len(id_number) - head - tail)}{id_number[-tail:]}"


def mask_text(value: str) -> str:
    """Free text holding personal detail (health, religion, special-group notes): hidden."""
    return "******" if value else ""
