"""Gift-shop categories for Online Retail products, which come without any: keyword rules on the description.

The first matching rule wins; rules run from specific to general.
"""

from __future__ import annotations

import re

RULES: list[tuple[str, tuple[str, ...]]] = [
    ("Christmas", ("CHRISTMAS", "XMAS", "ADVENT", "SANTA", "REINDEER", "SNOWFLAKE", "NATIVITY")),
    ("Candles & Lights", ("CANDLE", "T-LIGHT", "TEA LIGHT", "TLIGHT", "LANTERN", "LIGHT", "LAMP", "INCENSE",
                          "OIL BURNER", "FRAGRANCE", "CHANDELIER", "MATCHES")),
    ("Bags", ("BAG", "TOTE", "PURSE", "SHOPPER")),
    ("Bath & Beauty", ("BATH", "SPONGE", "LIP GLOSS", "SOAP", "TOILETRY", "COSMETIC", "NAIL", "MAKE UP",
                       "WASH BAG", "SHOWER", "COTTON WOOL")),
    ("Kitchen & Dining", ("MUG", "CUP", "PLATE", "BOWL", "TEAPOT", "JUG", "CAKE", "BAKING", "KITCHEN", "NAPKIN",
                          "LUNCH BOX", "CUTLERY", "SPOON", "TRAY", "GLASS", "TEA TOWEL", "APRON", "EGG", "JAR",
                          "BOTTLE", "COASTER", "CAKESTAND", "TIN", "PAN", "COLANDER", "CUTTER", "PLACEMAT",
                          "TEA COSY", "BEAKER", "FOOD COVER", "STRAINER", "SQUEEZER", "SALT AND PEPPER",
                          "PETIT FOUR", "STRAWS", "OVEN GLOVE", "TABLE CLOTH", "BISCUIT", "COOKIE", "DISH",
                          "CHOPSTICK", "RECIPE")),
    ("Stationery & Cards", ("CARD", "NOTEBOOK", "PENCIL", "PEN ", "STICKER", "PAPER", "WRAP", "ENVELOPE",
                            "CALENDAR", "DIARY", "NOTE", "STATIONERY", "RIBBON", "TAPE", "JOURNAL", "BOOK",
                            "STAMP", "HIGHLIGHTER", "RULER", "TISSUES", "ALBUM", "MAGNET", "ERASER", "CRAYON", "PENS",
                            "SKETCHBOOK", "POSTCARD", "MEMOBOARD", "GIFT TAG")),
    ("Party", ("EASTER", "PARTY", "BALLOON", "BUNTING", "BIRTHDAY", "CONFETTI", "PAPER CHAIN")),
    ("Toys & Games", ("TOY", "GAME", "PUZZLE", "DOLL", "JIGSAW", "PLAYHOUSE", "SKIPPING", "SPACEBOY", "DOMINOES",
                      "COLOURING", "TEDDY", "BLOCK", "FELT", "LUDO", "SKITTLES", "NAUGHTS", "BUBBLES",
                      "PAINT SET", "WINDMILL", "INFLATABLE", "CRAFT", "SOLDIER", "MARBLES", "HELICOPTER", "PUPPET")),
    ("Garden", ("GARDEN", "PLANT", "FLOWER POT", "WATERING", "BIRD", "HERB", "SEED", "HAMMOCK", "GROW YOUR OWN",
                "WINDCHIME", "CHIME", "TOADSTOOL")),
    ("Jewellery & Accessories", ("NECKLACE", "BRACELET", "EARRING", "RING", "HAIR", "BROOCH", "UMBRELLA",
                                 "JEWEL", "CHARM", "WALLET", "SCARF", "GLOVES", "PASSPORT",
                                 "LUGGAGE TAG", "BANGLE", "TIARA", "EAR MUFF", "HAND WARMER", "SLIPPER", "PARASOL",
                                 "PONCHO", "BADGE", "HEADPHONES", "NECKL", "KEY", "SUNGLASSES", "COMPACT MIRROR")),
    ("Storage", ("BOX", "BASKET", "STORAGE", "CRATE", "DRAWER", "HOOK", "HANGER", "RACK", "HOLDER")),
    ("Home Decor", ("HEART", "SIGN", "FRAME", "MIRROR", "CLOCK", "CUSHION", "DOORSTOP", "ORNAMENT", "VASE",
                    "DECORATION", "WREATH", "GARLAND", "PLAQUE", "BELL", "HANGING", "DOOR", "BUNNY", "CHALK",
                    "WALL", "THROW", "QUILT", "BLANKET", "TOWEL", "ART FLOWER", "ARTIFICIAL FLOWER",
                    "TILE", "LETTERS", "PICTURE", "PRINT", "FEATHER", "MAT", "BIN", "POMPOM", "CURTAIN",
                    "PEG", "ROSE", "FLOWER")),
]

# a keyword must start a word ('TIN' matches 'TINS' but not 'PAINTING'; 'RING' not 'STRING')
_COMPILED = [(name, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")")) for name, words in RULES]


def categorize(description: str | None) -> str:
    """The category for a product description ('Other' when no rule matches)."""
    text = (description or "").upper()
    for name, pattern in _COMPILED:
        if pattern.search(text):
            return name
    return "Other"
