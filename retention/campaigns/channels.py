"""Channel length rules. SMS length is counted the way carriers count it: GSM-7 septets (extension characters
such as € [ ] { } count twice) with 160 per single message; any character outside GSM-7 (Chinese, emoji, curly
quotes) switches the message to UCS-2, counted in UTF-16 code units with 70 per single message."""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = set("^{}\\[~]|€\f")

EMAIL_SUBJECT_MAX = 80
EMAIL_PREHEADER_MAX = 140
EMAIL_BODY_MAX = 5000
PUSH_TITLE_MAX = 50
PUSH_BODY_MAX = 150
SMS_GSM7_MAX = 160
SMS_UCS2_MAX = 70


@dataclass(frozen=True)
class SmsLength:
    encoding: str      # gsm7 | ucs2
    units: int         # septets for gsm7, UTF-16 code units for ucs2
    limit: int

    @property
    def ok(self) -> bool:
        return self.units <= self.limit


def sms_length(text: str) -> SmsLength:
    """How long an SMS is for a carrier, and the single-message limit for its encoding."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return SmsLength("gsm7", sum(2 if c in GSM7_EXTENSION else 1 for c in text), SMS_GSM7_MAX)
    return SmsLength("ucs2", len(text.encode("utf-16-le")) // 2, SMS_UCS2_MAX)
