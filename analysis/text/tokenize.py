"""The package's one tokenizer and one sentence splitter.

Every step that needs words or sentences takes them from here: the corpus
tools (:mod:`analysis.discourse.tools`), Latent Semantic Scaling
(:mod:`analysis.framing.lss`), language checks and near-duplicate shingles
(:mod:`analysis.corpus.language`, :mod:`analysis.corpus.groups`,
:mod:`analysis.corpus.minhash`, :mod:`analysis.corpus.coverage`), the topic
vectorizer (:mod:`analysis.topics.model`) and the framing lexicon's
sentences and scare-quote words (:mod:`analysis.framing.lexicon`).
``tests/test_tokenize.py`` fails when a second definition appears elsewhere
in the package.

What a token is
---------------
A token is a run of letters and digits of any script (Python's ``\\w``
without the underscore), together with the combining marks that follow a
letter (U+0300-U+036F and U+0483-U+0489 for Latin, Greek and Cyrillic
text in decomposed form; the Arabic harakat U+0610-U+061A, U+064B-U+065F,
U+0670, U+06D6-U+06ED), so that decomposed "é" or vocalised Arabic stays
one token.  Everything else separates tokens: spaces, punctuation, dashes
(– —), the underscore, soft hyphens and zero-width characters (the
cleaning step removes those before tokenizing).

Acronyms
    Dotted and undotted spellings give the same token: ``U.S.`` is ``US``,
    ``U.S.A.`` is ``USA``, ``É.-U.`` is ``ÉU``, ``e.g.`` is ``eg``.  A
    dotted acronym is two or more single letters each followed by a dot
    (Spanish ``EE. UU.``, pairs of letters, gives ``EE`` + ``UU``).
    ``US`` and ``USA`` stay two tokens (spellings, not synonyms, are
    unified).  With ``keep_acronyms=True`` (the default) a token, or a
    hyphen part of one, that is all capitals, letters and digits only, and
    two to six characters long (``US``, ``EU``, ``NATO``, ``OTAN``,
    ``США``, ``НАТО``, ``ΗΠΑ``, ``G7``; not ``L'``) keeps its case when
    the rest is lower-cased, so the ``US`` never becomes
    the pronoun ``us``.  All-capital headlines therefore keep short words
    in capitals too.
Hyphens
    A hyphen (``-``, U+2010 or U+2011, written ``-``) between two word
    characters joins: ``anti-imperialist``, ``Nord-Stream``, ``1959-1960``,
    ``COVID-19`` and ``US-backed`` are one token each, and so is
    ``U.S.-backed`` (``US-backed``, as undotted).  Leading, trailing and
    spaced hyphens separate, as do en and em dashes.
Apostrophes
    The ASCII apostrophe ``'`` and the typographic ``’`` (U+2019) are the
    same character in tokens (written ``'``); the Ukrainian modifier letter
    ``ʼ`` (U+02BC) is a letter for Python and is also written ``'``.  An
    apostrophe between word characters joins (``can't``, ``aujourd'hui``,
    ``O'Brien``, ``п'ять``), with two exceptions:

    * an **elided article, preposition or pronoun** of French, Italian or
      Catalan at the start of a word is its own token, apostrophe included:
      ``l'impérialisme`` is ``l'`` + ``impérialisme``, ``dell'imperialismo``
      is ``dell'`` + ``imperialismo``, ``qu'il`` is ``qu'`` + ``il``.  The
      elided forms are those of :data:`ELIDED_CLITICS`; a word that only
      happens to contain an apostrophe (``aujourd'hui``, ``quelqu'un``) is
      not split;
    * the English **clitic** ``'s`` is its own token: ``Putin's`` is
      ``putin`` + ``'s`` (possessive and "is" alike).  Other English
      contractions stay whole (``can't``, ``we're``).

    An apostrophe at the edge of a word is punctuation: ``Soviets'`` is
    ``soviets``, Italian ``po'`` is ``po``.
Digits
    Runs of digits are tokens (``2022``); decimal and thousands separators
    split (``3.5`` is ``3`` + ``5``).  :func:`word_tokens` drops every token
    that holds a digit.
Case
    ``lowercase=True`` applies ``str.lower`` (as scikit-learn does), except
    to acronyms when ``keep_acronyms=True``.
Scripts
    Latin, Cyrillic, Greek and Arabic letters are word characters.  Arabic
    clitics (``و``, ``ال``, ``ب``) stay attached to their word: no
    morphological segmentation.  Chinese, Japanese and Thai are **not
    segmented**: a run of their characters without spaces comes out as one
    token; use a dedicated segmenter before these functions if such text
    enters the corpus.

The rules were checked, by the examples in ``tests/test_tokenize.py``, on
English, French, Italian, Spanish, German, Russian, Ukrainian, Greek and
Arabic sentences written for the tests.

Sentences
---------
:func:`sentence_spans` is the framing lexicon's sentence rule, moved here
unchanged because the evidence of the framing model 2.0.0 depends on it
(``tests/test_prefilter.py`` and ``tests/test_document_measure.py`` check
that the lexicon's output is byte-identical).  A sentence ends

* at one or more newlines; or
* after ``.``, ``!``, ``?`` or ``…``, optionally followed by closing quotes
  or brackets (``" ' » ) ]``), then whitespace, when the next sentence
  starts (after optional opening marks ``" ' « ( [ ¡ ¿``) with a letter
  that is not a lower-case Latin or Russian letter (``a-z``, ``а-я``,
  ``ё``): an upper-case letter, or a letter of an uncased script;

except after a single Latin letter with a dot (``U.S.``, ``J.``) or one of
the abbreviations ``Mr Mrs Ms Dr St No Nos``, month names (``Jan`` ...
``Dec``), ``vs etc cf e.g i.e Gen Col Prof approx ca``.  Known limits,
kept because changing the rule is a new model version: the closing marks
after the full stop belong to the boundary rather than to either sentence
(:func:`split_sentences` gives them back to the sentence); typographic
closing quotes (``”``, ``“``, ``’``) prevent a boundary; Arabic ``؟`` and
the Greek question mark ``;`` are not sentence ends; Greek lower-case
letters and the Ukrainian ``і``, ``є``, ``ї``, ``ґ`` are not in
``a-z``/``а-я``, so a full stop before them ends a sentence ("... μία. και
..." is two), while a digit never starts one ("... 1914. 1918 ..." is one);
``No.`` is read as the abbreviation of "number", so "He said No. Then"
is one sentence.

scikit-learn
------------
:data:`TOKEN_PATTERN` is the tokenizer's regular expression without
capturing groups: ``CountVectorizer(token_pattern=TOKEN_PATTERN)`` finds
the raw spans that :func:`tokenize` normalises, so scikit-learn keeps the
dots of ``u.s.`` and the clitics of ``l'ukraine`` and ``putin's`` (and
lower-cases acronyms).  For the package's tokens pass the function:
``CountVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False)``.
:data:`SKLEARN_WORD_PATTERN` is scikit-learn's default pattern, the word
tokenizer of the framing model 2.0.0's hashed features; it is not this
tokenizer and must not change with it.

Fixed word patterns of the framing model 2.0.0
----------------------------------------------
:data:`SKLEARN_WORD_PATTERN` above and :data:`SCARE_QUOTE_WORD_PATTERN`, the
words the framing lexicon counts inside quotation marks to tell scare quotes
(at most ``scare_quote_words`` of them, a distancing cue) from quoted
speech, are part of the shipped model 2.0.0: its evidence depends on them,
so they are kept here, frozen, rather than following :func:`tokenize`.

Examples
--------
>>> tokenize("The U.S.-backed junta and Putin's inter-imperialist war, us too.")
['the', 'US-backed', 'junta', 'and', 'putin', "'s", 'inter-imperialist', 'war', 'us', 'too']
>>> tokenize("Contre l’impérialisme des É.-U. et de l'OTAN")
['contre', "l'", 'impérialisme', 'des', 'ÉU', 'et', 'de', "l'", 'OTAN']
>>> tokenize("Против НАТО и США, за мир!")
['против', 'НАТО', 'и', 'США', 'за', 'мир']
>>> split_sentences("The U.S. army left. Then NATO came! «¿Y ahora?» Nadie sabe.")
['The U.S. army left.', 'Then NATO came!', '«¿Y ahora?»', 'Nadie sabe.']
"""

from __future__ import annotations

import re

__all__ = [
    "tokenize",
    "word_tokens",
    "topic_tokens",
    "split_sentences",
    "sentence_spans",
    "is_acronym",
    "TOKEN_PATTERN",
    "TOKEN_RE",
    "ELIDED_CLITICS",
    "SKLEARN_WORD_PATTERN",
    "SCARE_QUOTE_WORD_PATTERN",
]

#: scikit-learn's default ``token_pattern``: the word tokenizer of the framing
#: model 2.0.0's hashed word features (:mod:`analysis.framing.features`).
#: Changing it is a new model version; it does not follow :func:`tokenize`.
SKLEARN_WORD_PATTERN = r"(?u)\b\w\w+\b"

#: The words of a quotation, as the framing lexicon counts them to decide
#: whether short quotation marks are scare quotes (a distancing cue,
#: :mod:`analysis.framing.lexicon`): runs of ``\w`` joined by inner
#: apostrophes (``'``, ``’``) or hyphens, so ``so-called`` and ``don't`` are
#: one word each.  Evidence of the framing model 2.0.0 depends on it:
#: changing it is a new model version; it does not follow :func:`tokenize`.
SCARE_QUOTE_WORD_PATTERN = r"\w+(?:['’-]\w+)*"

#: Elided forms of French, Italian and Catalan that are their own token when
#: they start a word before an apostrophe (matched in any case).
ELIDED_CLITICS = (
    # French (and Catalan: l', d', m', n', s', t')
    "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
    # Italian
    "v", "un", "all", "dall", "dell", "nell", "sull", "coll", "pell", "quell", "quest",
    "tutt", "nessun",
)

_MARKS = ("\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670"
          "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed")
_HYPHENS = "\\-\u2010\u2011"
_APOSTROPHES = "'\u2019"
_LETTER = r"[^\W\d_]"
_RUN = rf"[^\W_]+(?:[{_MARKS}]+[^\W_]*)*"

#: The tokenizer's regular expression: the raw spans that :func:`tokenize`
#: normalises.  One word character, then either the rest of a dotted acronym
#: (the first character a letter; an optional hyphenated tail) or the rest of
#: a word (joined by inner hyphens and apostrophes).  Elided clitics and
#: ``'s`` are still attached here: :func:`tokenize` splits them off.  No
#: capturing groups, so scikit-learn's ``token_pattern`` accepts it.
TOKEN_PATTERN = (
    rf"[^\W_](?:(?<={_LETTER})\.(?:-?{_LETTER}\.)+(?:(?:[{_HYPHENS}]{_RUN})+|(?![^\W_]))"
    rf"|[^\W_]*(?:[{_MARKS}]+[^\W_]*)*(?:[{_HYPHENS}{_APOSTROPHES}]{_RUN})*)"
)
#: :data:`TOKEN_PATTERN`, compiled.
TOKEN_RE = re.compile(TOKEN_PATTERN)

_CLITIC_SET = frozenset(ELIDED_CLITICS)
_UNIFY = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})


def is_acronym(word: str) -> bool:
    """All capitals, letters and digits only, two to six characters: ``US``, ``США``, ``G7``.

    Examples
    --------
    >>> is_acronym("NATO"), is_acronym("Nato"), is_acronym("I"), is_acronym("L'")
    (True, False, False, False)
    """
    return 2 <= len(word) <= 6 and word.isupper() and word.isalnum()


def _split_clitics(raw: str) -> list[str]:
    """Split an elided clitic off the front and ``'s`` off the end of a raw span."""
    pieces = []
    cut = min(i for i in (raw.find("'"), raw.find("\u2019")) if i >= 0)
    if raw[:cut].lower() in _CLITIC_SET:
        pieces.append(raw[:cut + 1])
        raw = raw[cut + 1:]
    if len(raw) > 2 and raw[-2] in _APOSTROPHES and raw[-1] in "sS":
        pieces.extend((raw[:-2], raw[-2:]))
    else:
        pieces.append(raw)
    return pieces


def _normalise(token: str, lowercase: bool, keep_acronyms: bool) -> str:
    if "." in token:  # only a dotted acronym holds dots: "U.S.", "É.-U.", "U.S.-backed"
        head, _, tail = token.rpartition(".")
        token = head.replace(".", "").replace("-", "").replace("\u2010", "") \
            .replace("\u2011", "") + tail
    token = token.translate(_UNIFY)
    if not lowercase:
        return token
    if not keep_acronyms:
        return token.lower()
    if "-" not in token:
        return token if is_acronym(token) else token.lower()
    return "-".join(p if is_acronym(p) else p.lower() for p in token.split("-"))


def tokenize(text: str, *, lowercase: bool = True, keep_acronyms: bool = True) -> list[str]:
    """Split a text into word tokens (see the module docstring for the rules).

    Parameters
    ----------
    text : str
        Text to split (cleaned: no soft hyphens or zero-width characters).
    lowercase : bool
        Lower-case the tokens (``str.lower``).
    keep_acronyms : bool
        With ``lowercase``, keep all-capital tokens and hyphen parts of two
        to six characters as they are (:func:`is_acronym`), so ``US`` stays
        apart from the pronoun ``us``.

    Returns
    -------
    list of str
        The tokens in text order.  Acronym dots are dropped, apostrophes are
        written ``'`` and hyphens ``-``.

    Examples
    --------
    >>> tokenize("Anti-imperialist, not pro-Russian: US and NATO's war on us.")
    ['anti-imperialist', 'not', 'pro-russian', 'US', 'and', 'NATO', "'s", 'war', 'on', 'us']
    >>> tokenize("U.S. bases, the U.K. and the EU, e.g. in the U.S.A.")
    ['US', 'bases', 'the', 'UK', 'and', 'the', 'EU', 'eg', 'in', 'the', 'USA']
    >>> tokenize("The US told us", keep_acronyms=False)
    ['the', 'us', 'told', 'us']
    >>> tokenize("dell'imperialismo statunitense, l'Ucraina", lowercase=False)
    ["dell'", 'imperialismo', 'statunitense', "l'", 'Ucraina']
    """
    out = []
    for raw in TOKEN_RE.findall(text):
        if "'" in raw or "\u2019" in raw:
            out.extend(_normalise(p, lowercase, keep_acronyms) for p in _split_clitics(raw))
        elif raw.isalnum() and "\u02bc" not in raw:  # most tokens: nothing to normalise
            out.append(raw if not lowercase or (keep_acronyms and is_acronym(raw))
                       else raw.lower())
        else:
            out.append(_normalise(raw, lowercase, keep_acronyms))
    return out


def word_tokens(text: str, *, min_letters: int = 1, lowercase: bool = True,
                keep_acronyms: bool = True) -> list[str]:
    """The tokens that are words: no digit, at least ``min_letters`` letters.

    Parameters
    ----------
    text : str
        Text to split.
    min_letters : int
        Fewest letters a word has (apostrophes and hyphens do not count), so
        ``min_letters=2`` drops ``l'``, ``'s`` and single letters.
    lowercase, keep_acronyms : bool
        As for :func:`tokenize`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> word_tokens("In 2022 the U.S. sent 31 tanks to Ukraine's army.")
    ['in', 'the', 'US', 'sent', 'tanks', 'to', 'ukraine', "'s", 'army']
    >>> word_tokens("L'Italia e la NATO nel 2022", min_letters=2)
    ['italia', 'la', 'NATO', 'nel']
    """
    out = []
    for token in tokenize(text, lowercase=lowercase, keep_acronyms=keep_acronyms):
        if token.isalpha():  # most words: letters only
            if len(token) >= min_letters:
                out.append(token)
        elif (not any(c.isdigit() for c in token)
              and sum(c.isalpha() for c in token) >= min_letters):
            out.append(token)
    return out


def topic_tokens(text: str) -> list[str]:
    """Topic words: :func:`word_tokens` with two letters or more, acronyms kept.

    The ``tokenizer`` of the topic vectorizer (:func:`analysis.topics.vocabulary.make_vectorizer`),
    a module-level function so the vectorizer stays picklable.

    Examples
    --------
    >>> topic_tokens("The U.S. and NATO's 2 wars in l'Afghanistan")
    ['the', 'US', 'and', 'NATO', 'wars', 'in', 'afghanistan']
    """
    return word_tokens(text, min_letters=2)


# --------------------------------------------------------------------------
# Sentences: the framing lexicon's rule (model 2.0.0), unchanged
# --------------------------------------------------------------------------

_ABBREV_END = re.compile(r"(?:\b[A-Za-z]\.(?:[A-Za-z]\.)*|\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Jan|Feb|Mar|"
                         r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|cf|e\.g|i\.e|Gen|Col|"
                         r"Prof|approx|ca)\.)$")
_SENT_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'»)\]]*\s+(?=[\"'«(\[¡¿]*[^\W\d_a-zа-яё])|\n+")
_CLOSERS = re.compile(r"[\"'»)\]]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence; abbreviations such as 'U.S.' do not end one.

    The framing lexicon's rule (see the module docstring), byte for byte:
    a span ends before the boundary, so closing quotes after the full stop
    are outside it.  A text without a sentence gives ``[(0, len(text))]``.

    Examples
    --------
    >>> text = "Dr. Smith left. He said: «Never.» Then\\nthe U.S. came."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Dr. Smith left.', 'He said: «Never.', 'Then', 'the U.S. came.']
    >>> sentence_spans("")
    [(0, 0)]
    """
    spans, start = [], 0
    for m in _SENT_BOUNDARY.finditer(text):
        if m.group().strip("\n") and _ABBREV_END.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, by :func:`sentence_spans`.

    Each span is extended over the closing quotes and brackets that follow
    it (which the boundary rule leaves outside), stripped of surrounding
    whitespace, and dropped when empty.

    Examples
    --------
    >>> split_sentences('He said "Never." Then he left.\\n\\n¿Por qué? ¡Porque sí!')
    ['He said "Never."', 'Then he left.', '¿Por qué?', '¡Porque sí!']
    >>> split_sentences("  \\n ")
    []
    """
    out = []
    for start, end in sentence_spans(text):
        end = _CLOSERS.match(text, end).end()
        sentence = text[start:end].strip()
        if sentence:
            out.append(sentence)
    return out
