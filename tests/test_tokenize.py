"""The one tokenizer and sentence splitter (analysis/text/tokenize.py).

The example sentences are written for these tests (no third-party text).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import analysis
from analysis import config
from analysis.text.tokenize import (
    SCARE_QUOTE_WORD_PATTERN,
    SKLEARN_WORD_PATTERN,
    TOKEN_PATTERN,
    TOKEN_RE,
    sentence_spans,
    split_sentences,
    tokenize,
    topic_tokens,
    word_tokens,
)

PACKAGE = Path(analysis.__file__).resolve().parent

# --------------------------------------------------------------------------
# Tokens: one table over languages and the hard cases
# --------------------------------------------------------------------------

TABLE = [
    # English: acronyms dotted or not are the same token; 's is a clitic
    ("en", "The U.S. and the US, the U.S.A. and the USA.",
     ["the", "US", "and", "the", "US", "the", "USA", "and", "the", "USA"]),
    ("en", "U.S.-backed and US-backed coups", ["US-backed", "and", "US-backed", "coups"]),
    ("en", "Putin's war, NATO’s summit, the Soviets' plan",
     ["putin", "'s", "war", "NATO", "'s", "summit", "the", "soviets", "plan"]),
    ("en", "We can't and won't; it's O'Brien's anti-imperialist line.",
     ["we", "can't", "and", "won't", "it", "'s", "o'brien", "'s", "anti-imperialist", "line"]),
    ("en", "the EU and the UN, e.g. in the U.K.", ["the", "EU", "and", "the", "UN", "eg", "in",
                                               "the", "UK"]),
    ("en", "In 1959-1960, 3.5 million; COVID-19 and the G7",
     ["in", "1959-1960", "3", "5", "million", "COVID-19", "and", "the", "G7"]),
    ("en", "snake_case – en dash — em dash - spaced", ["snake", "case", "en", "dash", "em", "dash",
                                                    "spaced"]),
    # French: elided articles and prepositions are their own token
    ("fr", "Contre l'impérialisme des É.-U. et de l’OTAN, aujourd'hui.",
     ["contre", "l'", "impérialisme", "des", "ÉU", "et", "de", "l'", "OTAN", "aujourd'hui"]),
    ("fr", "Qu'il parte jusqu'à Nord-Stream, c'est-à-dire quelqu'un d'autre",
     ["qu'", "il", "parte", "jusqu'", "à", "nord-stream", "c'", "est-à-dire", "quelqu'un", "d'",
      "autre"]),
    # Italian
    ("it", "Contro l'imperialismo dell'Occidente e un po' nell'Ucraina",
     ["contro", "l'", "imperialismo", "dell'", "occidente", "e", "un", "po", "nell'", "ucraina"]),
    ("it", "Un'altra guerra della NATO", ["un'", "altra", "guerra", "della", "NATO"]),
    # Spanish: ¿¡ are punctuation
    ("es", "¿Quién apoya a EE. UU. y a la OTAN? ¡Nadie!",
     ["quién", "apoya", "a", "EE", "UU", "y", "a", "la", "OTAN", "nadie"]),
    # German
    ("de", "Die USA und die Nord-Stream-Pipeline: Anti-Kriegs-Bewegung",
     ["die", "USA", "und", "die", "nord-stream-pipeline", "anti-kriegs-bewegung"]),
    # Russian
    ("ru", "США и НАТО против России, анти-империализм.",
     ["США", "и", "НАТО", "против", "россии", "анти-империализм"]),
    # Ukrainian: the apostrophe is inside words (' ’ and ʼ are one)
    ("uk", "П'ять об’єктів НАТО, мʼясо", ["п'ять", "об'єктів", "НАТО", "м'ясо"]),
    # Greek
    ("el", "Οι ΗΠΑ και το ΝΑΤΟ στην Ουκρανία.", ["οι", "ΗΠΑ", "και", "το", "ΝΑΤΟ", "στην",
                                              "ουκρανία"]),
    # Arabic: no case; clitics stay attached; harakat stay in the word; ، ؟ separate
    ("ar", "الولايات المتحدة، والإمبريالية؟ كَتَبَ",
     ["الولايات", "المتحدة", "والإمبريالية", "كَتَبَ"]),
    # Decomposed accents stay in the word
    ("fr", "impe\u0301rialisme", ["impe\u0301rialisme"]),
    # CJK is not segmented: a run is one token
    ("zh", "反对帝国主义 NATO", ["反对帝国主义", "NATO"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), TABLE,
                         ids=[f"{lang}-{i}" for i, (lang, _, _) in enumerate(TABLE)])
def test_tokenize_table(language, text, expected):
    assert tokenize(text) == expected


def test_options_case_and_acronyms():
    text = "The US told us: l'OTAN, U.S.-led"
    assert tokenize(text, lowercase=False) == ["The", "US", "told", "us", "l'", "OTAN", "US-led"]
    assert tokenize(text, keep_acronyms=False) == ["the", "us", "told", "us", "l'", "otan",
                                                   "us-led"]
    # an all-capital headline keeps short words in capitals (documented)
    assert tokenize("THE WAR") == ["THE", "WAR"]


def test_word_tokens_drop_numbers_and_keep_single_letters_on_request():
    text = "In 2022 a US army of 31 tanks y la OTAN e l'Italia"
    assert word_tokens(text) == ["in", "a", "US", "army", "of", "tanks", "y", "la", "OTAN", "e",
                                 "l'", "italia"]
    assert word_tokens(text, min_letters=2) == ["in", "US", "army", "of", "tanks", "la", "OTAN",
                                                "italia"]
    assert topic_tokens(text) == word_tokens(text, min_letters=2)


def test_token_re_finds_the_raw_spans_that_tokenize_normalises():
    text = "Les É.-U., l’OTAN's U.S.-led anti‐war 2022 мʼясо"
    assert TOKEN_RE.findall(text) == ["Les", "É.-U.", "l’OTAN's", "U.S.-led", "anti‐war", "2022",
                                      "мʼясо"]
    assert tokenize(text) == ["les", "ÉU", "l'", "OTAN", "'s", "US-led", "anti-war", "2022",
                              "м'ясо"]


def test_token_pattern_works_in_scikit_learn():
    from sklearn.feature_extraction.text import CountVectorizer

    assert re.compile(TOKEN_PATTERN).groups == 0  # scikit-learn allows at most one group
    cv = CountVectorizer(token_pattern=TOKEN_PATTERN).fit(["L'Ukraine et les U.S.A., 2022"])
    # scikit-learn lower-cases first, keeps the dots and the clitics: the documented difference
    assert sorted(cv.vocabulary_) == ["2022", "et", "l'ukraine", "les", "u.s.a."]
    cv = CountVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False)
    cv.fit(["L'Ukraine et les U.S.A., 2022"])  # "L'" is an elided article, not an acronym
    assert sorted(cv.vocabulary_) == ["2022", "USA", "et", "l'", "les", "ukraine"]


def test_sklearn_word_pattern_is_the_framing_features_pattern():
    from sklearn.feature_extraction.text import CountVectorizer

    from analysis.framing import features

    assert SKLEARN_WORD_PATTERN == CountVectorizer().token_pattern
    assert features._TOKEN.pattern == SKLEARN_WORD_PATTERN
    # and it is not the package tokenizer: it drops one-letter words, splits U.S.
    assert features._TOKEN.findall("a U.S. l'OTAN") == ["OTAN"]


def test_scare_quote_word_pattern_is_the_model_2_0_0_count():
    from analysis.framing import lexicon

    # The pattern model 2.0.0 shipped in analysis/framing/lexicon.py, frozen here.
    assert SCARE_QUOTE_WORD_PATTERN == r"\w+(?:['’-]\w+)*"
    assert lexicon._QUOTED_WORD.pattern == SCARE_QUOTE_WORD_PATTERN
    # inner hyphens and apostrophes join; underscores and digits are word characters
    words = lexicon._QUOTED_WORD.findall("so-called don’t l'OTAN U.S. x_1 -edge")
    assert words == ["so-called", "don’t", "l'OTAN", "U", "S", "x_1", "edge"]


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------

SENTENCES = [
    ("The war began. NATO met! Did Russia win? No one knows.",
     ["The war began.", "NATO met!", "Did Russia win?", "No one knows."]),
    # abbreviations and initials do not end a sentence
    ("The U.S. army left. Mr. Smith and Dr. Jones, e.g. Gen. Milley, spoke.",
     ["The U.S. army left.", "Mr. Smith and Dr. Jones, e.g. Gen. Milley, spoke."]),
    ("J. Smith wrote. Then he left.", ["J. Smith wrote.", "Then he left."]),
    # a lower-case word or a digit after the full stop does not start a sentence
    ("It cost 5 bn. in 2022. 2023 was worse.", ["It cost 5 bn. in 2022. 2023 was worse."]),
    # closing quotes and brackets stay with their sentence, opening marks with the next
    ('He said "Never." (Then he left.) «Alors?» Rien.',
     ['He said "Never."', "(Then he left.)", "«Alors?»", "Rien."]),
    ("¿Quién ganó? ¡Nadie! Fin.", ["¿Quién ganó?", "¡Nadie!", "Fin."]),
    # newlines always end a sentence; blank lines give no empty sentence
    ("Title without stop\n\nFirst line\nsecond line.  ", ["Title without stop", "First line",
                                                         "second line."]),
    ("Война началась. НАТО молчит… Что дальше?", ["Война началась.", "НАТО молчит…",
                                                  "Что дальше?"]),
    ("Ο πόλεμος άρχισε. Το ΝΑΤΟ σιωπά.", ["Ο πόλεμος άρχισε.", "Το ΝΑΤΟ σιωπά."]),
    # documented limits of the locked rule
    ("He said “Never.” Then he left.", ["He said “Never.” Then he left."]),
    ("هل انتهت الحرب؟ لا.", ["هل انتهت الحرب؟ لا."]),
    ("The answer is No. Then what?", ["The answer is No. Then what?"]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_sentence_spans_cover_the_text_between_boundaries():
    text = 'He said "Never." Then\nhe left.'
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ['He said "Never.', "Then", "he left."]
    assert sentence_spans("") == [(0, 0)] and sentence_spans("\n\n") == [(0, 2)]
    assert split_sentences("") == [] and split_sentences("\n\n") == []


# The framing lexicon's rule as model 2.0.0 shipped it (analysis/framing/lexicon.py
# before the move), frozen here: sentence_spans must stay identical to it.
_FROZEN_ABBREV = re.compile(
    r"(?:\b[A-Za-z]\.(?:[A-Za-z]\.)*|\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Jan|Feb|Mar|"
    r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|cf|e\.g|i\.e|Gen|Col|"
    r"Prof|approx|ca)\.)$")
_FROZEN_BOUNDARY = re.compile(
    r"(?<=[.!?…])[\"'»)\]]*\s+(?=[\"'«(\[¡¿]*[^\W\d_a-zа-яё])|\n+")


def _frozen_spans(text):
    spans, start = [], 0
    for m in _FROZEN_BOUNDARY.finditer(text):
        if m.group().strip("\n") and _FROZEN_ABBREV.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def test_sentence_spans_are_the_model_2_0_0_rule(sample_corpus):
    texts = [t for t, _ in SENTENCES] + list(sample_corpus.paragraphs["text"])
    texts += [p.read_text(encoding="utf-8") for p in sorted(config.RAW.glob("*"))
              if p.suffix in {".txt", ".md"}]
    assert len(texts) > 60
    for text in texts:
        assert sentence_spans(text) == _frozen_spans(text)


# --------------------------------------------------------------------------
# No second tokenizer or sentence splitter in the package
# --------------------------------------------------------------------------

_TOKENIZER_STARTS = (r"\w", r"[^\W", r"(?u)\b\w", r"(?u)\b[^\W", r"\b\w", r"\b[^\W")
_SPLITTER_NAMES = {"tokenize", "_tokenize", "word_tokens", "split_sentences", "_split_sentences",
                   "sentence_spans", "_sentences"}

#: Word-character patterns that are not tokenizers, each with its reason.
ALLOWED = {
    ("corpus/normalise.py", r"\w+"):
        "homoglyph repair substitutes each run of word characters; a rewrite unit, not tokens",
    ("framing/prefilter.py", r"\w+"):
        "must be exactly the regex engine's \\w runs, so a literal's presence is decided soundly",
    ("framing/patterns.py", r"\w*"):
        "the lexicon pattern syntax's glob: '*' completes a word inside an entry's regex",
    ("framing/devcorpus.py", r"\w+"):
        "words of the locked development corpus build (URL-leak check, title cut); changing "
        "them changes data/annotations/real/",
}


def _strings(tree: ast.AST):
    """String constants of a module that are not docstrings, with their line."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            value = "".join(v.value for v in node.values
                            if isinstance(v, ast.Constant) and isinstance(v.value, str))
            yield node.lineno, value
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docstrings):
            yield node.lineno, node.value


def scan_for_tokenizers(root: Path) -> list[tuple[str, int, str]]:
    """``(path, line, what)`` of each tokenizer or sentence splitter outside ``text/``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("text/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and node.name in _SPLITTER_NAMES:
                found.append((rel, node.lineno, f"def {node.name}"))
        for line, value in _strings(tree):
            repeated = any(c in value for c in "+*{")
            if value.startswith(_TOKENIZER_STARTS) and repeated:
                found.append((rel, line, value))
            elif any("." in c and ("!" in c or "?" in c)
                     for c in re.findall(r"\[(?!\^)((?:\\.|[^\]\\])*)\]", value)):
                found.append((rel, line, value))  # a class of sentence ends: [.!?]
    return found


def test_no_second_tokenizer_or_sentence_splitter():
    found = scan_for_tokenizers(PACKAGE)
    unexpected = [f for f in found if (f[0], f[2]) not in ALLOWED]
    assert not unexpected, (
        "tokenizer or sentence splitter defined outside analysis/text/tokenize.py "
        f"(use analysis.text.tokenize instead): {unexpected}")
    # every allowance still names something that exists, so the list cannot rot
    assert {(f[0], f[2]) for f in found} == set(ALLOWED)


def test_the_scan_catches_planted_definitions(tmp_path):
    root = tmp_path / "analysis"
    (root / "text").mkdir(parents=True)
    (root / "text" / "tokenize.py").write_text('import re\nT = re.compile(r"\\w+")\n')
    (root / "corpus").mkdir()
    (root / "corpus" / "planted.py").write_text(
        'r"""Docstrings may mention re.compile(r"\\w+")."""\n'
        "import re\n"
        '_WORD = re.compile(r"\\w+(?:-\\w+)*")\n'
        'PATTERN = r"(?u)\\b[^\\W\\d_]{2,}\\b"\n'
        "def parts(text):\n"
        '    return re.split(r"(?<=[.!?])\\s+", text)\n'
        "def split_sentences(text):\n"
        '    return re.findall(r"[^.!?]+[.!?]", text)\n'
        'LETTER = re.compile(r"[^\\W\\d_]")\n')
    found = scan_for_tokenizers(root)
    assert [(f[0], f[1]) for f in sorted(found, key=lambda f: f[1])] == [
        ("corpus/planted.py", 3), ("corpus/planted.py", 4), ("corpus/planted.py", 6),
        ("corpus/planted.py", 7), ("corpus/planted.py", 8)]
