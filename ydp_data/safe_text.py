"""Text from the data or a URL shown as text: escaped for Streamlit's Markdown, plotly's labels, our HTML and a <script>.

The dashboard's own words may use Markdown (**bold**) and plotly's <br>; a value from datasets/ or from a link
never does. Escape the value, not the template: T("… {title} …", title=md(value)), y=[plot(v) for v in values].
"""

from __future__ import annotations

import html
import json
import re

WORD_JOINER = "\u2060"  # invisible and zero-width; breaks a pattern without changing what the reader sees

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Streamlit rewrites some text after Markdown has resolved the escapes: links from 'https://', 'www.' and
# e-mail addresses, ':material_x:' and ':emoji:' codes and arrows (' -> ', ' <= '); a word joiner breaks them.
_TEXT_REWRITES = re.compile(r"(?<=[:@])|(?<=www)(?=\.)|(?<=[-<>~])(?=[->=])", re.IGNORECASE)
_MARKDOWN = re.compile(r"([\\`*_~\[\]!|$<>#:&@{}])")  # backslash escapes: links, images, :color[], $math$, HTML
_BLOCK_START = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|[-+](?=\s|$))")  # a list item at the very start


def md(text: object) -> str:
    """A value shown literally by st.markdown, st.caption, st.header, st.warning and metric labels: one line, no
    link, image, colour, icon, emoji, formula, HTML, heading or list."""
    flat = _LINE_BREAK.sub(" ", str(text)).lstrip()
    escaped = _MARKDOWN.sub(r"\\\1", _TEXT_REWRITES.sub(WORD_JOINER, flat))
    return _BLOCK_START.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0], escaped)


def plot(text: object) -> str:
    """A value shown literally in a plotly label, tick, legend, hover or annotation (plotly reads a subset of HTML
    in them and shows &amp;, &lt; and &gt; as the characters)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_text(text: object) -> str:
    """A value shown literally in HTML of ours (the headline cards, drawn by st.html), on one line: no tag, entity
    or attribute of its own."""
    return html.escape(_LINE_BREAK.sub(" ", str(text)), quote=True)


def shorten(text: str, limit: int = 40) -> str:
    """At most limit characters, with '…' when cut: a value from a URL is shown, not echoed whole."""
    return text if len(text) <= limit else text[:limit] + "…"


_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: object) -> str:
    """JSON that can sit inside an HTML <script> element: no '</script>', '<!--' or line separator can end or
    change the script, whatever strings the value holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m[0]], text)
