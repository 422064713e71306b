"""Terminal-safe text: what the app and the command line show of an article. No Textual here, so
the command line imports it without loading the app."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

# Spaces are shown as spaces: the ones ingest.text folds to " " (a copy, for tui reads no ingest module)
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"


def visible(text: str, one_line: bool = False) -> str:
    """Text safe to print on a terminal, same length: control characters (escape sequences, OSC,
    bells) and bidi overrides become visible symbols, so article text can never drive the
    terminal or reorder what is shown. Newlines and tabs stay, unless `one_line`: a name, a path
    or a value inside a line of its own (a message, a tab-separated field) must not split it.
    The app and the command line print everything that comes from data through this."""
    if text.isprintable():
        return text
    kept = "" if one_line else "\n\t"
    return "".join(c if c in kept else _visible_char(c) for c in text)


def _visible_char(c: str) -> str:
    if c.isprintable() or (c in _SPACES and c != "\t"):
        return c
    code = ord(c)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"  # C1 controls, bidi overrides and other invisible formatting


def clip(text: str, width: int) -> str:
    """Text in `width` terminal cells: whole if it fits, else cut with an ellipsis, at a word
    boundary when one is in the second half (a cut in mid-word always ends in the ellipsis)."""
    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    head = set_cell_size(text, width - 1).rstrip()
    space = head.rfind(" ")
    if space >= width // 2 and not text[len(head) : len(head) + 1].isspace():
        head = head[:space]
    return head.rstrip(" ,;:–-(") + "…"
