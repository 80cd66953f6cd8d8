"""An independent reference for GB 11643 ID numbers, for tests: never the code's `check_digit()`.

ISO 7064 MOD 11-2 as the standard states it: a number is valid when the weighted sum over all 18
characters (X counting 10, the weights 2^(18-i) mod 11 typed out below, 1 for the check
character) is 1 modulo 11. `with_check()` finds the one character that makes it so.
"""

from __future__ import annotations

# ISO 7064 MOD 11-2 weights of positions 1..17 (2^(18-i) mod 11), typed out from GB 11643.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "0123456789X"


def mod11_2_valid(number: str) -> bool:
    """Σ aᵢ·wᵢ over all 18 characters (w₁₈ = 1, X = 10) ≡ 1 (mod 11)."""
    values = [10 if c == "X" else int(c) for c in number]
    return sum(v * w for v, w in zip(values, (*WEIGHTS, 1), strict=True)) % 11 == 1


def with_check(first17: str) -> str:
    """A valid number from 17 digits, by trying the 11 characters against the reference."""
    return next(first17 + c for c in CHECK_CHARACTERS if mod11_2_valid(first17 + c))
