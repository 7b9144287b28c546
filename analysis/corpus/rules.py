"""The named removal rules: each finds spans of scraping noise in a text.

A :class:`Rule` has a name, a description and a ``find(text)`` that yields
``(start, end)`` spans.  :data:`RULES` holds every rule in priority order:
WordPress footers, comment forms, photo credits, camera file names,
truncation markers and so on.  :data:`BOUNDARY_RULES` and
:data:`TRUNCATION_RULES` name the rules whose removals mark the end of a post
on a listing page (used by :mod:`analysis.corpus.segment`);
:func:`rules_table` lists the rules for docs and notebooks.  The rules run in
:func:`analysis.corpus.clean.clean_text`, which audits every removal.

Examples
--------
>>> rule = next(r for r in RULES if r.name == "end_mark")
>>> list(rule.find("The end.\\n# # #"))
[(9, 14)]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "RULES",
    "BOUNDARY_RULES",
    "TRUNCATION_RULES",
    "Rule",
    "rules_table",
]

Span = tuple[int, int]


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
    """The non-empty lines of ``text`` as ``(start, end, line)``."""
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


_HAS_CREDIT_WORD = _contains("photo", "image", "credit", "foto", "picture", fold=True)


def _find_photo_credits(text: str) -> Iterable[Span]:
    """Lines (of at most 25 words) with a photo credit, plus the name after an open credit."""
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
    """A one-line block between a photo credit and the article body."""
    if not _HAS_CREDIT_WORD(text):
        return
    blocks = _blocks(text)
    for i in range(1, len(blocks) - 1):
        start, end, block = blocks[i]
        if ("\n" not in block and len(block.split()) <= 15 and _CREDIT.search(blocks[i - 1][2])
                and not _CREDIT.search(block) and len(blocks[i + 1][2].split()) >= 20):
            yield start, end


def _find_orphan_link_text(text: str) -> Iterable[Span]:
    """A short lowercase label standing alone between two paragraphs."""
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
    """The bracket syntax around a markdown link's text, not the text itself."""
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
