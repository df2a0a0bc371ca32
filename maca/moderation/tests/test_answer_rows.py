"""The answer rows written in Python escape what agencies wrote, as the template did."""

from __future__ import annotations

from maca.accounts.models import Agency
from maca.moderation.selectors import AnswerCell, ShownAnswer
from maca.moderation.templatetags.moderation_tags import answer_rows


def test_answers_are_escaped_and_a_missing_answer_says_so():
    agency = Agency(name="Fictional <Health>", short_name="H&S")
    answer = ShownAnswer(
        value="<script>alert(1)</script>", evidence="Seen <b>twice</b>", reason="R & R", outcome=""
    )
    html = str(answer_rows((AnswerCell(agency, answer), AnswerCell(agency, None))))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'Seen &lt;b&gt;twice&lt;/b&gt;<br><span class="maca-meta">R &amp; R</span>' in html
    assert html.count("H&amp;S") == 2
    assert '<span class="maca-meta">No answer</span>' in html
