"""Masking rules for personal data shown to users (domain.md §8: masked by default)."""


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits: 138****5678."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_name(name: str) -> str:
    """Keep the surname (first character): 张**."""
    return f"{name[:1]}**" if name else ""
