import pytest

from extractor import chunk_text, count_tokens, make_chunks


@pytest.mark.parametrize("budget", [300, 450, 1200, 3000])
def test_chunks_respect_budget_and_cover_every_quantity(docs, budget) -> None:
    """Token counts are exact though chunks are sized from their parts' counts."""
    for doc in docs.values():
        chunks = make_chunks(doc, budget)
        ids = [i for c in chunks for i in c.quantity_ids]
        assert sorted(ids) == sorted(q.id for q in doc.quantities)  # each exactly once
        for c in chunks:
            assert c.tokens == count_tokens(chunk_text(doc, c))
            if c.tokens > budget:  # only one sentence (with its footnotes) may exceed it
                assert len(c.spans) == 1
                inner = doc.text[c.spans[0][0] : c.spans[0][1]].rstrip(".;!?")
                assert not any(p in inner for p in (". ", "; ")) or c.footnotes


def test_boundaries_never_cut_a_number_or_a_sentence(docs) -> None:
    for doc in docs.values():
        chunks = make_chunks(doc, 250)
        paragraph_ends = {e for _, e in doc.clean.paragraphs}
        for c in chunks:
            for s, e in c.spans:
                assert e in paragraph_ends or doc.text[e - 1] in ".;!?", doc.text[e - 20 : e + 5]
                assert not (doc.text[s - 1 : s].isdigit() and doc.text[s].isdigit())
        for q in doc.quantities:
            assert (
                any(s <= q.start and q.end <= e for c in chunks for s, e in c.spans)
                or doc.footnote_of(q.start) is not None
            )


def test_chunk_carries_its_footnotes_and_breadcrumb(lc2402) -> None:
    chunks = make_chunks(lc2402)
    herd = next(c for c in chunks if "349.090 con" in chunk_text(lc2402, c))
    text = chunk_text(lc2402, herd)
    assert 1 in herd.footnotes
    assert "[1] Trong đó: đàn trâu 92.400 con" in text
    assert text.startswith("II. VỀ TÌNH HÌNH KINH TẾ")


def test_small_sections_are_merged(lc2402) -> None:
    chunks = make_chunks(lc2402, 1200)
    sections = len(lc2402.sections())
    assert len(chunks) < sections / 2  # not one LLM call per heading
