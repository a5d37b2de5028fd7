"""Exact splitting of integer totals (fen, head counts): the parts always add up to the whole.

Everything here is integer arithmetic, so a sector total taken from the report comes back out of
the database to the fen, whatever the random weights were.
"""

from decimal import Decimal


def apportion(total, weights, minimum=0):
    """Integers in proportion to `weights` (positive ints) that add up to `total` exactly.

    `minimum` is a floor for every part (an int) or for each part (a list). Largest remainder
    method: each part gets its floor share, the units left over go to the largest remainders.
    """
    minimums = [minimum] * len(weights) if isinstance(minimum, int) else list(minimum)
    spare = total - sum(minimums)
    if not weights or spare < 0:
        raise ValueError(f"无法把 {total} 分成 {len(weights)} 份（每份至少 {minimum}）")
    weight_sum = sum(weights)
    shares = [spare * w // weight_sum for w in weights]
    left_over = spare - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(spare * weights[i] % weight_sum), i))
    for i in by_remainder[:left_over]:
        shares[i] += 1
    return [floor + share for floor, share in zip(minimums, shares, strict=True)]


def split_fen(total_fen, weights, grain=100, minimum_grains=1):
    """Split an amount in fen into parts that are whole multiples of `grain` fen.

    Amounts look like real ones (12,340.00 元 rather than 12,337.41 元); what does not divide
    into grains is added to the largest part, so the sum stays exact.
    """
    grains, rest = divmod(total_fen, grain)
    parts = [g * grain for g in apportion(grains, weights, minimum_grains)]
    parts[parts.index(max(parts))] += rest
    return parts


def to_fen(amount):
    fen = Decimal(amount) * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} 不是精确到分的金额")
    return int(fen)


def to_yuan(fen):
    """12345 → Decimal('123.45'): always two places, never through a float."""
    return Decimal(fen).scaleb(-2)


def heavy_tailed_weight(rng, alpha=1.3, cap=40):
    """An integer weight with a long tail: most units give little, a few give a lot."""
    return int(min(rng.paretovariate(alpha), cap) * 1000)
