"""Gift-shop categories for Online Retail products, which come without any: keyword rules on the description.

The first matching rule wins; rules run from specific to general.
"""

from __future__ import annotations

import re

RULES: list[tuple[str, tuple[str, ...]]] = [
    ("Christmas", ("CHRISTMAS", "XMAS", "ADVENT", "SANTA", "REINDEER", "SNOWFLAKE", "NATIVITY")),
    ("Candles & Lights", ("CANDLE", "T-LIGHT", "TEA LIGHT", "TLIGHT", "LANTERN", "LIGHTS", "LAMP", "NIGHT LIGHT")),
    ("Bags", ("BAG", "TOTE", "PURSE", "SHOPPER")),
    ("Kitchen & Dining", ("MUG", "CUP", "PLATE", "BOWL", "TEAPOT", "JUG", "CAKE", "BAKING", "KITCHEN", "NAPKIN",
                          "LUNCH BOX", "CUTLERY", "SPOON", "TRAY", "GLASS", "TEA TOWEL", "APRON", "EGG", "JAR",
                          "BOTTLE", "COASTER", "CAKESTAND", "TIN")),
    ("Stationery & Cards", ("CARD", "NOTEBOOK", "PENCIL", "PEN ", "STICKER", "PAPER", "WRAP", "ENVELOPE",
                            "CALENDAR", "DIARY", "NOTE", "STATIONERY", "RIBBON", "TAPE")),
    ("Party", ("PARTY", "BALLOON", "BUNTING", "BIRTHDAY", "CONFETTI", "PAPER CHAIN")),
    ("Toys & Games", ("TOY", "GAME", "PUZZLE", "DOLL", "JIGSAW", "PLAYHOUSE", "SKIPPING", "SPACEBOY", "DOMINOES",
                      "CRAYON", "COLOURING", "TEDDY", "BLOCK")),
    ("Garden", ("GARDEN", "PLANT", "FLOWER POT", "WATERING", "BIRD", "HERB", "SEED")),
    ("Jewellery & Accessories", ("NECKLACE", "BRACELET", "EARRING", "RING", "HAIR", "BROOCH", "UMBRELLA",
                                 "JEWEL", "CHARM", "WALLET", "SCARF", "GLOVES")),
    ("Storage", ("BOX", "BASKET", "STORAGE", "CRATE", "DRAWER", "HOOK", "HANGER", "RACK", "HOLDER")),
    ("Home Decor", ("HEART", "SIGN", "FRAME", "MIRROR", "CLOCK", "CUSHION", "DOORSTOP", "ORNAMENT", "VASE",
                    "DECORATION", "WREATH", "GARLAND", "PLAQUE", "BELL", "HANGING", "DOOR", "BUNNY", "CHALK",
                    "WALL", "THROW", "QUILT", "BLANKET")),
]

_COMPILED = [(name, re.compile("|".join(re.escape(w) for w in words))) for name, words in RULES]


def categorize(description: str | None) -> str:
    """The category for a product description ('Other' when no rule matches)."""
    text = (description or "").upper()
    for name, pattern in _COMPILED:
        if pattern.search(text):
            return name
    return "Other"
