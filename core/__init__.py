"""The base layer: settings, the error family, the principal and session, language detection.

Every other package may import core; core imports none of them.
"""
