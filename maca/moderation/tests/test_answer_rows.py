"""The moderation page's rows written in Python escape what agencies wrote, as the template
did."""

from __future__ import annotations

from maca.accounts.models import Agency
from maca.audits.models import Question
from maca.moderation.selectors import (
    AnswerCell,
    QuestionRow,
    SectionSummaryCell,
    ShownAnswer,
    ShownSummary,
)
from maca.moderation.templatetags.moderation_tags import (
    answer_rows,
    question_blocks,
    section_grade_rows,
)


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


def test_question_blocks_escape_the_question_and_say_when_no_agency_answered():
    question = Question(code="Q<1>", text="Was the child's <voice> heard?", standard="S & T")
    row = QuestionRow(question, cells=(), outcomes=(("Met", 2), ("Not met", 1)), discrepancies=())
    html = str(question_blocks((row,), "Child <A>"))
    assert "Q&lt;1&gt; Was the child&#x27;s &lt;voice&gt; heard?" in html
    assert "Standard: S &amp; T. Met: 2; Not met: 1</p>" in html
    assert "Agencies' answers differ" in html
    assert "No agency answered this question for Child &lt;A&gt;." in html


def test_section_grade_rows_escape_and_say_not_graded():
    agency = Agency(name="Fictional <Health>", short_name="H&S")
    summary = ShownSummary(
        grade=None, grade_label="", grade_reason="<i>late</i>", areas_for_development="A & B"
    )
    html = str(
        section_grade_rows((SectionSummaryCell(agency, summary), SectionSummaryCell(agency, None)))
    )
    assert html.count("Not graded") == 2
    assert '&lt;i&gt;late&lt;/i&gt;<br><span class="maca-meta">A &amp; B</span>' in html


def test_plain_select_options_are_escaped_and_the_value_selected():
    from maca.moderation.forms import PlainControl

    control = PlainControl(
        id="id_q",
        name="q",
        label="Question",
        hint="Optional",
        error="Choose a question of this audit's tool",
        value="2",
        options=(("", "None"), ("1", "Q1 <b>"), ("2", "Q2 & more")),
    )
    html = str(control.options_html)
    assert '<option value="">None</option>' in html
    assert '<option value="1">Q1 &lt;b&gt;</option>' in html
    assert '<option value="2" selected>Q2 &amp; more</option>' in html
    assert control.describedby == "id_q-hint id_q-error"
