"""The offline engine: routes a turn to an intent, extracts slots, plans tool calls, composes replies."""
