"""Normalise text and remove scraping noise, auditing every change.

Two layers, in the manner of textacy's ``preprocessing``:

* **Normalisers** are small ``str -> str`` functions (:func:`fix_unicode`,
  :func:`fix_mixed_scripts`, ...) composed once with :func:`make_pipeline`.
  They are applied line by line; each changed line is one audit row
  (stage ``normalise``).
* **Removal rules** (:data:`RULES`) each find spans of noise in the
  normalised text: WordPress footers, comment forms, photo credits, camera
  file names, truncation markers and so on.  Every span removed is one audit
  row (stage ``clean``) with the rule's name, the removed text and its
  position.  Whitespace is then tidied and paragraphs broken by the page
  layout are re-joined; each join is an audit row too.

The guarantee, checked by ``tests/test_clean.py`` on the sample corpus and by
property tests: apart from whitespace, the cleaned text is exactly the
normalised text minus the audited spans.  Rules run until nothing more
matches, so cleaning is idempotent.

Examples
--------
>>> result = clean_text("We are back. Continue reading\\n\\nPosted in News | Leave a comment")
>>> result.text
'We are back.'
>>> [r["rule"] for r in result.audit]
['continue_reading', 'post_footer']
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import ftfy
import numpy as np
import pandas as pd

from .schema import audit_frame

__all__ = [
    "RULES",
    "BOUNDARY_RULES",
    "Rule",
    "CleanResult",
    "make_pipeline",
    "fix_unicode",
    "fix_mixed_scripts",
    "normalise_line",
    "normalise_text",
    "clean_text",
    "clean_documents",
    "rules_table",
]

Span = tuple[int, int]

# --------------------------------------------------------------------------
# Normalisers: str -> str
# --------------------------------------------------------------------------

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_LAT2CYR = dict(zip("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ", strict=True))
_CYR2LAT = {v: k for k, v in _LAT2CYR.items()}
_WORD = re.compile(r"\w+")


def make_pipeline(*funcs: Callable[[str], str]) -> Callable[[str], str]:
    """Compose ``str -> str`` functions, applied left to right.

    Examples
    --------
    >>> make_pipeline(str.strip, str.lower)("  Hello ")
    'hello'
    """

    def pipeline(text: str) -> str:
        for func in funcs:
            text = func(text)
        return text

    return pipeline


def fix_unicode(text: str) -> str:
    """Repair mojibake, straighten curly quotes and apply NFC (ftfy).

    Examples
    --------
    >>> fix_unicode("SueÃ±os Repetidos â€” â€œliveâ€\x9d")
    'Sueños Repetidos — "live"'
    """
    return ftfy.fix_text(text, uncurl_quotes=True, normalization="NFC")


def replace_special_spaces(text: str) -> str:
    """Turn no-break and other typographic spaces into plain spaces.

    Examples
    --------
    >>> replace_special_spaces("13\\u00a0countries")
    '13 countries'
    """
    return _SPACES.sub(" ", text)


def remove_invisible(text: str) -> str:
    """Drop soft hyphens, zero-width characters and stray byte-order marks."""
    return _INVISIBLE.sub("", text)


def fix_mixed_scripts(text: str) -> str:
    """Repair words that mix Latin and Cyrillic look-alike letters.

    Scrapes and copy-pasted statements often hold words such as ``Pоссия``
    with a Latin ``P``.  In a word that mixes the two scripts, look-alike
    letters of the minority script are replaced by those of the majority.

    Examples
    --------
    >>> fix_mixed_scripts("Pоссия and Russiа")
    'Россия and Russia'
    """
    if text.isascii():  # no Cyrillic letter, nothing to repair
        return text

    def repair(match: re.Match) -> str:
        word = match.group()
        if word.isascii():
            return word
        cyr = sum("CYRILLIC" in unicodedata.name(c, "") for c in word)
        lat = sum("LATIN" in unicodedata.name(c, "") for c in word)
        if not cyr or not lat:
            return word
        table = _LAT2CYR if cyr >= lat else _CYR2LAT
        return "".join(table.get(c, c) for c in word)

    return _WORD.sub(repair, text)


#: The normaliser applied to every line before the removal rules run.
normalise_line = make_pipeline(fix_unicode, replace_special_spaces, remove_invisible,
                               fix_mixed_scripts)


def _is_plain(line: str) -> bool:
    """True when :data:`normalise_line` cannot change ``line``.

    Printable ASCII without ``&`` is left alone by every normaliser: ftfy
    only changes ASCII text through HTML entities (``&``), terminal escapes
    and control characters, and the other normalisers act on non-ASCII
    characters only.  Skipping ftfy on such lines is the main saving of
    cleaning at scale; ``tests/test_fastpaths.py`` checks the equivalence.
    """
    return line.isascii() and line.isprintable() and "&" not in line


#: Normalised lines by raw line while :func:`_shared_lines` is active (a
#: build normalises every document twice: to find repeated lines, then to
#: clean it).  ``None`` outside.
_LINE_CACHE: dict[str, str] | None = None


@contextlib.contextmanager
def _shared_lines():
    """Normalise each distinct line once within the block, then forget them."""
    global _LINE_CACHE
    outer = _LINE_CACHE
    if outer is None:
        _LINE_CACHE = {}
    try:
        yield
    finally:
        _LINE_CACHE = outer


def _normalised_line(line: str) -> str:
    cache = _LINE_CACHE
    if cache is None:
        return normalise_line(line)
    fixed = cache.get(line)
    if fixed is None:
        fixed = cache[line] = normalise_line(line)
    return fixed


def normalise_text(raw: str) -> tuple[str, list[dict]]:
    """Normalise line endings and then each line; return text and audit rows.

    Offsets in the audit rows are into the raw text with its line endings
    turned into ``\\n``.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    out, rows, pos = [], [], 0
    for line in text.split("\n"):
        fixed = _normalised_line(line) if line and not _is_plain(line) else line
        if fixed != line:
            rows.append({"stage": "normalise", "rule": "normalise_unicode", "start": pos,
                         "end": pos + len(line), "text": line, "replacement": fixed})
        out.append(fixed)
        pos += len(line) + 1
    return "\n".join(out), rows


# --------------------------------------------------------------------------
# Removal rules
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A named noise detector: ``find(text)`` yields ``(start, end)`` spans."""

    name: str
    description: str
    find: Callable[[str], Iterable[Span]]


_FOLD_EXTRA = str.maketrans({"ı": "i", "ſ": "s", "\u0307": ""})


def _folded(text: str) -> str:
    """Lower-cased text in which every ``re.IGNORECASE`` match of ASCII words is found.

    Besides ``str.lower``, ``re`` folds dotless ``ı`` to ``i`` and long ``ſ``
    to ``s``, and ``İ`` to ``i`` (``str.lower`` gives ``i`` plus a combining
    dot, dropped here).
    """
    low = text.lower()
    if "ı" in low or "ſ" in low or "\u0307" in low:
        return low.translate(_FOLD_EXTRA)
    return low


def _contains(*words: str, fold: bool = False) -> Callable[[str], bool]:
    """A cheap necessary condition: the text holds one of ``words``."""
    def test(text: str) -> bool:
        text = _folded(text) if fold else text
        return any(w in text for w in words)

    return test


def _regex(pattern: str, flags: int = re.MULTILINE, *, max_words: int | None = None,
           needs: Callable[[str], bool] | None = None):
    """A rule's ``find`` from a regex.

    ``needs`` is a cheap test that every text with a match passes (usually
    :func:`_contains`); it only saves time: when it fails, the pattern
    cannot match and is not run.
    """
    compiled = re.compile(pattern, flags)

    def find(text: str) -> Iterable[Span]:
        if needs is not None and not needs(text):
            return
        for m in compiled.finditer(text):
            if m.end() > m.start() and (max_words is None
                                        or len(m.group().split()) <= max_words):
                yield m.span()

    return find


def _lines(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]


_BLOCK = re.compile(r"\S(?:[^\n]+|\n(?![ \t]*\n))*")


@functools.lru_cache(maxsize=4)
def _blocks(text: str) -> list[tuple[int, int, str]]:
    """Paragraph blocks: runs of non-blank lines, trimmed of outer whitespace.

    Cached: two rules ask for the blocks of the same text in each pass.
    Callers must not modify the returned list.
    """
    out = []
    for m in _BLOCK.finditer(text):
        chunk = m.group().rstrip()
        out.append((m.start(), m.start() + len(chunk), chunk))
    return out


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_DATE = (rf"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?[ \t]+)?"
         rf"(?:\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:{_MONTHS})\.?,?|(?:{_MONTHS})\.?[ \t]+"
         rf"\d{{1,2}}(?:st|nd|rd|th)?,?)[ \t]+\d{{4}}"
         rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}")
_CREDIT = re.compile(r"\b(?:Photos?|Image|Credit|Foto|Picture)s?[ \t]*(?::|by\b|©)", re.I)
_CREDIT_OPEN = re.compile(r"\b(?:Photos?|Image|Credit|Foto|Picture)s?[ \t]*(?::|by)[ \t]*$", re.I)
_TERMINAL = ".!?:;,\"')]»"
_CLOSING = ".!?:;\"')]»"  # a break after any other character may be a layout break


_HAS_CREDIT_WORD = _contains("photo", "image", "credit", "foto", "picture", fold=True)


def _find_photo_credits(text: str) -> Iterable[Span]:
    if not _HAS_CREDIT_WORD(text):  # needed by _CREDIT.search on any line
        return
    lines = _lines(text)
    for i, (start, end, line) in enumerate(lines):
        if _CREDIT.search(line) and len(line.split()) <= 25:
            if _CREDIT_OPEN.search(line) and i + 1 < len(lines):
                nstart, nend, nxt = lines[i + 1]
                if len(nxt.split()) <= 5 and not nxt.rstrip().endswith("."):
                    end = nend
            yield start, end


def _find_photo_captions(text: str) -> Iterable[Span]:
    if not _HAS_CREDIT_WORD(text):
        return
    blocks = _blocks(text)
    for i in range(1, len(blocks) - 1):
        start, end, block = blocks[i]
        if ("\n" not in block and len(block.split()) <= 15 and _CREDIT.search(blocks[i - 1][2])
                and not _CREDIT.search(block) and len(blocks[i + 1][2].split()) >= 20):
            yield start, end


def _find_orphan_link_text(text: str) -> Iterable[Span]:
    blocks = _blocks(text)
    for i in range(1, len(blocks) - 1):
        start, end, block = blocks[i]
        words = block.split()
        if ("\n" not in block and 1 <= len(words) <= 3 and block[0].islower()
                and block[-1] not in _TERMINAL and blocks[i - 1][2][-1] in ".!?"
                and blocks[i + 1][2][0].isupper()):
            yield start, end


_MD_LINK = re.compile(r"(\[)([^\[\]\n]{1,300})(\]\([^()\s]*\))")


def _find_markdown_links(text: str) -> Iterable[Span]:
    for m in _MD_LINK.finditer(text):
        yield m.span(1)
        yield m.span(3)


_COMMENT_FORM = [
    "Leave a Reply", "Leave a Reply Cancel reply", "Cancel reply", "Leave a comment",
    "Your email address will not be published.", "Required fields are marked *",
    "Your email address will not be published. Required fields are marked *",
    "Comment", "Comment *", "Name *", "Email *", "Website", "Post Comment",
    "Save my name, email, and website in this browser for the next time I comment.",
    "Notify me of follow-up comments by email.", "Notify me of new posts by email.",
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    "Share this:", "Like this:", "Like Loading...", "Related",
]
_COMMENT_FORM_RE = "|".join(re.escape(p) for p in sorted(_COMMENT_FORM, key=len, reverse=True))
_DOMAIN = (r"(?:https?://)?(?:www\.)?[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\."
           r"(?:org|com|net|info|gr|uk|de|fr|es|it|ru|ua|eu|io|ca|au|us|ph|tr|ch|be|nl|se|pl|"
           r"pt|ar|mx|br|in|ve|cu)/?")

#: Every removal rule, in priority order (an earlier rule wins an overlap).
RULES: tuple[Rule, ...] = (
    Rule("comment_form", "WordPress comment form and share widget lines ('Leave a Reply', "
         "'Your email address will not be published.', 'Share this:')",
         _regex(rf"^[ \t]*(?:{_COMMENT_FORM_RE})[ \t]*$", re.M | re.I)),
    Rule("post_footer", "WordPress post footers: 'Posted in ... | Tagged ... | 2 Comments', "
         "'Quote | Posted on by | ...', bare 'Tagged' and comment-count lines",
         _regex(r"^[ \t]*(?:(?:Quote|Video|Image|Gallery|Aside|Link|Audio|Status|Standard|Chat)"
                r"[ \t]*\|[ \t]*)?(?:(?:Posted|Published|Filed)[ \t]+(?:in|on|under)\b"
                r"(?=[^\n]*(?:\||Tagged|[Cc]omment))[^\n]*|Tagged[ \t][^\n]*|"
                r"(?:\d+|No|One)[ \t]+[Cc]omments?)[ \t]*$", max_words=40)),
    Rule("continue_reading", "'Continue reading', 'Read more' and their translations ending "
         "an excerpt", _regex(r"[ \t]*\b(?:Continue reading|Read more|Read More|Lire la suite|"
                              r"Leer más|Seguir leyendo|Weiterlesen|Leggi tutto|Читать далее)"
                              r"(?:[ \t]*(?:→|»|\.\.\.|…))?[ \t]*$",
                              needs=_contains("Continue reading", "Read more", "Read More",
                                              "Lire la suite", "Leer más", "Seguir leyendo",
                                              "Weiterlesen", "Leggi tutto", "Читать далее"))),
    Rule("newsletter_residue", "newsletter sign-up lines ('[*Click here*](#) to subscribe to "
         "*ESSF* newsletters ...')",
         _regex(r"^[^\n]*\b(?:subscribe|sign[ -]up|abonnez|abonner|suscr[ií]b)[^\n]*"
                r"\b(?:newsletters?|mailing list|bulletin|lettre)\b[^\n]*$", re.M | re.I,
                max_words=40, needs=_contains("subscribe", "sign up", "sign-up", "abonnez",
                                         "abonner", "suscrib", "suscríb", fold=True))),
    Rule("end_mark", "press-release end marks ('# # #', '-30-', '***', 'ENDS')",
         _regex(r"^[ \t]*(?:#[ \t]*#[ \t]*#|-[ \t]?30[ \t]?-|\*[ \t]*\*[ \t]*\*|ENDS)[ \t]*$")),
    Rule("dateline", "a line holding only a date, or a CMS dateline 'Monday 20 June 2022, by "
         "X (Date first published: ...)' (the date is in the manifest)",
         _regex(rf"^[ \t]*(?:{_DATE})(?:[ \t]*,?[ \t]*by\b[^\n]*)?[ \t]*\.?[ \t]*$")),
    Rule("byline", "a short 'written by X' / 'Issued by X' line (the author is in the manifest)",
         _regex(r"^[ \t]*(?:(?:written|posted|issued|published|text|words|interview)[ \t]+)?"
                r"(?:by|par|por|von)[ \t]+[^\n.!?]{2,80}$", re.M | re.I, max_words=10)),
    Rule("site_name_line", "a line holding nothing but a site name or domain (banner or "
         "signature; the source is in the manifest)", _regex(rf"^[ \t]*{_DOMAIN}[ \t]*$")),
    Rule("photo_credit", "photo credits and captions with a credit ('... Photo: United Communist "
         "Party', 'Jane Letova Photo: / Alexander Kubalov')", _find_photo_credits),
    Rule("photo_caption", "a one-line caption block that directly follows a photo credit and "
         "precedes the article body", _find_photo_captions),
    Rule("camera_filename", "camera and upload file names glued to text "
         "('11210369_10152950122708983_1384837663_n', 'DSC_0091')",
         _regex(r"\b(?:\d{5,}_\d{5,}_\d{5,}_[a-z]|(?:DSC|DSCN|DSCF|IMG|PIC|PXL)[_-]?\d{3,})"
                r"(?:\.(?:jpe?g|png|gif))?(?=[A-Z\s\"]|$)",
                needs=_contains("_", "DSC", "IMG", "PIC", "PXL"))),
    Rule("media_tag", "media labels at the start of a title ('[VIDEO] ')",
         _regex(r"^[ \t]*\[(?:VIDEO|AUDIO|PHOTOS?|GALLERY|PODCAST|WATCH|LISTEN)\][ \t]*",
                re.M | re.I)),
    Rule("truncation_marker", "excerpt truncation markers '[...]' and '[…]'",
         _regex(r"[ \t]*(?:\[(?:\.{3}|…)\]|\((?:\.{3}|…)\))",
                needs=_contains("[...", "[…", "(...", "(…"))),
    Rule("dangling_ps", "an empty 'P.S.' heading left over from the page template",
         _regex(r"^[ \t]*P\.[ \t]?S\.?[ \t]*$")),
    Rule("markdown_link", "markdown link syntax around kept link text: '[text](#)' -> 'text'",
         _find_markdown_links),
    Rule("orphan_link_text", "a displaced link label standing alone between paragraphs "
         "(1-3 lowercase words, e.g. 'view the')", _find_orphan_link_text),
)

#: Rules whose removal marks the end of a post on a listing page.
BOUNDARY_RULES = frozenset({"truncation_marker", "continue_reading", "post_footer"})
#: Rules whose removal means the post before it was cut short.
TRUNCATION_RULES = frozenset({"truncation_marker", "continue_reading"})


def rules_table(rules: Iterable[Rule] = RULES) -> pd.DataFrame:
    """The removal rules as a table (name, description), for docs and notebooks."""
    return pd.DataFrame([{"rule": r.name, "description": r.description} for r in rules])


# --------------------------------------------------------------------------
# Cleaning with position tracking
# --------------------------------------------------------------------------


@dataclass
class CleanResult:
    """Cleaned text plus the audit rows that account for every change."""

    text: str
    audit: list[dict]
    normalised: str


def _find_spans(text: str, rules: Iterable[Rule]) -> list[tuple[int, int, str]]:
    """All rule matches, made non-overlapping (earlier rules win ties)."""
    found = []
    for priority, rule in enumerate(rules):
        for start, end in rule.find(text):
            found.append((start, -(end - start), priority, end, rule.name))
    found.sort()
    spans, last = [], 0
    for start, _, _, end, name in found:
        start = max(start, last)
        if end > start and text[start:end].strip():
            spans.append((start, end, name))
            last = end
    return spans


def _delete(text: str, origin: np.ndarray, spans: list[tuple[int, int, str]]):
    keep = np.ones(len(text), dtype=bool)
    for start, end, _ in spans:
        keep[start:end] = False
    pieces, last = [], 0
    for start, end, _ in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), origin[keep]


def _sub(text: str, origin: np.ndarray, pattern: re.Pattern, repl: Callable[[re.Match], str]):
    """``re.sub`` that keeps ``origin`` (each character's normalised offset) aligned."""
    pieces, origins, last = [], [], 0
    for m in pattern.finditer(text):
        new = repl(m)
        if new == m.group():
            continue
        pieces.append(text[last:m.start()])
        origins.append(origin[last:m.start()])
        pieces.append(new)
        origins.append(np.full(len(new), origin[m.start()], dtype=origin.dtype))
        last = m.end()
    if not pieces:
        return text, origin
    pieces.append(text[last:])
    origins.append(origin[last:])
    return "".join(pieces), np.concatenate(origins)


# Runs of horizontal space other than a lone " ", and newlines with a space
# beside them: matching only what changes keeps _sub's Python loop short.
_HSPACE = re.compile(r" [^\S\n]+|[^\S\n ][^\S\n]*")
_EDGE_SPACE = re.compile(r" \n ?|\n ")
_BLANK_RUN = re.compile(r"\n{3,}")
_BREAK = re.compile(r"\n\n?")


def _tidy(text: str, origin: np.ndarray, barriers: np.ndarray, rows: list[dict], *,
          join_breaks: bool = True):
    """Tidy whitespace and join lines/paragraphs broken by the page layout.

    A break is joined when the text before it lacks closing punctuation and
    the text after it starts with a lowercase letter.  Joins do not look at
    removed post boundaries (that would make cleaning depend on text no
    longer there, and so not idempotent); segmentation cuts posts at the
    boundary's exact position instead (``clean_pos``).
    """
    text, origin = _sub(text, origin, _HSPACE, lambda m: " ")
    text, origin = _sub(text, origin, _EDGE_SPACE, lambda m: "\n")
    text, origin = _sub(text, origin, _BLANK_RUN, lambda m: "\n\n")

    def join(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not before or before in _CLOSING or not after.islower():
            return m.group()
        rule = "join_broken_paragraph" if m.group() == "\n\n" else "join_broken_line"
        rows.append({"stage": "clean", "rule": rule, "start": int(origin[m.start()]),
                     "end": int(origin[m.end() - 1]) + 1, "text": m.group(), "replacement": " "})
        return " "

    if join_breaks:
        text, origin = _sub(text, origin, _BREAK, join)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    return stripped, origin[lead:lead + len(stripped)]


def clean_text(raw: str, *, rules: Iterable[Rule] = RULES, max_passes: int = 10) -> CleanResult:
    """Normalise and clean one text, returning the cleaned text and its audit.

    Parameters
    ----------
    raw : str
        Decoded raw text.
    rules : iterable of Rule
        Removal rules in priority order; :data:`RULES` by default.
    max_passes : int
        Rules and joins re-run on their own output until nothing changes
        (removing one span, or joining two lines, can expose another match),
        at most this many times.

    Returns
    -------
    CleanResult
        ``text``; ``audit`` rows (stage, rule, start, end, text, replacement,
        clean_pos); and the ``normalised`` text that clean-stage offsets
        refer to.
    """
    rules = tuple(rules)
    normalised, rows = normalise_text(raw)
    text, origin = normalised, np.arange(len(normalised), dtype=np.int64)
    removals: list[dict] = []
    barriers = np.empty(0, dtype=np.int64)
    text, origin = _tidy(text, origin, barriers, removals, join_breaks=False)
    for _ in range(max_passes):
        spans = _find_spans(text, rules)
        for start, end, name in spans:
            removals.append({"stage": "clean", "rule": name, "start": int(origin[start]),
                             "end": int(origin[end - 1]) + 1, "text": text[start:end],
                             "replacement": None})
        barriers = np.array(sorted(r["start"] for r in removals if r["rule"] in BOUNDARY_RULES),
                            dtype=np.int64)
        text, origin = _delete(text, origin, spans)
        n_rows = len(removals)
        text, origin = _tidy(text, origin, barriers, removals)
        if not spans and len(removals) == n_rows:
            break  # nothing removed and nothing joined: a fixed point
    for row in removals:
        row["clean_pos"] = int(np.searchsorted(origin, row["end"], side="left"))
    removals.sort(key=lambda r: (r["start"], r["end"]))
    return CleanResult(text=text, audit=rows + removals, normalised=normalised)


def clean_documents(documents: pd.DataFrame, *, rules: Iterable[Rule] = RULES,
                    rules_by_source: Mapping[str, Iterable[Rule]] | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean the ``raw_text`` of every document.

    Parameters
    ----------
    documents : DataFrame
        A documents table (:class:`analysis.corpus.schema.Documents`); not modified.
    rules : iterable of Rule
        Removal rules; :data:`RULES` by default.
    rules_by_source : mapping of source to iterable of Rule, optional
        Rules for the documents of some sources instead of ``rules`` (needs a
        ``source`` column; :func:`analysis.corpus.boilerplate.clean_with_boilerplate`
        adds each site's repeated lines this way).

    Returns
    -------
    (documents, audit) : tuple of DataFrame
        A copy of ``documents`` with the cleaned ``text``, and the audit rows
        (:class:`analysis.corpus.schema.Audit`).  A document left empty by cleaning
        keeps its row, with an audit row of rule ``empty_after_cleaning``.
    """
    rules = tuple(rules)
    by_source = {s: tuple(r) for s, r in (rules_by_source or {}).items()}
    out = documents.copy()
    sources = out["source"] if by_source else [None] * len(out)
    texts, audit = [], []
    for doc_id, source, raw in zip(out["doc_id"], sources, out["raw_text"], strict=True):
        result = clean_text(raw, rules=by_source.get(source, rules))
        texts.append(result.text)
        audit.extend({**row, "doc_id": doc_id} for row in result.audit)
        if not result.text:
            audit.append({"doc_id": doc_id, "stage": "clean", "rule": "empty_after_cleaning",
                          "detail": "every line of the document was removed as noise"})
    out["text"] = texts
    return out, audit_frame(audit)
