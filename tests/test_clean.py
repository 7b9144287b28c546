"""Cleaning rules on the real sample documents and on hand-made cases."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus.clean import clean_documents, clean_text
from analysis.corpus.normalise import fix_mixed_scripts, fix_unicode
from analysis.corpus.rules import RULES


@pytest.fixture(scope="module")
def cleaned(raw_texts):
    return {doc_id: clean_text(raw) for doc_id, raw in raw_texts.items()}


# -- exact passages of each real document ----------------------------------

PASSAGES = {
    "sll-marathon-2020": [
        # banner, byline, dateline and photo captions/credits removed: the text
        # starts with the title, then the first paragraph
        "Russia's Anti-Imperialist Marathon: 'We have much to learn from each other'\n\n"
        "On Dec. 8, 2019, activists in Moscow organized",
        # paragraph broken by the layout ("who helped to" / "organize") re-joined,
        # displaced link label "view the" removed
        "member of the United Communist Party of Russia, who helped to organize the "
        "Anti-Imperialist Marathon. Readers can entire broadcast here.\n\nStruggle-La Lucha: "
        "What was the inspiration",
        # markdown link syntax removed, its text kept; mojibake-free Spanish name
        'band Sueños Repetidos. I recommend listening to it. It will really lift',
        "we can inspire each other, and inspiration is something that we really need",
        "There are cultural events organized regularly, such as concerts",
        "which at a certain point will become a real force in the coming class struggle.",
    ],
    "essf-elaliberta-2022": [
        "Immediate withdrawal of all Russian troops from Ukraine. Stand up against all "
        "imperialisms\n\nOn 24 February Russian troops crossed the border",
        'all military and geopolitical "predictions" and "analyses" and to fight',
        "NATO countries systematically refused (and continue to refuse) to provide Ukraine",
        "the websites elalibertà.gr and \"Four\" Magazine",
        # the text ends with the last speaker: signature, newsletter line and
        # the empty P.S. are gone
        'creator of the new website "Posle"',
    ],
    "ist-statements": [
        "Sessions include: The Limits of COP26 and Capitalist Solutions · Marxism,\n\n"
        "Liberar a Frank García Hernández y a sus compañeros",
        "Estamos muy preocupados por la detención durante\n\nLibérez Frank García Hernández",
        "Nous sommes des anti-impérialistes et des internationalistes convaincu·es.\n"
        "Nous sommes très\n\nFor years, indeed decades,",
        "В Беларуси развернулось массовое движение забастовок и протестов",
        "they are both doing their best to get rid of the refugees within their borders "
        "and to block the entry of",
    ],
    "ilps-week-2020": [
        "ILPS calls for week of struggle against US imperialism\n\nInternational League of "
        "Peoples' Struggle\n\nA Week of International Struggle against US imperialism",
        'calling for a "Week of International Struggle against US imperialism".',
        "increasing inter-imperialist rivalry. It is not just a pitch battle",
        "Solidarity activities, information drives, study conferences and fora",
    ],
    "saru-blog-2015": [
        "Banda Bassotti statement on the 2nd Antifascist Caravan to the Donbass\n\n"
        "We are back from the second Antifascist Caravan",
        "breaking the noisy wall of silence.\n\nWFTU general secretary condemns EU and US "
        "support for Ukrainian fascists",
        "celebrations in Moscow\n\nBanda Bassotti and International Antifascist Forum "
        "participants say farewell to Alchevsk\n\nBefore their departure",
        "(via Alexey Markov)\n\nReport and statements",
        "Report of Donbass Solidarity Caravan\n\nWe republish this report",
        "London protest demands justice for Odessa\n\nOver 60 people gathered outside the "
        "Ukraine embassy in London on May 2",
    ],
}


@pytest.mark.parametrize("doc_id, passage",
                         [(d, p) for d, ps in PASSAGES.items() for p in ps])
def test_cleaned_passages_of_the_sample_documents(cleaned, doc_id, passage):
    assert passage in cleaned[doc_id].text


def test_cleaned_ends(cleaned):
    assert cleaned["essf-elaliberta-2022"].text.endswith('creator of the new website "Posle"')
    assert cleaned["ilps-week-2020"].text.endswith("Join us in struggle and revolution.")
    assert cleaned["saru-blog-2015"].text.endswith("marked around the world yesterday "
                                                   "including in London.")
    assert cleaned["ist-statements"].text.endswith("to block the entry of")


NOISE = [
    "Leave a Reply", "Your email address will not be published", "Posted in", "Tagged",
    "Continue reading", "Quote |", "Posted on by", "Leave a comment", "Comments", "# # #",
    "Click here", "subscribe", "newsletter", "[...]", "[VIDEO]", "Photo:", "P.S.",
    "written by", "Issued by", "Struggle-La-Lucha.org", "January 17, 2020",
    "Date first published", "Organizers of the Anti-Imperialist Marathon Broadcast",
    "Alexander Kubalov\n", "view the", "](#)", "\n\n\n", "\u00a0", "\u2019", "\u201c",
]


@pytest.mark.parametrize("noise", NOISE)
def test_no_boilerplate_survives(cleaned, noise):
    for doc_id, result in cleaned.items():
        assert noise not in result.text, doc_id
    assert not any(re.search(r"\d{5,}_\d{5,}_\d{5,}_n|DSC_\d+", r.text) for r in cleaned.values())


def test_removals_by_rule_on_the_sample(cleaned):
    counts = {}
    for result in cleaned.values():
        for row in result.audit:
            counts[row["rule"]] = counts.get(row["rule"], 0) + 1
    assert counts["truncation_marker"] == 10
    assert counts["post_footer"] == 7
    assert counts["continue_reading"] == 5
    assert counts["camera_filename"] == 3
    assert counts["comment_form"] == 2
    assert counts["photo_credit"] == 2 and counts["photo_caption"] == 1


def _nonspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _account(result) -> str:
    """The normalised text with every audited clean-stage span masked out."""
    keep = np.ones(len(result.normalised), dtype=bool)
    for row in result.audit:
        if row["stage"] == "clean":
            keep[row["start"]:row["end"]] = False
    return "".join(c for c, k in zip(result.normalised, keep, strict=True) if k)


def test_cleaned_text_plus_audit_accounts_for_the_original(cleaned, raw_texts):
    for doc_id, result in cleaned.items():
        assert _nonspace(_account(result)) == _nonspace(result.text), doc_id
        for row in result.audit:
            if row["stage"] == "clean":
                span = result.normalised[row["start"]:row["end"]]
                assert _nonspace(row["text"]) == _nonspace(span), (doc_id, row)
            else:  # normalise rows name the raw line they changed
                assert raw_texts[doc_id][row["start"]:row["end"]] == row["text"]


def test_clean_pos_points_into_the_cleaned_text(cleaned):
    text = cleaned["saru-blog-2015"].text
    footers = [r for r in cleaned["saru-blog-2015"].audit if r["rule"] == "post_footer"]
    for row in footers[:-1]:  # each footer sat just before the next post's title
        assert text[row["clean_pos"]:].lstrip()[:1].isupper()
    assert footers[-1]["clean_pos"] == len(text)


# -- hand-made cases, one or more per rule ---------------------------------

CASES = [
    ("comment_form", "Body text.\n\nLeave a Reply\n\nYour email address will not be published.",
     "Body text."),
    ("post_footer", "Body.\n\nPosted in Events, Solidarity | Tagged , , | 2 Comments", "Body."),
    ("post_footer", "Body.\n\nQuote | Posted on by | Tagged | Leave a comment", "Body."),
    ("post_footer", "Posted in 2019, the letter was ignored.", "Posted in 2019, the letter was "
     "ignored."),
    ("continue_reading", "We went to Donbass. Continue reading", "We went to Donbass."),
    ("continue_reading", "Il faut lutter. Lire la suite →", "Il faut lutter."),
    ("newsletter_residue", "Text.\n\n[*Click here*](#) to subscribe to *ESSF* newsletters in "
     "English and/or French.", "Text."),
    ("end_mark", "Join us.\n\n# # #", "Join us."),
    ("dateline", "Title\n\nMonday 20 June 2022, by [X](https://x.org) (Date first published: "
     "13 June 2022).\n\nBody.", "Title\n\nBody."),
    ("dateline", "January 17, 2020\n\nBody.", "Body."),
    ("byline", "written by Greg Butterfield\n\nBody.", "Body."),
    ("byline", "By contrast, the war went on.", "By contrast, the war went on."),
    ("site_name_line", "Struggle-La-Lucha.org\n\nBody.", "Body."),
    ("photo_credit", "Protest in Moscow. Photo: United Communist Party\n\nBody.", "Body."),
    ("camera_filename", "11210369_10152950122708983_1384837663_nWe are back.", "We are back."),
    ("camera_filename", "DSC_0091Over 60 people gathered.", "Over 60 people gathered."),
    ("media_tag", "[VIDEO] Farewell to Alchevsk", "Farewell to Alchevsk"),
    ("truncation_marker", "The pipeline agreement signed by [...]", "The pipeline agreement "
     "signed by"),
    ("truncation_marker", "Nous sommes très […]", "Nous sommes très"),
    ("dangling_ps", "Text.\n\nP.S.", "Text."),
    ("markdown_link", "[I recommend listening to it](#). It lifts.", "I recommend listening to "
     "it. It lifts."),
    ("orphan_link_text", "Readers can see it here.\n\nview the\n\nNext paragraph.",
     "Readers can see it here.\n\nNext paragraph."),
    ("join_broken_paragraph", "who helped to\n\n\n\norganize the event.", "who helped to "
     "organize the event."),
    ("join_broken_line", "Readers can\nsee it.", "Readers can see it."),
    ("no_join", "A title without a stop\n\nBody starts with a capital.",
     "A title without a stop\n\nBody starts with a capital."),
    # joins ignore removed markers (idempotence); segmentation still cuts here
    ("join_broken_paragraph", "Nous sommes très [...]\n\nfor years we denounced it.",
     "Nous sommes très for years we denounced it."),
    ("whitespace", "  A  b\t c \n\n\n\n\nD  ", "A b c\n\nD"),
]


@pytest.mark.parametrize("rule, raw, expected", CASES, ids=[f"{c[0]}-{i}" for i, c in
                                                            enumerate(CASES)])
def test_rule_on_hand_made_case(rule, raw, expected):
    result = clean_text(raw)
    assert result.text == expected
    rules = {r["rule"] for r in result.audit}
    if rule in {r.name for r in RULES} | {"join_broken_paragraph", "join_broken_line"}:
        assert (rule in rules) == (raw != expected)


def test_fix_unicode_repairs_mojibake_and_quotes():
    assert fix_unicode("SueÃ±os Repetidos") == "Sueños Repetidos"
    assert fix_unicode("Peoplesâ€™ Struggle") == "Peoples' Struggle"
    assert fix_unicode("“natural disaster”") == '"natural disaster"'


def test_mixed_scripts_are_repaired_and_audited():
    latin_p = "P" + "оссия"  # Latin P, Cyrillic rest
    result = clean_text(f"{latin_p} and Ukrainе.")  # Cyrillic e in Ukraine
    assert result.text == "Россия and Ukraine."
    assert [r["rule"] for r in result.audit] == ["normalise_unicode"]
    assert fix_mixed_scripts("NATO") == "NATO"


def test_clean_documents_keeps_rows_and_audits_empty_results(raw_texts):
    import pandas as pd

    docs = pd.DataFrame({"doc_id": ["a", "b"], "raw_text": ["Body.", "Leave a Reply\n# # #"]})
    out, audit = clean_documents(docs)
    assert list(out["text"]) == ["Body.", ""]
    assert "raw_text" in docs and "text" not in docs  # input not mutated
    assert ("b", "empty_after_cleaning") in set(zip(audit["doc_id"], audit["rule"],
                                                    strict=True))


# -- properties ------------------------------------------------------------

FRAGMENTS = [
    "imperialism", "NATO", "Россия", "Cuba", "la", "détention", "war", "the", "and", "[...]",
    "Continue reading", "Posted in News | Tagged", "Leave a Reply", "Photo:", "# # #",
    "DSC_0091", "view the", "by", "P.S.", "[link](#)", "“quoted”", "Ã©", ".", ",", "!", ":",
    "\u00a0", " ", "  ", "\n", "\n\n", "\n\n\n", "2022", "Elaliberta.gr", "January 17, 2020",
]
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join) | st.text(
    alphabet=st.sampled_from(list("abcXYZ éñ ж.,!?[]()#*|:\n")), max_size=200)


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_cleaning_is_idempotent(text):
    once = clean_text(text).text
    assert clean_text(once).text == once


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_cleaning_adds_no_text(text):
    result = clean_text(text)
    assert _is_subsequence(_nonspace(result.text), _nonspace(result.normalised))
    assert _nonspace(_account(result)) == _nonspace(result.text)
