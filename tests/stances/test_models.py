from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tests.factories import ConditionFactory, StatementFactory, TrackFactory, country, level
from tracker.stances.models import CodebookVersion, StanceLevel, Statement, Track

pytestmark = pytest.mark.django_db


def _violates(constraint_name: str):
    return pytest.raises(IntegrityError, match=constraint_name)


def test_a_donor_recipient_pair_has_one_track():
    TrackFactory(donor=country("KOR"), recipient=country("UKR"))
    with _violates("track_unique_donor_recipient"), transaction.atomic():
        Track.objects.create(donor=country("KOR"), recipient=country("UKR"))


def test_a_country_cannot_be_its_own_recipient():
    with _violates("track_donor_not_recipient"), transaction.atomic():
        Track.objects.create(donor=country("KOR"), recipient=country("KOR"))


def test_a_condition_cannot_be_resolved_before_it_was_stated():
    condition = ConditionFactory(stated_on=date(2024, 10, 28))
    condition.resolved_on = date(2024, 1, 1)
    with _violates("condition_resolved_after_stated"), transaction.atomic():
        condition.save()


def test_a_retracted_statement_needs_a_reason():
    statement = StatementFactory()
    statement.status = Statement.Status.RETRACTED
    with _violates("statement_retraction_has_reason"), transaction.atomic():
        statement.save()
    statement.retraction_reason = "Misattributed quote"
    statement.save()
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.RETRACTED


def test_a_codebook_cannot_have_two_levels_with_one_rank_or_code():
    codebook = CodebookVersion.objects.get(is_current=True)
    with _violates("stancelevel_unique_rank_per_codebook"), transaction.atomic():
        StanceLevel.objects.create(codebook=codebook, rank=0, code="new", label="New", color="#000000")
    with _violates("stancelevel_unique_code_per_codebook"), transaction.atomic():
        StanceLevel.objects.create(codebook=codebook, rank=9, code="prohibits", label="Dup", color="#000000")


def test_only_one_codebook_is_current():
    with _violates("one_current_codebook"), transaction.atomic():
        CodebookVersion.objects.create(version="2.0", published_on=date(2027, 1, 1), is_current=True)


def test_changing_a_statement_writes_a_history_row_with_the_change():
    statement = StatementFactory(level=level("non_lethal"))
    rows_before = statement.history.count()
    statement.level = level("considering_lethal")
    statement.save()
    newest, previous = statement.history.order_by("-history_date")[:2]
    assert statement.history.count() == rows_before + 1
    assert newest.history_type == "~"
    assert [change.field for change in newest.diff_against(previous).changes] == ["level"]


def test_changing_a_codebook_level_writes_a_history_row():
    stance_level = level("open_to_lethal")
    stance_level.label = "Open to lethal aid"
    stance_level.save()
    assert stance_level.history.count() == 1  # the seeding migration wrote no history; this edit did
    assert stance_level.history.first().label == "Open to lethal aid"


def test_every_model_has_a_readable_str():
    statement = StatementFactory(level=level("non_lethal"))
    assert str(statement.track) == "KOR → UKR"
    assert "non_lethal" in str(statement)
    assert str(level("non_lethal")) == "1 · Non-lethal aid only"
